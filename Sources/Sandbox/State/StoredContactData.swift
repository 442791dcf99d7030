import Generated

/// ContactDataType as plain values (issue 12: the state keeps structured values, not XML text).
struct StoredContactData: Codable, Sendable, Equatable {
    let emailPrivate: String
    let emailGeneral: String?
    let phonePrivate: String
    let phoneGeneral: String?

    init(_ contact: ContactDataType) {
        emailPrivate = contact.emailPrivate
        emailGeneral = contact.emailGeneral
        phonePrivate = contact.phonePrivate
        phoneGeneral = contact.phoneGeneral
    }

    var contactData: ContactDataType {
        ContactDataType(emailPrivate: emailPrivate, emailGeneral: emailGeneral, phonePrivate: phonePrivate, phoneGeneral: phoneGeneral)
    }
}
