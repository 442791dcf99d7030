import FixtureBindings
import Foundation
import Testing

/// Facets of the fixture's simple types (pattern, length, range, fraction digits, enumeration)
/// are checked on decoding, with the same verdict as libxml2 on the fixture's XSDs.
@Suite struct FixtureFacetTests {
    /// A valid fixture document with one value replaced by one that breaks a facet.
    struct Edit: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let document: @Sendable () throws -> String
        let decode: @Sendable (String) throws -> Void
        let replacing: String
        let with: String
        let code: XMLError.Code
        let path: String

        static func on<Value: XMLRootElement>(
            _ description: String, _ make: @escaping @Sendable () throws -> Value,
            replacing: String, with: String, code: XMLError.Code = .facetViolation, path: String
        ) -> Edit {
            Edit(testDescription: description, document: { try make().xmlDocument() }, decode: { _ = try Value(xmlDocument: $0) },
                 replacing: replacing, with: with, code: code, path: path)
        }
    }

    static let edits: [Edit] = [
        .on("SSIN of 10 digits (length)", { try SampleFixtureMessages.getProfessionalContactInfoRequest() },
            replacing: ">85210123617<", with: ">8521012361<", path: "GetProfessionalContactInfoRequest/SSIN"),
        .on("SSIN with a letter (pattern)", { try SampleFixtureMessages.getProfessionalContactInfoRequest() },
            replacing: ">85210123617<", with: ">8521012361X<", path: "GetProfessionalContactInfoRequest/SSIN"),
        .on("NIHII of 9 digits (neither pattern)", { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byNIHII()) },
            replacing: ">10034567890<", with: ">123456789<", path: "SearchProfessionalsRequest/NIHII"),
        .on("MaxResults 101 (maxInclusive)", { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byName()) },
            replacing: "MaxResults>100<", with: "MaxResults>101<", path: "SearchProfessionalsRequest/MaxResults"),
        .on("MaxResults 0 (minInclusive)", { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byName()) },
            replacing: "MaxResults>100<", with: "MaxResults>0<", path: "SearchProfessionalsRequest/MaxResults"),
        .on("MaxResults not a number", { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byName()) },
            replacing: "MaxResults>100<", with: "MaxResults>many<", code: .invalidValue, path: "SearchProfessionalsRequest/MaxResults"),
        .on("empty LastName (minLength)", { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byName()) },
            replacing: ">Peeters<", with: "><", path: "SearchProfessionalsRequest/LastName"),
        .on("LastName of 101 characters (maxLength)", { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byName()) },
            replacing: ">Peeters<", with: ">\(String(repeating: "é", count: 101))<", path: "SearchProfessionalsRequest/LastName"),
        .on("reimbursement rate with 3 fraction digits", { try SampleFixtureMessages.getOrganizationContactInfoResponse() },
            replacing: ">75.5<", with: ">75.555<", path: "GetOrganizationContactInfoResponse/Organization/ReimbursementRate"),
        .on("reimbursement rate over 100", { try SampleFixtureMessages.getOrganizationContactInfoResponse() },
            replacing: ">75.5<", with: ">100.5<", path: "GetOrganizationContactInfoResponse/Organization/ReimbursementRate"),
        .on("lower-case country code (pattern)", { try SampleFixtureMessages.getOrganizationContactInfoResponse() },
            replacing: ">BE<", with: ">be<", path: "GetOrganizationContactInfoResponse/Organization/Address/CountryCode"),
        .on("three-letter country code (length)", { try SampleFixtureMessages.getOrganizationContactInfoResponse() },
            replacing: ">BE<", with: ">BEL<", path: "GetOrganizationContactInfoResponse/Organization/Address/CountryCode"),
        .on("relevance attribute over 1", { try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: nil) },
            replacing: #"Relevance="0.85""#, with: #"Relevance="1.5""#, path: "GetProfessionalContactInfoResponse/Professional"),
        .on("thumbprint of 31 bytes (length)", { try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: nil) },
            replacing: HexBinary(SampleBytes.pattern(count: 32, seed: 1)).xmlText,
            with: HexBinary(SampleBytes.pattern(count: 31, seed: 1)).xmlText,
            path: "GetProfessionalContactInfoResponse/Professional/CertificateThumbprint"),
        .on("gender not in the enumeration", { try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: nil) },
            replacing: ">FEMALE<", with: ">F<", code: .unknownEnumerationValue, path: "GetProfessionalContactInfoResponse/Professional/Gender"),
        .on("profession in the wrong case", { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.bySSIN()) },
            replacing: ">nurse<", with: ">NURSE<", code: .unknownEnumerationValue, path: "SearchProfessionalsRequest/Profession"),
    ]

    @Test(arguments: edits)
    func aValueBreakingAFacetIsRefusedWhereItIs(_ edit: Edit) throws {
        let valid = try edit.document()
        let text = valid.replacingOccurrences(of: edit.replacing, with: edit.with)
        try #require(text != valid, "the sample does not contain \(edit.replacing)")
        // Strict, as libxml2 judges: tolerant decoding keeps an unlisted enumeration value (below).
        let error = try #require(throws: XMLError.self) { try XMLDecoding.strict { try edit.decode(text) } }
        #expect(error.code == edit.code)
        if edit.code != .unknownEnumerationValue {
            #expect(throws: XMLError.self, "facets are checked in both modes") { try edit.decode(text) }
        }
        #expect(error.path == edit.path)
        #expect(try !FixtureSchemas.violations(of: text).isEmpty, "libxml2 accepts what the bindings refuse")
    }

    @Test func anUnlistedEnumerationValueIsKeptWhenTolerant() throws {
        let valid = try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: nil).xmlDocument()
        let text = valid.replacingOccurrences(of: ">FEMALE<", with: ">F<")
        let response = try GetProfessionalContactInfoResponse(xmlDocument: text)
        #expect(response.professional?.gender == .unrecognized("F"))
    }

    @Test func lengthCountsCharactersNotGraphemeClusters() throws {
        // XML Schema 1.0 §4.3.1: the length of a string is its number of characters (code
        // points). 60 times "e" + COMBINING ACUTE ACCENT is 120 characters, over NameType's 100,
        // but only 60 Swift Characters.
        let valid = try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byName()).xmlDocument()
        let text = valid.replacingOccurrences(of: ">Peeters<", with: ">\(String(repeating: "e\u{301}", count: 60))<")
        #expect(try !FixtureSchemas.violations(of: text).isEmpty)
        let error = try #require(throws: XMLError.self) { try SearchProfessionalsRequest(xmlDocument: text) }
        #expect(error.code == .facetViolation)
    }

    @Test func facetsAreCheckedWhenValuesAreBuiltInSwift() throws {
        #expect(throws: XMLError.self) { try SearchProfessionalsRequestMaxResults(0) }
        #expect(throws: XMLError.self) { try SearchProfessionalsRequestMaxResults(101) }
        #expect(try SearchProfessionalsRequestMaxResults(1).value == 1)
        #expect(try SearchProfessionalsRequestMaxResults(100).value == 100)
        #expect(throws: XMLError.self) { try AddressTypeCountryCode("be") }
        #expect(throws: XMLError.self) { try ProfessionalDetailTypeRelevance(Decimal(string: "1.01")!) }
        let ssin = try #require(throws: XMLError.self) { try GetProfessionalContactInfoRequest(id: "c", issueInstant: SampleFixtureMessages.issued, ssin: .init("123")) }
        #expect(ssin.code == .facetViolation)
        let nihii = try #require(throws: XMLError.self) { try SearchProfessionalsRequestChoice.nihii(.init("1234567890")) }
        #expect(nihii.code == .facetViolation)
    }
}
