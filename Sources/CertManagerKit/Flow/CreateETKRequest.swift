import Foundation

/// What the person asks for when creating a new ETK (cookbook 4.3.4): for whom, who to contact,
/// and where the keystore goes.
public struct CreateETKRequest: Sendable, Codable, Equatable {
    /// Whom the certificate is for.
    public enum Owner: Sendable, Codable, Equatable {
        /// The eID holder themself (`SSIN=`…); the SSIN is the signer's.
        case naturalPerson
        /// An organization the eID holder manages certificates for.
        case organization(Organization)
        /// A foreigner without a Belgian eID (cookbook 4.3.7): no eID signs; the person confirms
        /// on the platform's validation page.
        case foreigner(Foreigner)
    }

    /// ForeignPerson: identified by a BIS number.
    public struct Foreigner: Sendable, Codable, Equatable {
        /// The BIS number (an SSIN of the register for non-residents).
        public var bis: String
        public var firstNames: [String]
        public var lastName: String

        public init(bis: String, firstNames: [String], lastName: String) {
            self.bis = bis
            self.firstNames = firstNames
            self.lastName = lastName
        }
    }

    public struct Organization: Sendable, Codable, Equatable {
        /// The identifier type, as getGenericOrganizationTypes lists it: `CBE`, `NIHII-HOSPITAL`, …
        public var type: String
        public var identifier: String
        /// The organization's name for the contract; when nil, the name getActorQualities gives
        /// for it (required when the person is not authorised for it there).
        public var name: String?
        /// Distinguishes several certificates of one organization (`[0-9A-Z-_]{1,30}`).
        public var applicationID: String?

        public init(type: String, identifier: String, name: String? = nil, applicationID: String? = nil) {
            self.type = type
            self.identifier = identifier
            self.name = name
            self.applicationID = applicationID
        }
    }

    /// ContactDataType: who the platform contacts about this certificate.
    public struct Contact: Sendable, Codable, Equatable {
        public var email: String
        public var phone: String
        /// A shared mailbox and number, optional.
        public var generalEmail: String?
        public var generalPhone: String?

        public init(email: String, phone: String, generalEmail: String? = nil, generalPhone: String? = nil) {
            self.email = email
            self.phone = phone
            self.generalEmail = generalEmail
            self.generalPhone = generalPhone
        }
    }

    /// The certificate a renewal replaces (cookbook 4.3.5): the new one must have exactly its DN,
    /// and the new keystore keeps its encryption keys.
    public struct Replacement: Sendable, Codable, Equatable {
        /// The keystore of the certificate being replaced (opened with the same password).
        public var keystoreFile: URL
        public var distinguishedName: String
        /// Upper-case hex.
        public var publicKeyIdentifier: String

        public init(keystoreFile: URL, distinguishedName: String, publicKeyIdentifier: String) {
            self.keystoreFile = keystoreFile
            self.distinguishedName = distinguishedName
            self.publicKeyIdentifier = publicKeyIdentifier
        }
    }

    public var owner: Owner
    public var contact: Contact
    /// The folder of the new keystore (the Certificate Manager's is `<home>/ehealth/keystore`).
    public var keystoreDirectory: URL
    /// eHealth base services to notify of the new certificate (`BaseServiceUsage`), optional.
    public var baseServiceUsage: [String]
    /// Set for a renewal; nil for a new certificate.
    public var replacing: Replacement?
    /// The new keystore's protection; nil: modern, or for a renewal the replaced keystore's.
    public var keystoreFormat: KeystoreFormat?

    public init(owner: Owner, contact: Contact, keystoreDirectory: URL = CreateETKRequest.defaultKeystoreDirectory,
                baseServiceUsage: [String] = [], replacing: Replacement? = nil, keystoreFormat: KeystoreFormat? = nil) {
        self.owner = owner
        self.contact = contact
        self.keystoreDirectory = keystoreDirectory
        self.baseServiceUsage = baseServiceUsage
        self.replacing = replacing
        self.keystoreFormat = keystoreFormat
    }

    /// `<home>/ehealth/keystore`, where the platform's tools keep keystores.
    public static var defaultKeystoreDirectory: URL {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent("ehealth/keystore", isDirectory: true)
    }
}
