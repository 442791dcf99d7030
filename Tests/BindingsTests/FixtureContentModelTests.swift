import FixtureBindings
import Foundation
import Testing

/// The fixture's content models beyond plain sequences: choices, xs:all, nillable members, an
/// unqualified local element.
@Suite(.strictXMLDecoding) struct FixtureContentModelTests {
    static let types = #"xmlns:ab="urn:example:ehealth:fixture:v1" xmlns:t="urn:example:ehealth:fixture:types:v1""#

    static func organizationResponse(contactDetails: String) -> String {
        """
        <ab:GetOrganizationContactInfoResponse \(types) xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Id="r">\
        <t:Success>true</t:Success><t:Organization><t:Name xml:lang="nl">AZ</t:Name>\
        <t:ContactDetails>\(contactDetails)</t:ContactDetails>\
        <t:CBE>0406798006</t:CBE><t:Address><t:Street>Markt</t:Street><t:HouseNumber>1</t:HouseNumber><t:ZipCode>8000</t:ZipCode>\
        <t:Municipality xml:lang="nl">Brugge</t:Municipality><t:CountryCode>BE</t:CountryCode></t:Address></t:Organization>\
        </ab:GetOrganizationContactInfoResponse>
        """
    }

    @Test func aMemberOfAnAllGroupTwiceIsUnexpected() throws {
        let text = Self.organizationResponse(contactDetails: "<t:Phone>1</t:Phone><t:Email>a@b.be</t:Email><t:Phone>2</t:Phone>")
        #expect(try !FixtureSchemas.violations(of: text).isEmpty)
        let error = try #require(throws: XMLError.self) { try GetOrganizationContactInfoResponse(xmlDocument: text) }
        #expect(error.code == .unexpectedElement)
    }

    @Test func aRequiredMemberOfAnAllGroupMissingIsMissing() throws {
        let text = Self.organizationResponse(contactDetails: "<t:Email>a@b.be</t:Email>")
        #expect(try !FixtureSchemas.violations(of: text).isEmpty)
        let error = try #require(throws: XMLError.self) { try GetOrganizationContactInfoResponse(xmlDocument: text) }
        #expect(error.code == .missingElement)
        #expect(error.reason.contains("Phone"))
    }

    @Test func aNilFaxInTheAllGroupSurvivesARoundTrip() throws {
        let text = Self.organizationResponse(contactDetails: #"<t:Fax xsi:nil="true"/><t:Phone>+32 50 00 00 00</t:Phone>"#)
        #expect(try FixtureSchemas.violations(of: text).isEmpty)
        let rewritten = try GetOrganizationContactInfoResponse(xmlDocument: text).xmlDocument()
        #expect(rewritten.contains(#":nil="true""#), "\(rewritten)")
    }

    @Test func aChoiceWithNoAlternativePresentIsMissing() throws {
        let text = #"<ab:SearchProfessionalsRequest \#(Self.types) Id="s" IssueInstant="2026-03-14T09:26:53Z"><ab:Profession>nurse</ab:Profession></ab:SearchProfessionalsRequest>"#
        #expect(try !FixtureSchemas.violations(of: text).isEmpty)
        let error = try #require(throws: XMLError.self) { try SearchProfessionalsRequest(xmlDocument: text) }
        #expect(error.code == .unexpectedElement)
        #expect(error.reason.contains("SSIN"))
    }

    @Test func twoAlternativesOfASingleChoiceAreRefused() throws {
        let text = #"<ab:SearchProfessionalsRequest \#(Self.types) Id="s" IssueInstant="2026-03-14T09:26:53Z"><ab:SSIN>85210123617</ab:SSIN><ab:NIHII>10034567890</ab:NIHII></ab:SearchProfessionalsRequest>"#
        #expect(try !FixtureSchemas.violations(of: text).isEmpty)
        let error = try #require(throws: XMLError.self) { try SearchProfessionalsRequest(xmlDocument: text) }
        #expect(error.code == .unexpectedElement)
        #expect(error.path == "SearchProfessionalsRequest/NIHII")
    }

    @Test func aRepeatedChoiceNeedsOneItem() throws {
        let text = #"<ab:GetOrganizationContactInfoRequest \#(Self.types) Id="o" IssueInstant="2026-03-14T09:26:53Z"/>"#
        #expect(try !FixtureSchemas.violations(of: text).isEmpty)
        let error = try #require(throws: XMLError.self) { try GetOrganizationContactInfoRequest(xmlDocument: text) }
        #expect(error.code == .missingElement)
    }

    @Test func theUnqualifiedLocalElementIsWrittenWithoutNamespaceAndAQualifiedOneIsRefused() throws {
        let response = try SampleFixtureMessages.getOrganizationContactInfoResponse()
        let text = try response.xmlDocument()
        #expect(text.contains("<sourceSystemRef>KBO-0406798006</sourceSystemRef>"))
        let qualified = text.replacingOccurrences(of: "<sourceSystemRef>KBO-0406798006</sourceSystemRef>",
                                                  with: #"<t:sourceSystemRef xmlns:t="urn:example:ehealth:fixture:types:v1">KBO-0406798006</t:sourceSystemRef>"#)
        #expect(try !FixtureSchemas.violations(of: qualified).isEmpty)
        let error = try #require(throws: XMLError.self) { try GetOrganizationContactInfoResponse(xmlDocument: qualified) }
        #expect(error.code == .unexpectedElement)
    }

    @Test func aWildcardElementInTheTargetNamespaceIsRefused() throws {
        // Extension's xs:any is ##other: elements of the types namespace itself do not match it.
        let valid = try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: nil).xmlDocument()
        let text = valid.replacingOccurrences(of: #"<y:Note xmlns:y="urn:example:notes">"#, with: #"<y:Note xmlns:y="urn:example:ehealth:fixture:types:v1">"#)
        #expect(text != valid)
        #expect(try !FixtureSchemas.violations(of: text).isEmpty)
        let error = try #require(throws: XMLError.self) { try GetProfessionalContactInfoResponse(xmlDocument: text) }
        #expect(error.code == .unexpectedElement)
    }
}
