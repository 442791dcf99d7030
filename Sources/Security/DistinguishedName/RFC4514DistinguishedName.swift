import Foundation
import SwiftASN1
import X509

/// The string form of a distinguished name (RFC 4514), which swift-certificates does not parse
/// (BUILD-NOTES "Crypto"). Generic: any attribute types, multi-valued RDNs; the eHealth layout
/// is checked on top of it by ``EHealthDistinguishedName``.
///
/// Reading is liberal, as the DNs we meet are written by different tools: RFC 4514 escapes
/// (`\=`, `\,`, `\C3\A9`), spaces around separators and quoted values as Java's
/// `X500Principal.toString()` writes them (`CN="SSIN=85210123617", OU=…`, RFC 2253/1779), `;` as
/// a separator, `#` hex values holding a string. Writing is RFC 4514 and always the same for the
/// same name, so `RFC4514DistinguishedName(parsing: name.string) == name`.
struct RFC4514DistinguishedName: Hashable, Sendable {
    struct Attribute: Hashable, Sendable {
        var type: ASN1ObjectIdentifier
        var value: String
    }

    /// In string order: the most specific RDN (the CN) first. The DER encoding holds them the
    /// other way round (RFC 4514 section 2.1).
    var relativeNames: [[Attribute]]

    init(_ relativeNames: [[Attribute]]) {
        self.relativeNames = relativeNames
    }

    init(parsing text: String) throws {
        var parser = Parser(text: text)
        relativeNames = try parser.parse()
    }

    // MARK: - X509.DistinguishedName

    init(_ name: DistinguishedName) throws {
        relativeNames = try name.reversed().map { relativeName in
            try relativeName.map { attribute in
                guard let value = String(attribute.value) else {
                    throw SecurityError(.distinguishedNameSyntaxInvalid, "the \(Self.name(of: attribute.type)) attribute of \(name) is not a text string (UTF8String, PrintableString or IA5String)")
                }
                return Attribute(type: attribute.type, value: value)
            }
        }
    }

    /// RDNs in DER order. The country (and serialNumber) are PrintableStrings as RFC 5280 asks,
    /// emailAddress and domainComponent IA5Strings, everything else UTF8String — what
    /// swift-certificates' `DistinguishedNameBuilder` writes too.
    var distinguishedName: DistinguishedName {
        get throws {
            DistinguishedName(try relativeNames.reversed().map { attributes in
                RelativeDistinguishedName(try attributes.map { attribute -> RelativeDistinguishedName.Attribute in
                    switch attribute.type {
                    case .RDNAttributeType.countryName, Self.serialNumber:
                        if let printable = try? RelativeDistinguishedName.Attribute(type: attribute.type, printableString: attribute.value) {
                            return printable
                        }
                        return RelativeDistinguishedName.Attribute(type: attribute.type, utf8String: attribute.value)
                    case .RDNAttributeType.emailAddress, .RDNAttributeType.domainComponent:
                        do {
                            return try RelativeDistinguishedName.Attribute(type: attribute.type, ia5String: attribute.value)
                        } catch {
                            throw SecurityError(.distinguishedNameSyntaxInvalid, "the \(Self.name(of: attribute.type)) value \"\(attribute.value)\" must be ASCII (IA5String)")
                        }
                    default:
                        return RelativeDistinguishedName.Attribute(type: attribute.type, utf8String: attribute.value)
                    }
                })
            })
        }
    }

    // MARK: - Writing

    /// RFC 4514 section 2: `type=value`, RDNs joined by `,`, the attributes of one RDN by `+`.
    var string: String { string(escapingEquals: true) }

    /// `escapingEquals: false` leaves `=` inside values as it is, which RFC 4514 also allows: the
    /// cookbook's own example DN reads `CN=SSIN=85210123617,…`.
    func string(escapingEquals: Bool) -> String {
        relativeNames.map { attributes in
            attributes.map { "\(Self.name(of: $0.type))=\(Self.escape($0.value, escapingEquals: escapingEquals))" }.joined(separator: "+")
        }.joined(separator: ",")
    }

    /// RFC 4514 section 2.4. Beyond the characters that must be escaped (`"+,;<>\`, a leading `#`
    /// or space, a trailing space, NUL) we escape `=`, which RFC 4514 allows (`pair = ESC special`):
    /// the platform's DNs read `CN=SSIN\=85210123617` (protocol-facts "Distinguished names").
    /// Control characters are written as hex pairs so the string stays printable.
    static func escape(_ value: String, escapingEquals: Bool = true) -> String {
        let scalars = Array(value.unicodeScalars)
        var escaped = ""
        for (position, scalar) in scalars.enumerated() {
            switch scalar {
            case "=" where !escapingEquals:
                escaped.unicodeScalars.append(scalar)
            case "\"", "+", ",", ";", "<", ">", "\\", "=":
                escaped += "\\" + String(scalar)
            case "#" where position == 0:
                escaped += "\\#"
            case " " where position == 0 || position == scalars.count - 1:
                escaped += "\\ "
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += String(format: "\\%02X", scalar.value)
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    // MARK: - Attribute types

    static let serialNumber: ASN1ObjectIdentifier = [2, 5, 4, 5]

    /// The short names of RFC 4514 section 3 and the few more certificates use.
    private static let shortNames: [(String, ASN1ObjectIdentifier)] = [
        ("CN", .RDNAttributeType.commonName),
        ("L", .RDNAttributeType.localityName),
        ("ST", .RDNAttributeType.stateOrProvinceName),
        ("O", .RDNAttributeType.organizationName),
        ("OU", .RDNAttributeType.organizationalUnitName),
        ("C", .RDNAttributeType.countryName),
        ("STREET", .RDNAttributeType.streetAddress),
        ("DC", .RDNAttributeType.domainComponent),
        ("UID", [0, 9, 2342, 19_200_300, 100, 1, 1]),
        ("SERIALNUMBER", serialNumber),
        ("SN", [2, 5, 4, 4]),
        ("GIVENNAME", [2, 5, 4, 42]),
        ("TITLE", [2, 5, 4, 12]),
        ("EMAILADDRESS", .RDNAttributeType.emailAddress),
    ]

    /// Aliases read but never written.
    private static let aliases: [String: ASN1ObjectIdentifier] = ["E": .RDNAttributeType.emailAddress, "S": .RDNAttributeType.stateOrProvinceName]

    static func name(of type: ASN1ObjectIdentifier) -> String {
        shortNames.first { $0.1 == type }?.0 ?? type.description
    }

    static func type(named name: String) -> ASN1ObjectIdentifier? {
        let upper = name.uppercased()
        return shortNames.first { $0.0 == upper }?.1 ?? aliases[upper]
    }
}

// MARK: - Reading

extension RFC4514DistinguishedName {
    private struct Parser {
        let text: String
        let bytes: [UInt8]
        var index = 0

        init(text: String) {
            self.text = text
            bytes = Array(text.utf8)
        }

        var atEnd: Bool { index >= bytes.count }

        mutating func parse() throws -> [[Attribute]] {
            skipSpaces()
            if atEnd { return [] }
            var relativeNames: [[Attribute]] = []
            var current: [Attribute] = []
            while true {
                skipSpaces()
                let type = try parseType()
                skipSpaces()
                guard !atEnd, bytes[index] == UInt8(ascii: "=") else {
                    throw failure("expected '=' after the attribute type \(RFC4514DistinguishedName.name(of: type))")
                }
                index += 1
                skipSpaces()
                current.append(Attribute(type: type, value: try parseValue()))
                skipSpaces()
                if atEnd {
                    relativeNames.append(current)
                    return relativeNames
                }
                switch bytes[index] {
                case UInt8(ascii: "+"):
                    index += 1
                case UInt8(ascii: ","), UInt8(ascii: ";"):
                    index += 1
                    relativeNames.append(current)
                    current = []
                default:
                    throw failure("expected ',' or '+' after the value of \(RFC4514DistinguishedName.name(of: type))")
                }
            }
        }

        mutating func skipSpaces() {
            while !atEnd, bytes[index] == UInt8(ascii: " ") { index += 1 }
        }

        /// RFC 4512 `numericoid` (dotted decimal, no leading zeros) that is an X.660 identifier: at
        /// least two arcs, the first 0, 1 or 2, the second at most 39 under 0 and 1. Arcs are kept
        /// to 32 bits (real attribute types stay far below): swift-asn1 encodes arcs it cannot
        /// read back, and reading such an identifier (to print it) stops the process (found by
        /// fuzzing: `92.9449666666666666662.650=…`, `02.6.…13213333333323306600…=…`).
        static func isObjectIdentifier(_ text: String) -> Bool {
            let arcs = text.split(separator: ".", omittingEmptySubsequences: false)
            guard arcs.count >= 2 else { return false }
            var values: [UInt32] = []
            for arc in arcs {
                guard !arc.isEmpty, arc.utf8.allSatisfy(isDigit), arc == "0" || !arc.hasPrefix("0"),
                      let value = UInt32(arc) else { return false }
                values.append(value)
            }
            return values[0] <= 2 && (values[0] == 2 ? values[1] <= UInt32.max - 80 : values[1] <= 39)
        }

        /// `descr` (a short name), `numericoid`, or the older `OID.1.2.3` form.
        mutating func parseType() throws -> ASN1ObjectIdentifier {
            let start = index
            while !atEnd, Self.isTypeCharacter(bytes[index]) { index += 1 }
            var name = String(decoding: bytes[start..<index], as: UTF8.self)
            guard !name.isEmpty else { throw failure("expected an attribute type such as CN, OU, O or C") }
            if name.uppercased().hasPrefix("OID.") { name.removeFirst(4) }
            if let first = name.utf8.first, Self.isDigit(first) {
                guard Self.isObjectIdentifier(name), let type = try? ASN1ObjectIdentifier(dotRepresentation: name) else {
                    throw failure("\"\(name)\" is not an object identifier")
                }
                return type
            }
            guard let type = RFC4514DistinguishedName.type(named: name) else {
                throw failure("unknown attribute type \"\(name)\"; write it as a dotted object identifier")
            }
            return type
        }

        mutating func parseValue() throws -> String {
            guard !atEnd else { return "" }
            switch bytes[index] {
            case UInt8(ascii: "#"): return try parseHexValue()
            case UInt8(ascii: "\""): return try parseQuotedValue()
            default: return try parseStringValue()
            }
        }

        /// Up to the next unescaped `,`, `+` or `;`; unescaped trailing spaces do not count.
        mutating func parseStringValue() throws -> String {
            var value: [UInt8] = []
            var significantLength = 0
            while !atEnd {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: ";"):
                    return try decode(value.prefix(significantLength))
                case UInt8(ascii: "\\"):
                    value.append(try parsePair())
                    significantLength = value.count
                case UInt8(ascii: "\""):
                    throw failure("a '\"' inside a value must be escaped as \\\"")
                case 0:
                    throw failure("a NUL inside a value must be escaped as \\00")
                default:
                    value.append(byte)
                    index += 1
                    if byte != UInt8(ascii: " ") { significantLength = value.count }
                }
            }
            return try decode(value.prefix(significantLength))
        }

        /// RFC 2253 section 3 `quotation`: everything up to the closing quote is the value.
        mutating func parseQuotedValue() throws -> String {
            index += 1
            var value: [UInt8] = []
            while !atEnd {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return try decode(value[...])
                case UInt8(ascii: "\\"):
                    value.append(try parsePair())
                default:
                    value.append(bytes[index])
                    index += 1
                }
            }
            throw failure("a quoted value is not closed")
        }

        /// `#` and the hex of a DER string (RFC 4514 section 2.4, `hexstring`).
        mutating func parseHexValue() throws -> String {
            index += 1
            let start = index
            while !atEnd, Self.hexValue(bytes[index]) != nil { index += 1 }
            let hex = bytes[start..<index]
            guard !hex.isEmpty, hex.count % 2 == 0 else { throw failure("a '#' value needs an even number of hex digits") }
            var der: [UInt8] = []
            var iterator = hex.makeIterator()
            while let high = iterator.next(), let low = iterator.next() {
                der.append(Self.hexValue(high)! << 4 | Self.hexValue(low)!)
            }
            do {
                let node = try DER.parse(der)
                switch node.identifier {
                case ASN1UTF8String.defaultIdentifier: return String(try ASN1UTF8String(derEncoded: node))
                case ASN1PrintableString.defaultIdentifier: return String(try ASN1PrintableString(derEncoded: node))
                case ASN1IA5String.defaultIdentifier: return String(try ASN1IA5String(derEncoded: node))
                default: break
                }
            } catch {}
            throw failure("the '#' value is not a DER UTF8String, PrintableString or IA5String")
        }

        /// `\` then a special character or two hex digits (one byte of UTF-8).
        mutating func parsePair() throws -> UInt8 {
            index += 1
            guard !atEnd else { throw failure("the value ends with a lone '\\'") }
            let byte = bytes[index]
            if let high = Self.hexValue(byte), index + 1 < bytes.count, let low = Self.hexValue(bytes[index + 1]) {
                index += 2
                return high << 4 | low
            }
            guard Array(" \"#+,;<=>\\".utf8).contains(byte) else {
                throw failure("'\\' must be followed by one of  \"#+,;<=>\\ or two hex digits")
            }
            index += 1
            return byte
        }

        func decode(_ value: ArraySlice<UInt8>) throws -> String {
            guard let string = String(bytes: value, encoding: .utf8) else {
                throw failure("the escaped bytes of a value are not UTF-8")
            }
            return string
        }

        func failure(_ problem: String) -> SecurityError {
            SecurityError(.distinguishedNameSyntaxInvalid, "\"\(text)\" is not a distinguished name (RFC 4514) at offset \(index): \(problem)")
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        static func isTypeCharacter(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }

        static func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
    }
}
