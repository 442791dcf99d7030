import FixtureBindings
import Foundation
import SOAPRuntime
import Testing

/// XML Schema 1.0 structures from the construct fixtures: chameleon include, circular import, one
/// local name in two namespaces, nested anonymous types, list, union, mixed content, groups.
@Suite struct StructuresRoundTripTests {
    static let record = XMLName("urn:fixture:structures", "Record")

    static func sample() throws -> Record {
        Record(version: 2, origin: "fixture", code: try FixtureStructuresCode("ABC"), codes: CodeList([1, 22, 333]),
               size: try SizeOrAuto(xmlText: "auto"), from: XSDate(year: 2024, month: 2, day: 29), to: XSDate(year: 2024, month: 3, day: 1),
               name: "here", name2: "there", note: NoteType(text: "Hello ", emphasis: "world"),
               outer: RecordOuter(middle: RecordOuterMiddle(inner: RecordOuterMiddleInner(depth: 3))), status: "active")
    }

    @Test func everyStructureRoundTripsThroughTheFixtureSchema() throws {
        let text = try ConstructSchemas.expectRoundTrip(try Self.sample(), as: Self.record, schema: "structures")
        // The same local name in two namespaces: two distinct elements.
        #expect(text.contains(":Name>here<") && text.contains(":Name>there<"))
        #expect(text.contains(">1 22 333<"))
    }

    @Test func theChameleonIncludeTakesTheIncludersNamespace() throws {
        #expect(throws: XMLError.self) { try FixtureStructuresCode("abc") }
        let text = try XMLWriter.document(root: Self.record, try Self.sample())
        #expect(text.contains(#"<ns1:Code>ABC</ns1:Code>"#) || text.contains(":Code>ABC<"))
        #expect(try ConstructSchemas.violations(of: text, against: "structures").isEmpty)
    }

    @Test func aUnionAcceptsAValueOfAnyMemberOnly() throws {
        #expect(try SizeOrAuto(xmlText: "12").lexicalValue == "12")
        #expect(throws: XMLError.self) { try SizeOrAuto(xmlText: "large") }
    }

    @Test func aUnionWithAnEnumerationMemberRefusesAnUnlistedValueEvenWhenTolerant() throws {
        #expect(XMLDecoding.mode == .tolerant)
        let error = try #require(throws: XMLError.self) { try SizeOrAuto(xmlText: "large") }
        #expect(error.code == .invalidValue)
        #expect(SizeOrAuto.accepts("auto") && SizeOrAuto.accepts("7") && !SizeOrAuto.accepts("large"))
    }

    @Test func defaultAndFixedAttributeValuesApplyWhenAbsent() throws {
        var record = try Self.sample()
        record.version = nil
        record.origin = nil
        let decoded = try Record(xmlDocument: try XMLWriter.document(root: Self.record, record))
        #expect(decoded.version == nil && decoded.origin == nil)
        #expect(decoded.effectiveVersion == 1 && Record.versionDefault == 1)
        #expect(decoded.effectiveOrigin == "fixture" && Record.originFixed == "fixture")
        record.version = 5
        #expect(record.effectiveVersion == 5)
    }

    @Test func aFixedAttributeWithAnotherValueIsRefusedWhenStrictOnly() throws {
        var record = try Self.sample()
        record.origin = "elsewhere"
        let text = try XMLWriter.document(root: Self.record, record)
        let error = try #require(throws: XMLError.self) { try XMLDecoding.strict { try Record(xmlDocument: text) } }
        #expect(error.code == .fixedValueViolation)
        #expect(error.reason == #"attribute origin must be "fixture", not "elsewhere""#)
        #expect(try Record(xmlDocument: text).origin == "elsewhere", "a later schema version may fix another value")
    }

    @Test func whiteSpaceIsNormalisedBeforeTheFacetsAreChecked() throws {
        var record = try Self.sample()
        record.reference = try Reference("AB-12")
        record.label = try Label("ONE TWO")
        let text = try XMLWriter.document(root: Self.record, record)
        let spaced = text.replacingOccurrences(of: ">AB-12<", with: ">  AB-12\n<")
            .replacingOccurrences(of: ">ONE TWO<", with: ">\tONE   TWO <")
        #expect(spaced != text)
        #expect(try ConstructSchemas.violations(of: spaced, against: "structures").isEmpty, "libxml2 collapses too")
        let decoded = try Record(xmlDocument: spaced)
        #expect(decoded.reference?.value == "AB-12")
        #expect(decoded.label?.value == "ONE TWO", "xs:token collapses, so its restriction does")
        #expect(throws: XMLError.self) { try Reference(xmlText: " AB-123 ") }
        #expect(XMLFacets.whiteSpace(.replace, "a\tb\r\nc") == "a b  c")
        #expect(XMLFacets.whiteSpace(.collapse, " \t a \n\n b  ") == "a b")
    }

    @Test func theCircularImportResolvesBothWays() throws {
        let value = Tagged(record: try Self.sample())
        _ = try ConstructSchemas.expectRoundTrip(value, as: XMLName("urn:fixture:structures:other", "Tagged"), schema: "structures-other")
    }
}
