import Foundation
import SwiftASN1
import Testing
import X509
@testable import Security

@Suite struct EHealthDistinguishedNameTests {
    // MARK: - Reading the contract's DN

    @Test func readsAPersonDNAndWritesItBackByteForByte() throws {
        let dn = try EHealthDistinguishedName(IdentityFixtures.personDN)
        #expect(dn.identifier.type == .ssin)
        #expect(dn.identifier.value == "85210123617")
        #expect(dn.name == "DUPONT DUPOND")
        #expect(dn.applicationID == nil)
        #expect(dn.isPerson)
        #expect(dn.commonName == "SSIN=85210123617")
        #expect(dn.description == IdentityFixtures.personDN)
    }

    @Test func readsAnOrganizationDNWithAnApplicationID() throws {
        let dn = try EHealthDistinguishedName(IdentityFixtures.organizationDN)
        #expect(dn.identifier == (try Identifier(type: .cbe, value: "0123456749")))
        #expect(dn.applicationID?.rawValue == "APPID")
        #expect(dn.name == "SOCIETE GENERALE")
        #expect(!dn.isPerson)
        #expect(dn.commonName == "CBE=0123456749, APPID")
        #expect(dn.description == IdentityFixtures.organizationDN)
    }

    @Test func readsTheCookbooksUnescapedFormAndJavasQuotedForm() throws {
        let escaped = try EHealthDistinguishedName(IdentityFixtures.personDN)
        // Cookbook 4.3.7.1 writes `=` unescaped, which RFC 4514 allows.
        let cookbook = try EHealthDistinguishedName("CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN=85210123617,O=Federal Government,C=BE")
        #expect(cookbook == escaped)
        // X500Principal.toString(): quotes and ", " separators.
        let java = try EHealthDistinguishedName("CN=\"SSIN=85210123617\", OU=eHealth-platform Belgium, OU=DUPONT DUPOND, OU=\"SSIN=85210123617\", O=Federal Government, C=BE")
        #expect(java == escaped)
        let organization = try EHealthDistinguishedName("CN=\"CBE=0123456749, APPID\", OU=eHealth-platform Belgium, OU=SOCIETE GENERALE, OU=\"CBE=0123456749\", OU=APPID, O=Federal Government, C=BE")
        #expect(organization == (try EHealthDistinguishedName(IdentityFixtures.organizationDN)))
        // Hex escapes (RFC 4514 `\XX`) are UTF-8 bytes.
        let hex = try EHealthDistinguishedName("CN=SSIN\\3D85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN=85210123617,O=Federal Government,C=BE")
        #expect(hex == escaped)
    }

    @Test func keepsTheNameAsTheContractWroteIt() throws {
        // Faithful: the CSR subject must be the contract's DN, so reading never rewrites the name.
        let dn = try EHealthDistinguishedName("CN=\"SSIN=85210123617\", OU=eHealth-platform Belgium, OU=Anne Peeters, OU=\"SSIN=85210123617\", O=Federal Government, C=BE")
        #expect(dn.name == "Anne Peeters")
        #expect(dn.description == "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=Anne Peeters,OU=SSIN\\=85210123617,O=Federal Government,C=BE")
    }

    // MARK: - Building

    @Test func buildsAPersonDNWithANormalizedName() throws {
        let dn = try EHealthDistinguishedName.Builder()
            .person(ssin: "85.21.01-236.17")
            .name("  Dupont   Dupond ")
            .build()
        #expect(dn.description == IdentityFixtures.personDN)
        #expect(dn == (try EHealthDistinguishedName(IdentityFixtures.personDN)))
    }

    @Test func buildsAnOrganizationDNWithAnApplicationID() throws {
        let dn = try EHealthDistinguishedName.Builder()
            .organization(.cbe, id: "BE 0123.456.749")
            .applicationID("APPID")
            .name("Société Générale")
            .build()
        #expect(dn.description == IdentityFixtures.organizationDN)
    }

    @Test func normalizesNamesToUpperCaseWithoutDiacritics() {
        #expect(EHealthDistinguishedName.normalizedName("Société Générale") == "SOCIETE GENERALE")
        #expect(EHealthDistinguishedName.normalizedName("Müller-Lüdenscheidt") == "MULLER-LUDENSCHEIDT")
        #expect(EHealthDistinguishedName.normalizedName("Ève  d’Ançà\tÑoño") == "EVE D’ANCA NONO")
        #expect(EHealthDistinguishedName.normalizedName("Hôpital Saint-Luc") == "HOPITAL SAINT-LUC")
        // Precomposed and decomposed input give the same name.
        #expect(EHealthDistinguishedName.normalizedName("e\u{301}") == EHealthDistinguishedName.normalizedName("\u{e9}"))
        #expect(EHealthDistinguishedName.normalizedName("\u{1f0}") == "J") // ǰ upper-cases to J + combining caron
    }

    @Test func builderRefusesIncompleteOrInvalidInput() {
        expectCode(.distinguishedNameInvalid) { try EHealthDistinguishedName.Builder().name("X").build() }
        expectCode(.distinguishedNameNameInvalid) { try EHealthDistinguishedName.Builder().person(ssin: "85210123617").build() }
        expectCode(.distinguishedNameNameInvalid) { try EHealthDistinguishedName.Builder().person(ssin: "85210123617").name("  \u{301} ").build() }
        expectCode(.ssinInvalid) { try EHealthDistinguishedName.Builder().person(ssin: "85210123618").name("X").build() }
        expectCode(.cbeNumberInvalid) { try EHealthDistinguishedName.Builder().organization(.cbe, id: "0123456748").name("X").build() }
        expectCode(.applicationIDInvalid) { try EHealthDistinguishedName.Builder().organization(.cbe, id: "0123456749").applicationID("app").name("X").build() }
        // Application ids distinguish an organization's certificates only.
        expectCode(.applicationIDInvalid) { try EHealthDistinguishedName.Builder().person(ssin: "85210123617").applicationID("APP").name("X").build() }
        expectCode(.identifierInvalid) { try EHealthDistinguishedName.Builder().organization(.nihiiHospital, id: "710=1").name("X").build() }
    }

    @Test func otherOrganizationTypesKeepTheirNumber() throws {
        let dn = try EHealthDistinguishedName.Builder().organization(.nihiiHospital, id: "71000436").name("AZ Sint-Jan").build()
        #expect(dn.description == "CN=NIHII-HOSPITAL\\=71000436,OU=eHealth-platform Belgium,OU=AZ SINT-JAN,OU=NIHII-HOSPITAL\\=71000436,O=Federal Government,C=BE")
        #expect(try EHealthDistinguishedName(dn.description) == dn)
        #expect(throws: SecurityError.self) { try IdentifierType("nihii") }
    }

    // MARK: - Layout errors

    @Test(arguments: [
        // an OU missing
        "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=SSIN\\=85210123617,O=Federal Government,C=BE",
        // the platform's OU wrong
        "CN=SSIN\\=85210123617,OU=eHealth platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=BE",
        // O and C wrong
        "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Governement,C=BE",
        "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=NL",
        // the CN does not match the OU
        "CN=SSIN\\=85010112387,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=BE",
        "CN=CBE\\=0123456749,OU=eHealth-platform Belgium,OU=SOCIETE GENERALE,OU=CBE\\=0123456749,OU=APPID,O=Federal Government,C=BE",
        // DER order written as a string
        "C=BE,O=Federal Government,OU=SSIN\\=85210123617,OU=DUPONT DUPOND,OU=eHealth-platform Belgium,CN=SSIN\\=85210123617",
        // a multi-valued RDN
        "CN=SSIN\\=85210123617+UID=x,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=BE",
        // an extra attribute
        "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,L=Brussels,C=BE",
        // the identifier OU without '='
        "CN=SSIN85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN85210123617,O=Federal Government,C=BE",
        "",
    ])
    func refusesDNsThatBreakTheLayout(_ string: String) {
        let error = #expect(throws: SecurityError.self) { try EHealthDistinguishedName(string) }
        #expect(error?.code == .distinguishedNameInvalid)
        #expect(error?.code.rawValue.hasPrefix("CSR_INVALID_DN_INVALID") == true)
    }

    @Test func refusesWrongIdentifiersWithTheirOwnCodes() {
        expectCode(.ssinInvalid) {
            try EHealthDistinguishedName("CN=SSIN\\=85210123618,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123618,O=Federal Government,C=BE")
        }
        expectCode(.cbeNumberInvalid) {
            try EHealthDistinguishedName("CN=CBE\\=0123456748,OU=eHealth-platform Belgium,OU=X,OU=CBE\\=0123456748,O=Federal Government,C=BE")
        }
        expectCode(.applicationIDInvalid) {
            try EHealthDistinguishedName("CN=CBE\\=0123456749\\, app id,OU=eHealth-platform Belgium,OU=X,OU=CBE\\=0123456749,OU=app id,O=Federal Government,C=BE")
        }
        expectCode(.applicationIDInvalid) {
            try EHealthDistinguishedName("CN=SSIN\\=85210123617\\, APP,OU=eHealth-platform Belgium,OU=X,OU=SSIN\\=85210123617,OU=APP,O=Federal Government,C=BE")
        }
        expectCode(.identifierInvalid) {
            try EHealthDistinguishedName("CN=cbe\\=0123456749,OU=eHealth-platform Belgium,OU=X,OU=cbe\\=0123456749,O=Federal Government,C=BE")
        }
        expectCode(.distinguishedNameNameInvalid) {
            try EHealthDistinguishedName("CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=,OU=SSIN\\=85210123617,O=Federal Government,C=BE")
        }
    }

    @Test(arguments: [
        "CN=\"SSIN=85210123617,OU=eHealth-platform Belgium",  // quote not closed
        "CN=SSIN\\",                                          // lone backslash
        "CN=SSIN\\x",                                         // bad escape
        "XX=1,C=BE",                                          // unknown type
        "CN=SSIN=85210123617,",                               // trailing comma
        "CN SSIN,C=BE",                                       // no '='
        "CN=a\"b,C=BE",                                       // unescaped quote
        "CN=\\FF\\FE,C=BE",                                   // not UTF-8
    ])
    func refusesTextThatIsNoDistinguishedName(_ string: String) {
        let error = #expect(throws: SecurityError.self) { try EHealthDistinguishedName(string) }
        #expect(error?.code == .distinguishedNameSyntaxInvalid)
    }

    // MARK: - X509.DistinguishedName

    @Test func convertsToX509InDEROrder() throws {
        let dn = try EHealthDistinguishedName(IdentityFixtures.organizationDN)
        let x509 = dn.distinguishedName
        let expected = try DistinguishedName {
            CountryName("BE")
            OrganizationName("Federal Government")
            OrganizationalUnitName("APPID")
            OrganizationalUnitName("CBE=0123456749")
            OrganizationalUnitName("SOCIETE GENERALE")
            OrganizationalUnitName("eHealth-platform Belgium")
            CommonName("CBE=0123456749, APPID")
        }
        #expect(x509 == expected)
        #expect(x509.first?.first?.type == .RDNAttributeType.countryName)
        #expect(x509.last?.first?.type == .RDNAttributeType.commonName)
        // The country is a PrintableString (tag 0x13) as RFC 5280 asks; the rest UTF8String (0x0C).
        var serializer = DER.Serializer()
        try serializer.serialize(x509)
        let der = serializer.serializedBytes
        #expect(der.starts(with: [0x30]))
        #expect(contains(der, [0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x42, 0x45]))
        #expect(contains(der, [0x06, 0x03, 0x55, 0x04, 0x0A, 0x0C, 0x12] + Array("Federal Government".utf8)))
        #expect(try EHealthDistinguishedName(x509) == dn)
    }

    @Test func readsX509NamesWhateverTheirStringTypes() throws {
        let x509 = DistinguishedName([
            RelativeDistinguishedName(try .init(type: .RDNAttributeType.countryName, printableString: "BE")),
            RelativeDistinguishedName(try .init(type: .RDNAttributeType.organizationName, printableString: "Federal Government")),
            RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationalUnitName, utf8String: "SSIN=85210123617")),
            RelativeDistinguishedName(try .init(type: .RDNAttributeType.organizationalUnitName, printableString: "DUPONT DUPOND")),
            RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationalUnitName, utf8String: "eHealth-platform Belgium")),
            RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, utf8String: "SSIN=85210123617")),
        ])
        #expect(try EHealthDistinguishedName(x509) == (try EHealthDistinguishedName(IdentityFixtures.personDN)))
        // Reversed (string order put into DER) is not an eHealth DN.
        let error = #expect(throws: SecurityError.self) { try EHealthDistinguishedName(DistinguishedName(x509.reversed())) }
        #expect(error?.code == .distinguishedNameInvalid)
    }

    // MARK: - RFC 4514

    @Test func escapesWhatRFC4514AsksAndReadsItBack() throws {
        let awkward = [
            "#1, \"A+B\" <C>; D\\E=F",
            " leading and trailing ",
            "new\nline\u{0}nul",
            "Ωmega – 東京",
            "#",
            "",
        ]
        for value in awkward {
            let name = RFC4514DistinguishedName([[.init(type: .RDNAttributeType.organizationalUnitName, value: value)]])
            let reread = try RFC4514DistinguishedName(parsing: name.string)
            #expect(reread == name, "\(value.debugDescription) written as \(name.string)")
        }
        #expect(RFC4514DistinguishedName.escape("#1, \"A+B\" <C>; D\\E=F") == "\\#1\\, \\\"A\\+B\\\" \\<C\\>\\; D\\\\E\\=F")
        #expect(RFC4514DistinguishedName.escape(" a ") == "\\ a\\ ")
        #expect(RFC4514DistinguishedName.escape("a\u{0}") == "a\\00")
        #expect(RFC4514DistinguishedName.escape("a#b") == "a#b")
    }

    @Test func eHealthDNsWithAwkwardNamesRoundTrip() throws {
        for name in ["A, B + C", "\"QUOTED\" <NAME>; X\\Y", "#HASH", "O'BRIEN = SMITH"] {
            let dn = try EHealthDistinguishedName.Builder().organization(.cbe, id: "0123456749").applicationID("A-1_B").name(name).build()
            #expect(try EHealthDistinguishedName(dn.description) == dn, "\(dn.description)")
            #expect(try EHealthDistinguishedName(dn.distinguishedName) == dn)
        }
    }

    @Test func randomNamesRoundTripThroughTheWriterAndTheReader() throws {
        // A fixed-seed generator: the same cases every run, many awkward characters.
        var generator = IdentitySeededGenerator(seed: 4514)
        let alphabet = Array("ab Z09=,+\"\\<>;#\u{0}\t\u{7F}éŒ东\u{301}-_.'")
        for _ in 0..<500 {
            let relativeNames: [[RFC4514DistinguishedName.Attribute]] = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (0..<Int.random(in: 1...2, using: &generator)).map { _ in
                    let value = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
                    let type: ASN1ObjectIdentifier = [[2, 5, 4, 3], [2, 5, 4, 11], [2, 5, 4, 10], [1, 2, 3, 4]].randomElement(using: &generator)!
                    return RFC4514DistinguishedName.Attribute(type: type, value: value)
                }
            }
            let name = RFC4514DistinguishedName(relativeNames)
            #expect(try RFC4514DistinguishedName(parsing: name.string) == name, "\(name.string)")
        }
    }

    @Test func readsHexValuesAndOIDTypes() throws {
        // `#` + DER UTF8String "hello"; a numeric OID type; the legacy OID. prefix.
        let name = try RFC4514DistinguishedName(parsing: "CN=#0C0568656C6C6F,2.5.4.11=unit,OID.2.5.4.10=org,C=BE")
        #expect(name.relativeNames.map { $0[0].value } == ["hello", "unit", "org", "BE"])
        #expect(name.string == "CN=hello,OU=unit,O=org,C=BE")
        #expect(try RFC4514DistinguishedName(parsing: "1.2.3.4=x").string == "1.2.3.4=x")
        #expect(try RFC4514DistinguishedName(parsing: "cn=a+ou=b ; c=BE").relativeNames.count == 2)
    }

    // MARK: - Check digits

    @Test func ssinCheckDigits() throws {
        #expect(try SSIN("85210123617").isBIS)                         // the cookbook's example, month 21
        #expect(try !SSIN("85010112387").isBIS)                        // born 1985
        #expect(try SSIN("05051212374").digits == "05051212374")       // born 2005: 2 prefixed before mod 97
        #expect(try SSIN("05051212345").digits == "05051212345")       // born 1905
        #expect(try SSIN("85410123660").isBIS)                         // month + 40
        #expect(try SSIN(formatted: "85.21.01-236.17").digits == "85210123617")
        for wrong in ["85210123618", "05051212375", "8521012361", "852101236170", "8521012361a", "85130112374", "85013212330", "85330112320"] {
            let error = #expect(throws: SecurityError.self) { try SSIN(wrong) }
            #expect(error?.code == .ssinInvalid, "\(wrong)")
        }
    }

    @Test func cbeCheckDigits() throws {
        #expect(try CBENumber("0123456749").digits == "0123456749")
        #expect(try CBENumber(formatted: "BE 0123.456.749").digits == "0123456749")
        for wrong in ["0123456748", "123456749", "01234567490", "012345674A"] {
            let error = #expect(throws: SecurityError.self) { try CBENumber(wrong) }
            #expect(error?.code == .cbeNumberInvalid, "\(wrong)")
        }
    }

    @Test func applicationIDPattern() throws {
        #expect(try ApplicationID("APP_1-X").rawValue == "APP_1-X")
        #expect(try ApplicationID(String(repeating: "A", count: 30)).rawValue.count == 30)
        for wrong in ["", "app", "APP ID", "APP.ID", String(repeating: "A", count: 31), "ÉTÉ"] {
            let error = #expect(throws: SecurityError.self) { try ApplicationID(wrong) }
            #expect(error?.code == .applicationIDInvalid, "\(wrong)")
        }
    }

    // MARK: - Helpers

    private func expectCode(_ code: SecurityError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> some Any) {
        let error = #expect(throws: SecurityError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.code == code, "\(error?.description ?? "no error")", sourceLocation: sourceLocation)
    }

    private func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard part.count <= bytes.count else { return false }
        return (0...(bytes.count - part.count)).contains { Array(bytes[$0..<($0 + part.count)]) == part }
    }
}

/// IdentitySeededGenerator: a tiny deterministic generator for reproducible random cases.
struct IdentitySeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
