import Foundation
import X509

/// The distinguished name of an eHealth certificate (protocol-facts "Distinguished names"):
///
///     CN=<TYPE>\=<ID>[\, <APPID>],OU=eHealth-platform Belgium,OU=<NAME>,OU=<TYPE>\=<ID>[,OU=<APPID>],O=Federal Government,C=BE
///
/// for example `CN=SSIN\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\=85210123617,O=Federal Government,C=BE`
/// for a person and `CN=CBE\=0123456749\, APPID,…,OU=CBE\=0123456749,OU=APPID,O=Federal Government,C=BE`
/// for an organization's application.
///
/// Only DNs that follow this layout can be made: read the contract's DN with ``init(_:)``
/// (the CSR subject must be exactly that DN, cookbook 4.3.4.5), or build a new one with
/// ``Builder``. ``description`` writes the RFC 4514 string; reading it back gives the same value.
public struct EHealthDistinguishedName: Hashable, Sendable, CustomStringConvertible {
    /// `SSIN=…` for a person, `CBE=…`, `NIHII-HOSPITAL=…`, … for an organization.
    public let identifier: Identifier
    /// Only organizations have one (cookbook 4.3.4.3).
    public let applicationID: ApplicationID?
    /// The `OU` between the platform's and the identifier's: the person's or organization's name,
    /// as it stands in the DN. New names are normalized by ``Builder`` (``normalizedName(_:)``).
    public let name: String

    /// The fixed parts of every eHealth DN.
    public static let platformUnit = "eHealth-platform Belgium"
    public static let organizationName = "Federal Government"
    public static let countryName = "BE"

    /// Checks the parts against each other; the parts are valid by construction.
    init(identifier: Identifier, applicationID: ApplicationID?, name: String) throws {
        if applicationID != nil, identifier.type.isPerson {
            throw SecurityError(.applicationIDInvalid, "a person's DN (\(identifier)) cannot carry an application id; application ids distinguish an organization's certificates")
        }
        guard !name.isEmpty, name.trimmingCharacters(in: .whitespaces) == name,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw SecurityError(.distinguishedNameNameInvalid, "the NAME of an eHealth DN must be non-empty, without surrounding spaces or control characters; got \"\(name)\"")
        }
        self.identifier = identifier
        self.applicationID = applicationID
        self.name = name
    }

    public var isPerson: Bool { identifier.type.isPerson }

    /// The CN value: `SSIN=85210123617`, or `CBE=0123456749, APPID` with an application id.
    public var commonName: String {
        applicationID.map { "\(identifier), \($0)" } ?? identifier.description
    }

    // MARK: - Strings

    /// Reads a DN string, typically the `Contract/DN` generateContract returned. Accepts RFC 4514
    /// and the quoted form Java prints (`CN="SSIN=85210123617", OU=…`); then checks the eHealth
    /// layout, the identifier's check digits and the application id. Throws codes starting with
    /// `CSR_INVALID_DN_INVALID`.
    public init(_ string: String) throws {
        try self.init(RFC4514DistinguishedName(parsing: string), source: string)
    }

    /// The RFC 4514 string, escaped as the platform writes it (`CN=SSIN\=85210123617,…`).
    public var description: String { rfc4514Name.string }

    // MARK: - X509.DistinguishedName

    /// From a certificate's or CSR's subject (DER order: `C` first).
    public init(_ distinguishedName: DistinguishedName) throws {
        try self.init(RFC4514DistinguishedName(distinguishedName), source: distinguishedName.description)
    }

    /// For a certificate or CSR subject: RDNs in DER order, the reverse of the string (`C=BE`
    /// first, the `CN` last); `C` a PrintableString, the others UTF8String.
    public var distinguishedName: DistinguishedName {
        // Cannot fail: "BE" is a valid PrintableString and every other value is UTF8String.
        try! rfc4514Name.distinguishedName
    }

    // MARK: - Layout

    var rfc4514Name: RFC4514DistinguishedName {
        typealias Attribute = RFC4514DistinguishedName.Attribute
        var units = [Self.platformUnit, name, identifier.description]
        if let applicationID { units.append(applicationID.rawValue) }
        return RFC4514DistinguishedName(
            [[Attribute(type: .RDNAttributeType.commonName, value: commonName)]]
                + units.map { [Attribute(type: .RDNAttributeType.organizationalUnitName, value: $0)] }
                + [[Attribute(type: .RDNAttributeType.organizationName, value: Self.organizationName)],
                   [Attribute(type: .RDNAttributeType.countryName, value: Self.countryName)]])
    }

    private init(_ parsed: RFC4514DistinguishedName, source: String) throws {
        func violation(_ problem: String) -> SecurityError {
            SecurityError(.distinguishedNameInvalid, "\"\(source)\" is not an eHealth DN: \(problem). The DN must read CN=<TYPE>\\=<ID>[\\, <APPID>],OU=eHealth-platform Belgium,OU=<NAME>,OU=<TYPE>\\=<ID>[,OU=<APPID>],O=Federal Government,C=BE; use the DN generateContract returned, unchanged")
        }
        var values: [(name: String, value: String)] = []
        for relativeName in parsed.relativeNames {
            guard relativeName.count == 1, let attribute = relativeName.first else {
                throw violation("it has a multi-valued RDN (joined with '+')")
            }
            values.append((RFC4514DistinguishedName.name(of: attribute.type), attribute.value))
        }
        let layout = values.map(\.name)
        let hasApplicationUnit: Bool
        switch layout {
        case ["CN", "OU", "OU", "OU", "O", "C"]: hasApplicationUnit = false
        case ["CN", "OU", "OU", "OU", "OU", "O", "C"]: hasApplicationUnit = true
        default: throw violation("its attributes are \(layout.joined(separator: ",")), not CN,OU,OU,OU[,OU],O,C")
        }
        guard values[1].value == Self.platformUnit else { throw violation("the first OU is \"\(values[1].value)\", not \"\(Self.platformUnit)\"") }
        guard values[values.count - 2].value == Self.organizationName else { throw violation("O is \"\(values[values.count - 2].value)\", not \"\(Self.organizationName)\"") }
        guard values[values.count - 1].value == Self.countryName else { throw violation("C is \"\(values[values.count - 1].value)\", not \"\(Self.countryName)\"") }

        // OU=<TYPE>=<ID>
        let identifierUnit = values[3].value
        guard let equals = identifierUnit.firstIndex(of: "=") else {
            throw violation("the third OU \"\(identifierUnit)\" is not <TYPE>=<ID>")
        }
        let identifier = try Identifier(
            type: IdentifierType(String(identifierUnit[..<equals])),
            value: String(identifierUnit[identifierUnit.index(after: equals)...]))
        let applicationID = hasApplicationUnit ? try ApplicationID(values[4].value) : nil
        let expected = try Self(identifier: identifier, applicationID: applicationID, name: values[2].value)
        guard values[0].value == expected.commonName else {
            throw violation("the CN \"\(values[0].value)\" does not match the OUs; it should be \"\(expected.commonName)\"")
        }
        self = expected
    }

    // MARK: - Normalization

    /// The NAME as eHealth DNs hold it: upper case, diacritics removed (Unicode NFD, combining
    /// marks dropped; protocol-facts "Distinguished names"), spaces collapsed. `Société Générale`
    /// becomes `SOCIETE GENERALE`.
    public static func normalizedName(_ name: String) -> String {
        let withoutMarks = String(String.UnicodeScalarView(name.uppercased().decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            switch $0.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: false
            default: true
            }
        }))
        return withoutMarks.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
