import Foundation
import Generated

/// The rules of one organization type from getGenericOrganizationTypes (cookbook 4.3.4.2): its
/// identifier type (`NIHII-HOSPITAL`), names, the `ValidationRegEx` (Java syntax) and the
/// `CheckDigitAlgorithm`s, which the client checks before sending anything.
public struct OrganizationIdentifierRule: Sendable, Codable, Equatable {
    public let identifierType: String
    /// Language → name.
    public let names: [String: String]
    public let validationRegEx: String?
    public let checkDigitAlgorithms: [String]
    public let availableBaseServices: [String]

    public init(identifierType: String, names: [String: String] = [:], validationRegEx: String? = nil,
                checkDigitAlgorithms: [String] = [], availableBaseServices: [String] = []) {
        self.identifierType = identifierType
        self.names = names
        self.validationRegEx = validationRegEx
        self.checkDigitAlgorithms = checkDigitAlgorithms
        self.availableBaseServices = availableBaseServices
    }

    public init(_ type: OrganizationIdentifierType) {
        self.init(identifierType: type.identifierType,
                  names: Dictionary(type.name.value.map { ($0.language.xmlText, $0.value) }, uniquingKeysWith: { first, _ in first }),
                  validationRegEx: type.validationRegEx, checkDigitAlgorithms: type.checkDigitAlgorithm,
                  availableBaseServices: type.availableBaseService)
    }

    /// The name in the first available of `languages`.
    public func name(preferring languages: [String] = ["en", "fr", "nl"]) -> String {
        for language in languages {
            if let name = names.first(where: { $0.key.lowercased().hasPrefix(language) })?.value { return name }
        }
        return names.values.sorted().first ?? identifierType
    }

    /// Throws `ORGANIZATION_IDENTIFIER_INVALID` saying which rule `value` breaks.
    public func validate(_ value: String) throws {
        if let validationRegEx, !validationRegEx.isEmpty {
            let expression = try JavaRegularExpression(validationRegEx)
            guard expression.matches(value) else {
                throw CertManagerError(.organizationIdentifierInvalid, .invalidInput,
                                       reason: "\"\(value)\" is not a valid \(identifierType) identifier: it does not have the form \(validationRegEx)",
                                       advice: "Check the number (\(name())) and type it without spaces or dots.")
            }
        }
        for name in checkDigitAlgorithms {
            let algorithm = CheckDigitAlgorithm(name: name)
            guard algorithm.accepts(value) != false else {
                throw CertManagerError(.organizationIdentifierInvalid, .invalidInput,
                                       reason: "\"\(value)\" is not a valid \(identifierType) identifier: its check digits do not pass \(algorithm)",
                                       advice: "Check the number for a typing error.")
            }
        }
    }
}
