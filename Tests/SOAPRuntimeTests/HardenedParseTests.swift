import CLibXML2
import Foundation
import Testing
@testable import SOAPRuntime

/// The one hardened parse: structural limits on the bytes before libxml2 builds a tree.
@Suite struct HardenedParseTests {
    /// One start tag with `count` attributes: `<a a0="" a1="" …/>` (0.79 MB for 80,000).
    static func manyAttributes(_ count: Int) -> String {
        "<a " + (0..<count).map { "a\($0)=\"\"" }.joined(separator: " ") + "/>"
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "<e>", count: depth) + String(repeating: "</e>", count: depth)
    }

    @Test func eightyThousandAttributesAreRefusedBeforeLibxml2() throws {
        let text = Self.manyAttributes(80_000)
        #expect(text.utf8.count > 780_000)
        let started = ContinuousClock.now
        let error = #expect(throws: XMLError.self) { try XMLDocument(parsing: text) }
        // Reported, not asserted: timing belongs to benchmarks (libxml2 alone spends seconds here).
        print("80,000-attribute document (\(text.utf8.count) bytes) refused in \(ContinuousClock.now - started)")
        #expect(error?.code == .limitExceeded)
        #expect(error?.reason.contains("256 attributes") == true)
    }

    @Test func theAttributeLimitIsPerElementAndConfigurable() throws {
        let limits = XMLParseLimits(maximumAttributesPerElement: 3)
        #expect(try XMLDocument(parsing: #"<a x="1" y="2" z="3"><b p="1" q="2" r="3"/></a>"#, limits: limits).root.localName == "a")
        #expect(throws: XMLError.self) { try XMLDocument(parsing: #"<a x="1" y="2" z="3" w="4"/>"#, limits: limits) }
    }

    @Test func equalsSignsInValuesCommentsCDATAAndInstructionsAreNotAttributes() throws {
        let limits = XMLParseLimits(maximumAttributesPerElement: 1)
        let text = #"<?xml version="1.0" encoding="UTF-8"?><!-- a=1 b=2 --><a x="p=q r='s'"><![CDATA[ c=3 d=4 <e f="g"> ]]><?pi h=1 i=2?>t=u v=w</a>"#
        let document = try XMLDocument(parsing: text, limits: limits)
        #expect(document.root.attribute("x") == "p=q r='s'")
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let limits = XMLParseLimits(maximumDepth: 10)
        #expect(try XMLDocument(parsing: Self.nested(10), limits: limits).root.localName == "e")
        let error = #expect(throws: XMLError.self) { try XMLDocument(parsing: Self.nested(11), limits: limits) }
        #expect(error?.code == .limitExceeded)
        // Empty elements and siblings do not add depth.
        #expect(try XMLDocument(parsing: "<a>" + String(repeating: "<b/><c></c>", count: 50) + "</a>", limits: XMLParseLimits(maximumDepth: 2)).root.localName == "a")
    }

    @Test func aDoctypeIsRefusedByTheScanAndInsideLibxml2() throws {
        let error = #expect(throws: XMLError.self) { try XMLDocument(parsing: #"<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>"#) }
        #expect(error?.code == .doctypeForbidden)
    }

    @Test func utf16IsRefusedRatherThanScannedBlind() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<a/>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(throws: XMLError.self) { try XMLDocument(parsing: bytes) }
    }

    @Test func theSchemaValidatorGoesThroughTheHardenedParse() throws {
        let validator = try XMLSchemaValidator(schemaText: """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:string"/></xs:schema>
        """)
        #expect(validator.violations(of: "<a>text</a>").isEmpty)
        // Before, libxml2 read the internal subset and the document validated.
        let withDoctype = validator.violations(of: #"<!DOCTYPE a [<!ENTITY x "text">]><a>&x;</a>"#)
        #expect(withDoctype.count == 1)
        #expect(withDoctype.first?.contains("DOCTYPE") == true)
        #expect(validator.violations(of: Self.manyAttributes(1_000)).first?.contains("attributes") == true)
    }

    @Test func theParseFunctionHandsOverATreeWithARoot() throws {
        let document = try HardenedXMLParse.document(Data("<r><c/></r>".utf8), limits: .default)
        defer { xmlFreeDoc(document) }
        #expect(xmlDocGetRootElement(document) != nil)
        #expect(throws: XMLError.self) { try HardenedXMLParse.document(Data("<!-- only a comment -->".utf8), limits: .default) }
    }
}
