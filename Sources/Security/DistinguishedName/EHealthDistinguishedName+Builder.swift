import Foundation

extension EHealthDistinguishedName {
    /// Builds a new eHealth DN from what a person typed: the identifier (separators allowed), the
    /// name (normalized: upper case, no diacritics), an optional application id.
    ///
    ///     let person = try EHealthDistinguishedName.Builder()
    ///         .person(ssin: "85.21.01-236.17")
    ///         .name("Dupont Dupond")
    ///         .build()
    ///     let application = try EHealthDistinguishedName.Builder()
    ///         .organization(.cbe, id: "0123.456.749")
    ///         .applicationID("MYAPP")
    ///         .name("Société Générale")
    ///         .build()
    ///
    /// The CSR of a certificate request must use the DN generateContract returns, not one built
    /// here (cookbook 4.3.4.5): build DNs for the generateContract request, for tests and for the
    /// sandbox, and compare them with the contract's.
    public struct Builder: Sendable {
        private var identifierType: IdentifierType?
        private var identifierValue: String?
        private var applicationIDValue: String?
        private var nameValue: String?

        public init() {}

        /// A person, identified by an SSIN or BIS number.
        public func person(ssin: String) -> Builder {
            var builder = self
            builder.identifierType = .ssin
            builder.identifierValue = ssin
            return builder
        }

        /// An organization, identified by a type getGenericOrganizationTypes lists (`CBE`,
        /// `NIHII-HOSPITAL`, …) and its number.
        public func organization(_ type: IdentifierType, id: String) -> Builder {
            var builder = self
            builder.identifierType = type
            builder.identifierValue = id
            return builder
        }

        /// An application id (organizations only), `[0-9A-Z-_]{1,30}`; `nil` for none.
        public func applicationID(_ applicationID: String?) -> Builder {
            var builder = self
            builder.applicationIDValue = applicationID
            return builder
        }

        /// The person's or organization's name, normalized by ``EHealthDistinguishedName/normalizedName(_:)``.
        public func name(_ name: String) -> Builder {
            var builder = self
            builder.nameValue = name
            return builder
        }

        public func build() throws -> EHealthDistinguishedName {
            guard let identifierType, let identifierValue else {
                throw SecurityError(.distinguishedNameInvalid, "an eHealth DN needs an identifier: call person(ssin:) or organization(_:id:)")
            }
            let identifier: Identifier
            switch identifierType {
            case .ssin: identifier = Identifier(try SSIN(formatted: identifierValue))
            case .cbe: identifier = Identifier(try CBENumber(formatted: identifierValue))
            default: identifier = try Identifier(type: identifierType, value: identifierValue.trimmingCharacters(in: .whitespaces))
            }
            guard let nameValue else {
                throw SecurityError(.distinguishedNameNameInvalid, "an eHealth DN needs the NAME of the person or organization: call name(_:)")
            }
            let name = EHealthDistinguishedName.normalizedName(nameValue)
            guard !name.isEmpty else {
                throw SecurityError(.distinguishedNameNameInvalid, "the name \"\(nameValue)\" is empty once normalized; give the person's or organization's name")
            }
            return try EHealthDistinguishedName(
                identifier: identifier,
                applicationID: try applicationIDValue.map(ApplicationID.init),
                name: name)
        }
    }
}
