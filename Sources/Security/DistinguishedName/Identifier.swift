import Foundation

/// The kind of identifier in an eHealth DN (`IdType/@Type`): `SSIN` for persons; for
/// organizations the types getGenericOrganizationTypes lists (`CBE`, `NIHII-HOSPITAL`,
/// `NIHII-PHARMACY`, …).
public struct IdentifierType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// `nil` unless `rawValue` is upper-case letters, digits, `-` and `_`.
    public init?(rawValue: String) {
        guard Self.isWellFormed(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) throws {
        guard let type = Self(rawValue: rawValue) else {
            throw SecurityError(.identifierInvalid, "\"\(rawValue)\" is not an identifier type: types are upper case, like SSIN, CBE or NIHII-HOSPITAL (see getGenericOrganizationTypes)")
        }
        self = type
    }

    private init(known: String) { rawValue = known }

    public static let ssin = Self(known: "SSIN")
    public static let cbe = Self(known: "CBE")
    public static let nihiiHospital = Self(known: "NIHII-HOSPITAL")
    public static let nihiiPharmacy = Self(known: "NIHII-PHARMACY")

    /// Persons are identified by their SSIN; every other type is an organization's.
    public var isPerson: Bool { self == .ssin }

    public var description: String { rawValue }

    private static func isWellFormed(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
        }
    }
}

/// `<TYPE>=<ID>`: who an eHealth certificate belongs to. Only valid identifiers can be made: an
/// SSIN or a CBE number must pass its check digits. For other organization types the client
/// should also check the `ValidationRegEx` and `CheckDigitAlgorithm` that
/// getGenericOrganizationTypes returns (protocol-facts "Distinguished names"); here the value
/// must only be free of the characters that would make the DN ambiguous.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {
    public let type: IdentifierType
    public let value: String

    public init(type: IdentifierType, value: String) throws {
        switch type {
        case .ssin: _ = try SSIN(value)
        case .cbe: _ = try CBENumber(value)
        default:
            // `=` and `,` separate the type, the id and the application id inside the CN value.
            let forbidden = value.unicodeScalars.contains { $0 == "=" || $0 == "," || $0.properties.generalCategory == .control }
            guard !value.isEmpty, !forbidden, value.trimmingCharacters(in: .whitespaces) == value else {
                throw SecurityError(.identifierInvalid, "\"\(value)\" is not a usable \(type) identifier: it must be non-empty, without '=', ',', control characters or surrounding spaces")
            }
        }
        self.type = type
        self.value = value
    }

    public init(_ ssin: SSIN) {
        type = .ssin
        value = ssin.digits
    }

    public init(_ cbe: CBENumber) {
        type = .cbe
        value = cbe.digits
    }

    /// `SSIN=85210123617`: the text of the `OU` that carries the identifier.
    public var description: String { "\(type.rawValue)=\(value)" }
}
