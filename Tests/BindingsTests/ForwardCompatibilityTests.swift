import FixtureBindings
import Foundation
import SOAPRuntime
import Synchronization
import Testing

/// A newer version of a message (an element added after the known content, an attribute, values
/// added to enumerations) still decodes by default, with what was skipped or kept reported; strict
/// mode refuses it as before.
@Suite struct ForwardCompatibilityTests {
    static let version2 = """
        <f:Reading xmlns:f="urn:fixture:forward" id="r1" scale="metric"><f:Value>1.5</f:Value><f:Unit>kg</f:Unit>\
        <f:Trend>up</f:Trend><f:Source>scale</f:Source></f:Reading>
        """
    /// Version 2 also lists a quality and a status version 1 does not know.
    static let version2Values = """
        <f:Reading xmlns:f="urn:fixture:forward" id="r3" status="corrected"><f:Value>2</f:Value>\
        <f:Quality> excellent </f:Quality></f:Reading>
        """

    final class Skipped: Sendable {
        let items = Mutex<[XMLUnknownContent]>([])
        func record(_ item: XMLUnknownContent) { items.withLock { $0.append(item) } }
        func of(_ kind: XMLUnknownContent.Kind) -> [XMLUnknownContent] { items.withLock { $0.filter { $0.kind == kind } } }
    }

    @Test func tolerantDecodingSkipsLaterAdditionsAndReportsThem() throws {
        let skipped = Skipped()
        let reading = try XMLDecoding.tolerant(observing: skipped.record) {
            try Reading(xmlDocument: Self.version2)
        }
        #expect(reading == Reading(id: "r1", value: 1.5, unit: "kg"))
        #expect(skipped.of(.element).map(\.name) == [XMLName("urn:fixture:forward", "Trend"), XMLName("urn:fixture:forward", "Source")])
        #expect(skipped.of(.element).first?.xml.contains(">up<") == true)
        let attribute = try #require(skipped.of(.attribute).first)
        #expect(skipped.of(.attribute).count == 1)
        #expect(attribute.name == XMLName(nil, "scale"))
        #expect(attribute.xml == "metric")
        #expect(attribute.path == "Reading")
        #expect(attribute.description == #"unknown attribute scale="metric" ignored at Reading (line 1)"#)
    }

    @Test func tolerantDecodingKeepsUnlistedEnumerationValuesAndWritesThemBack() throws {
        let skipped = Skipped()
        let reading = try XMLDecoding.tolerant(observing: skipped.record) {
            try Reading(xmlDocument: Self.version2Values)
        }
        #expect(reading.status == .unrecognized("corrected"))
        #expect(reading.quality == .unrecognized("excellent"))
        #expect(reading.quality?.unrecognizedValue == "excellent")
        #expect(QualityType.good.unrecognizedValue == nil)
        let kept = skipped.of(.enumerationValue)
        #expect(kept.map(\.name) == [XMLName(nil, "status"), XMLName("urn:fixture:forward", "Quality")])
        #expect(kept.map(\.xml) == ["corrected", "excellent"])
        #expect(kept.last?.path == "Reading/Quality")
        let written = try reading.xmlDocument()
        #expect(written.contains(#"status="corrected""#))
        #expect(written.contains("<f:Quality>excellent</f:Quality>"))
        #expect(try Reading(xmlDocument: written) == reading)
    }

    @Test func strictDecodingRefusesUnlistedEnumerationValues() throws {
        let error = try #require(throws: XMLError.self) {
            try XMLDecoding.strict { try Reading(xmlDocument: Self.version2Values) }
        }
        #expect(error.code == .unknownEnumerationValue)
        #expect(error.reason.contains("corrected"))
        #expect(error.reason.contains("'final', 'preliminary'"))
    }

    @Test func unlistedValuesAreNotAmongTheCasesNorMadeFromARawValue() {
        #expect(QualityType.allCases == [.good, .poor])
        #expect(QualityType(rawValue: "good") == .good)
        #expect(QualityType(rawValue: "excellent") == nil)
        #expect(QualityType.unrecognized("excellent").rawValue == "excellent")
    }

    @Test func anAttributeWildcardAllowsOtherAttributesWithoutAReport() throws {
        let skipped = Skipped()
        let text = #"<f:Reading xmlns:f="urn:fixture:forward" id="r4"><f:Value>1</f:Value><f:Device serial="7" vendor="acme"/></f:Reading>"#
        let reading = try XMLDecoding.tolerant(observing: skipped.record) { try Reading(xmlDocument: text) }
        #expect(reading.device == ReadingDevice(serial: "7"))
        #expect(skipped.items.withLock { $0 }.isEmpty)
    }

    @Test func xsiAttributesAreNeverReportedAsUnknown() throws {
        let skipped = Skipped()
        let text = #"<f:Reading xmlns:f="urn:fixture:forward" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:fixture:forward f.xsd" id="r5"><f:Value>1</f:Value></f:Reading>"#
        _ = try XMLDecoding.tolerant(observing: skipped.record) { try Reading(xmlDocument: text) }
        #expect(skipped.items.withLock { $0 }.isEmpty)
    }

    @Test func anAbsentAttributeHasItsSchemaDefaultThroughItsEffectiveValue() throws {
        let reading = try Reading(xmlDocument: #"<f:Reading xmlns:f="urn:fixture:forward" id="r6"><f:Value>1</f:Value></f:Reading>"#)
        #expect(reading.status == nil, "absent stays absent, so re-encoding writes what was read")
        #expect(reading.effectiveStatus == .final)
        #expect(Reading.statusDefault == .final)
        #expect(try !reading.xmlDocument().contains("status="))
        var preliminary = reading
        preliminary.status = .preliminary
        #expect(preliminary.effectiveStatus == .preliminary)
    }

    @Test func theDefaultModeIsTolerant() throws {
        #expect(XMLDecoding.mode == .tolerant)
        #expect(try Reading(xmlDocument: Self.version2).unit == "kg")
    }

    @Test func strictDecodingRefusesLaterAdditions() throws {
        let error = try #require(throws: XMLError.self) {
            try XMLDecoding.strict { try Reading(xmlDocument: Self.version2) }
        }
        #expect(error.code == .unexpectedElement)
        #expect(error.reason.contains("Trend"))
    }

    @Test func anUnknownElementBeforeKnownContentIsStillAnError() throws {
        let text = #"<f:Reading xmlns:f="urn:fixture:forward" id="r1"><f:Trend>up</f:Trend><f:Value>1.5</f:Value></f:Reading>"#
        #expect(throws: XMLError.self) { try Reading(xmlDocument: text) }
    }

    @Test func theVersion1DocumentIsValidAndRoundTrips() throws {
        _ = try ConstructSchemas.expectRoundTrip(Reading(id: "r2", value: 0.25), as: XMLName("urn:fixture:forward", "Reading"), schema: "forward-compatibility")
        _ = try ConstructSchemas.expectRoundTrip(
            Reading(id: "r7", status: .preliminary, value: 3, unit: "g", quality: .poor, device: ReadingDevice(serial: "S1")),
            as: XMLName("urn:fixture:forward", "Reading"), schema: "forward-compatibility")
    }
}
