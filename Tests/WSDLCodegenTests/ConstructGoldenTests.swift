import Foundation
import Testing
@testable import WSDLCodegen

/// Snippet tests: each small fixture schema of one XML Schema construct family, generated alone,
/// against its reviewed Swift output (`UPDATE_GOLDEN=1` rewrites them). The same fixtures are
/// compiled into FixtureBindings and round-tripped in BindingsTests.
@Suite struct ConstructGoldenTests {
    static let constructs = RepositoryPaths.fixture.appendingPathComponent("constructs")

    @Test(arguments: ["derivation", "substitution", "simple-content", "structures", "forward-compatibility"])
    func constructFixtureMatchesItsGoldenOutput(_ name: String) throws {
        var warnings: [Diagnostic] = []
        let generated = try GeneratorPipeline.generate(
            wsdls: [], xsds: [Self.constructs.appendingPathComponent(name + ".xsd")], warnings: { warnings.append($0) })
        #expect(warnings.isEmpty, "\(warnings)")
        try GoldenTests().check(generated, against: RepositoryPaths.golden.appendingPathComponent("constructs/" + name))
    }

    @Test func anAbstractBaseBecomesAnEnumOfItsConcreteTypesWithAnUnknownCase() throws {
        let text = try Self.generate("derivation")
        #expect(text.contains("public enum AnyShapeType: XMLContentCodable, Equatable {"))
        #expect(text.contains("    case circleType(CircleType)"))
        // Derived from a derived type: listed too, so a field of the base accepts it.
        #expect(text.contains("    case roundedSquareType(RoundedSquareType)"))
        #expect(text.contains("    case unknown(AnyXMLElement)"))
        // Abstract: no case for the base itself, and a missing xsi:type is an error.
        #expect(!text.contains("case shapeType(ShapeType)"))
        #expect(text.contains("it needs an xsi:type"))
        #expect(text.contains("public var shape: [AnyShapeType]"))
    }

    @Test func aRestrictionRestatesTheContentAndDropsProhibitedAttributes() throws {
        let text = try Self.generate("derivation")
        #expect(text.contains("public init(lang: String? = nil, text: String) {"))
        #expect(text.contains("case plainLabelType(PlainLabelType)"))
        // The base is concrete: no xsi:type means the base.
        #expect(text.contains("case nil, XMLName(\"urn:fixture:derivation\", \"LabelType\")?: self = .labelType("))
    }

    @Test func aReferenceToASubstitutionGroupHeadAcceptsEveryMember() throws {
        let text = try Self.generate("substitution")
        #expect(text.contains("public enum GarageCarOrTruck: Sendable, Equatable {"))
        #expect(text.contains("case car(VehicleType)"))
        #expect(text.contains("case truck(Truck)"))
        #expect(!text.contains("case vehicle("), "the abstract head itself is never accepted")
    }

    @Test func anEnumerationKeepsAnUnlistedValueInItsUnrecognizedCase() throws {
        let text = try Self.generate("forward-compatibility")
        #expect(text.contains("public enum QualityType: XMLSimpleValue, CaseIterable, Hashable, RawRepresentable {"))
        #expect(text.contains("    case unrecognized(String)"))
        #expect(text.contains("public static let allCases: [QualityType] = [.good, .poor]"))
        #expect(text.contains("        case \"good\": self = .good"))
        #expect(text.contains(#"?? .unrecognized(XMLDecoding.unlistedEnumerationValue(text, of: "QualityType", allowed: "'good', 'poor'"))"#))
    }

    @Test func onlyATypeWithoutAnAttributeWildcardReportsUnknownAttributes() throws {
        let text = try Self.generate("forward-compatibility")
        #expect(text.contains(#"element.reportUnknownAttributes(known: [XMLName(nil, "id"), XMLName(nil, "status")])"#))
        #expect(text.components(separatedBy: "reportUnknownAttributes").count == 2, "ReadingDevice has xs:anyAttribute")
    }

    @Test func anAttributeDefaultOrFixedValueBecomesAStaticAndAnEffectiveValue() throws {
        let structures = try Self.generate("structures")
        #expect(structures.contains(#"public static let versionDefault: Int32 = try! Int32(xmlText: "1")"#))
        #expect(structures.contains("public var effectiveVersion: Int32 { version ?? Self.versionDefault }"))
        #expect(structures.contains(#"public static let originFixed: String = "fixture""#))
        #expect(structures.contains(#"try element.checkFixedAttribute("origin", origin, fixed: Self.originFixed)"#))
        let forward = try Self.generate("forward-compatibility")
        #expect(forward.contains(#"public static let statusDefault: ReadingStatusType = try! ReadingStatusType(xmlText: "final")"#))
    }

    static func generate(_ name: String) throws -> String {
        try GeneratorPipeline.generate(wsdls: [], xsds: [constructs.appendingPathComponent(name + ".xsd")])
            .map(\.contents).joined(separator: "\n")
    }
}
