import FixtureBindings
import Foundation
import SOAPRuntime
import Testing

/// Type derivation in generated bindings: xsi:type picks the concrete type (known, unknown,
/// nested), restrictions and simpleContent derivations round-trip through libxml2 validation.
@Suite struct DerivationRoundTripTests {
    static let drawing = XMLName("urn:fixture:derivation", "Drawing")

    @Test func knownDerivedTypesAreWrittenWithXSITypeAndReadBack() throws {
        let value = Drawing(shape: [
            .circleType(CircleType(id: "c1", name: "wheel", radius: 1.5)),
            .roundedSquareType(RoundedSquareType(name: "tile", side: 2, cornerRadius: 0.25)),
            .groupType(GroupType(name: "pair", member: [
                .squareType(SquareType(name: "inner", side: 1)),
                .groupType(GroupType(name: "nested", member: [.circleType(CircleType(name: "dot", radius: 0.1))])),
            ])),
        ], label: .plainLabelType(PlainLabelType(lang: "nl", text: "tekening")))
        let text = try ConstructSchemas.expectRoundTrip(value, as: Self.drawing, schema: "derivation")
        #expect(text.contains(#"type="d:RoundedSquareType""#) || text.contains(#":RoundedSquareType""#))
        #expect(text.components(separatedBy: ":type=").count - 1 == 7, "every shape and the restricted label carry xsi:type: \(text)")
    }

    @Test func theConcreteBaseIsWrittenWithoutXSIType() throws {
        let value = Drawing(shape: [.squareType(SquareType(name: "s", side: 3))],
                            label: .labelType(LabelType(style: "bold", text: "plan", note: "v1")))
        let text = try ConstructSchemas.expectRoundTrip(value, as: Self.drawing, schema: "derivation")
        #expect(text.components(separatedBy: ":type=").count - 1 == 1, "\(text)")
    }

    @Test func xsiTypeIsResolvedWithAnyPrefixDeclaredOnAnyAncestor() throws {
        let text = """
            <Drawing xmlns="urn:fixture:derivation" xmlns:geo="urn:fixture:derivation" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">\
            <Shape i:type="geo:CircleType"><Name>a</Name><Radius>2</Radius></Shape>\
            <Shape i:type="SquareType"><Name>b</Name><Side>4</Side></Shape></Drawing>
            """
        #expect(try ConstructSchemas.violations(of: text, against: "derivation").isEmpty)
        let drawing = try Drawing(xmlDocument: text)
        #expect(drawing.shape == [.circleType(CircleType(name: "a", radius: 2)), .squareType(SquareType(name: "b", side: 4))])
    }

    @Test func anUnknownDerivedTypeIsKeptAndWrittenBackWithItsContent() throws {
        let text = """
            <d:Drawing xmlns:d="urn:fixture:derivation" xmlns:x="urn:fixture:later" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <d:Shape xsi:type="x:TriangleType" id="t1"><d:Name>t</d:Name><x:Corners>3</x:Corners><x:Note>a &amp; b</x:Note></d:Shape></d:Drawing>
            """
        let drawing = try Drawing(xmlDocument: text)
        guard case .unknown(let kept) = drawing.shape.first else {
            Issue.record("expected an unknown shape, got \(drawing.shape)")
            return
        }
        #expect(try kept.element().xsiType() == XMLName("urn:fixture:later", "TriangleType"))
        let rewritten = try drawing.xmlDocument()
        let shape = try XMLDocument(parsing: rewritten).root.children[0]
        #expect(try shape.xsiType() == XMLName("urn:fixture:later", "TriangleType"))
        #expect(shape.attribute("id") == "t1")
        #expect(shape.children.map(\.name) == [XMLName("urn:fixture:derivation", "Name"), XMLName("urn:fixture:later", "Corners"), XMLName("urn:fixture:later", "Note")])
        #expect(shape.children.map(\.text) == ["t", "3", "a & b"])
    }

    @Test func anAbstractTypeWithoutXSITypeIsRefused() throws {
        let text = #"<d:Drawing xmlns:d="urn:fixture:derivation"><d:Shape><d:Name>x</d:Name></d:Shape></d:Drawing>"#
        let error = try #require(throws: XMLError.self) { try Drawing(xmlDocument: text) }
        #expect(error.code == .invalidContent)
        #expect(error.reason.contains("abstract type ShapeType"))
    }

    @Test func substitutionGroupMembersAreReadByElementName() throws {
        let value = Garage(carOrTruckList: [.car(VehicleType(plate: "1-ABC-123")), .truck(Truck(plate: "2-DEF-456", axles: 3))])
        let text = try ConstructSchemas.expectRoundTrip(value, as: XMLName("urn:fixture:substitution", "Garage"), schema: "substitution")
        #expect(text.contains(":Car>") && text.contains(":Truck>"))
    }

    @Test func simpleContentExtensionAndRestrictionRoundTrip() throws {
        let value = Invoice(total: .euroAmountType(EuroAmountType(currency: "EUR", value: 12.5)),
                            paid: EuroAmountType(currency: "EUR", value: 10),
                            due: try ValidityDate(XSDate(year: 2030, month: 1, day: 31)))
        _ = try ConstructSchemas.expectRoundTrip(value, as: XMLName("urn:fixture:simple-content", "Invoice"), schema: "simple-content")
        let plain = Invoice(total: .amountType(AmountType(currency: "USD", rounding: "up", value: 3)), due: try ValidityDate(XSDate(year: 2000, month: 1, day: 1)))
        _ = try ConstructSchemas.expectRoundTrip(plain, as: XMLName("urn:fixture:simple-content", "Invoice"), schema: "simple-content")
    }

    @Test func rangeFacetsOnDatesAreChecked() throws {
        #expect(throws: XMLError.self) { try ValidityDate(XSDate(year: 2100, month: 1, day: 1)) }
        #expect(throws: XMLError.self) { try ValidityDate(XSDate(year: 1999, month: 12, day: 31)) }
        #expect(try ValidityDate(XSDate(year: 2099, month: 12, day: 31)).value.year == 2099)
    }
}
