import Foundation

/// The checks the platform's Java connector makes on a request before anything is signed
/// (its ContactData and UsageType): a request the connector would refuse is refused here, with
/// the field named, rather than after the eID has signed it.
extension CreateETKRequest {
    /// `BaseServiceUsage` values the platform knows (the connector's UsageType service names).
    public static let baseServiceUsages = ["tsa", "consultrn", "codage", "other"]

    /// The connector's e-mail pattern, matched against the whole value (Java `matches`), and its
    /// length limit.
    static let emailPattern = #"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"#
    static let emailMaximumLength = 320
    /// The connector's phone pattern: digits and spaces, optionally after a leading `+`.
    static let phonePattern = #"[+0-9][0-9 ]*"#

    /// Throws `CONTACT_DATA_INVALID` or `BASE_SERVICE_USAGE_INVALID` (category invalid input).
    public func validate() throws {
        // A foreigner's request carries ContactData too (submitCSRForForeigner).
        try Self.validateEmail(contact.email, field: "e-mail")
        try Self.validatePhone(contact.phone, field: "phone")
        if let generalEmail = contact.generalEmail { try Self.validateEmail(generalEmail, field: "general e-mail") }
        if let generalPhone = contact.generalPhone { try Self.validatePhone(generalPhone, field: "general phone") }
        for usage in baseServiceUsage where !Self.baseServiceUsages.contains(usage) {
            throw CertManagerError(.baseServiceUsageInvalid, .invalidInput,
                                   reason: "\"\(usage)\" is not a base service usage",
                                   advice: "Use " + Self.baseServiceUsages.joined(separator: ", ") + " (lower case).")
        }
        if Set(baseServiceUsage).count != baseServiceUsage.count {
            throw CertManagerError(.baseServiceUsageInvalid, .invalidInput, reason: "a base service usage is given twice",
                                   advice: "Give each usage once.")
        }
    }

    static func validateEmail(_ value: String, field: String) throws {
        guard !value.isEmpty, value.count <= emailMaximumLength, matches(emailPattern, value) else {
            throw CertManagerError(.contactDataInvalid, .invalidInput,
                                   reason: value.count > emailMaximumLength ? "the \(field) address is longer than \(emailMaximumLength) characters"
                                       : "the \(field) address \"\(value)\" is not an e-mail address the platform accepts",
                                   advice: "Give an address such as it@practice.be (letters, digits and !#$%&'*+/=?^_`{|}~- before the @, a domain name after it).")
        }
    }

    static func validatePhone(_ value: String, field: String) throws {
        guard matches(phonePattern, value) else {
            throw CertManagerError(.contactDataInvalid, .invalidInput,
                                   reason: "the \(field) number \"\(value)\" is not a phone number the platform accepts",
                                   advice: "Give digits and spaces only, optionally after a leading +, e.g. +32 2 123 45 67.")
        }
    }

    private static func matches(_ pattern: String, _ value: String) -> Bool {
        value.range(of: "\\A(?:" + pattern + ")\\z", options: .regularExpression) != nil
    }
}

extension CertManagerError.Code {
    /// An e-mail address or phone number the platform's connector would refuse.
    public static let contactDataInvalid = Self("CONTACT_DATA_INVALID")
    /// A BaseServiceUsage value outside tsa, consultrn, codage, other.
    public static let baseServiceUsageInvalid = Self("BASE_SERVICE_USAGE_INVALID")
}
