import FixtureBindings
import Foundation
import SOAPRuntime
import Synchronization
import Testing

/// A newer version of a message (an element added after the known content) still decodes by
/// default, with what was skipped reported; strict mode refuses it as before.
@Suite struct ForwardCompatibilityTests {
    static let version2 = """
        <f:Reading xmlns:f="urn:fixture:forward" id="r1" scale="metric"><f:Value>1.5</f:Value><f:Unit>kg</f:Unit>\
        <f:Trend>up</f:Trend><f:Source>scale</f:Source></f:Reading>
        """

    final class Skipped: Sendable {
        let items = Mutex<[XMLUnknownContent]>([])
    }

    @Test func tolerantDecodingSkipsLaterAdditionsAndReportsThem() throws {
        let skipped = Skipped()
        let reading = try XMLDecoding.tolerant(observing: { item in skipped.items.withLock { $0.append(item) } }) {
            try Reading(xmlDocument: Self.version2)
        }
        #expect(reading == Reading(id: "r1", value: 1.5, unit: "kg"))
        let names = skipped.items.withLock { $0.map(\.name) }
        #expect(names == [XMLName("urn:fixture:forward", "Trend"), XMLName("urn:fixture:forward", "Source")])
        #expect(skipped.items.withLock { $0.first?.xml.contains(">up<") } == true)
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
    }
}
