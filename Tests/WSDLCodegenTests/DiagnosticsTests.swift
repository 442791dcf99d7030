import Foundation
import Testing
@testable import WSDLCodegen

/// Broken or unsupported input gives located diagnostics, never a crash or partial output.
@Suite struct DiagnosticsTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("wsdl2swift-diagnostics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func wsdl(types: String, messages: String = "", style: String = "document", partAttribute: String = "element=\"tns:Ping\"") -> String {
        """
        <?xml version="1.0"?>
        <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
            xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:test" targetNamespace="urn:test">
          <wsdl:types>
            <xs:schema targetNamespace="urn:test" elementFormDefault="qualified">
        \(types)
            </xs:schema>
          </wsdl:types>
          <wsdl:message name="PingRequest"><wsdl:part name="body" \(partAttribute)/></wsdl:message>
          <wsdl:message name="PingResponse"><wsdl:part name="body" element="tns:Ping"/></wsdl:message>
        \(messages)
          <wsdl:portType name="PingPortType">
            <wsdl:operation name="ping">
              <wsdl:input message="tns:PingRequest"/>
              <wsdl:output message="tns:PingResponse"/>
            </wsdl:operation>
          </wsdl:portType>
          <wsdl:binding name="PingBinding" type="tns:PingPortType">
            <soap:binding style="\(style)" transport="http://schemas.xmlsoap.org/soap/http"/>
            <wsdl:operation name="ping">
              <soap:operation soapAction="urn:test:ping"/>
              <wsdl:input><soap:body use="literal"/></wsdl:input>
              <wsdl:output><soap:body use="literal"/></wsdl:output>
            </wsdl:operation>
          </wsdl:binding>
        </wsdl:definitions>
        """
    }

    func diagnostics(_ url: URL) -> [Diagnostic] {
        do {
            _ = try GeneratorPipeline.generate(wsdls: [url])
            Issue.record("expected diagnostics for \(url.lastPathComponent)")
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch let diagnostic as Diagnostic {
            return [diagnostic]
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func aValidDocumentGenerates() throws {
        let url = try write("ok.wsdl", wsdl(types: #"<xs:element name="Ping" type="xs:string"/>"#))
        let files = try GeneratorPipeline.generate(wsdls: [url])
        #expect(files.map(\.name) == ["ok.wsdl.swift", GeneratorPipeline.operationsTableFileName])
        #expect(files[0].contents.contains("public func ping(_ request: String) async throws -> String"))
    }

    @Test func unknownTypeIsLocated() throws {
        let url = try write("unknown-type.wsdl", wsdl(types: """
              <xs:element name="Ping">
                <xs:complexType><xs:sequence><xs:element name="When" type="tns:Missing"/></xs:sequence></xs:complexType>
              </xs:element>
        """))
        let found = diagnostics(url)
        #expect(found.count == 1)
        #expect(found.first?.description.hasPrefix("\(url.path):7:38:") == true, "\(found)")
        #expect(found.first?.description.contains("error: type {urn:test}Missing is not declared") == true)
    }

    @Test func columnPointsAtTheElement() throws {
        let url = try write("column.wsdl", wsdl(types: #"<xs:element name="Ping"><xs:simpleType><xs:restriction base="xs:string"><xs:minScale value="3"/></xs:restriction></xs:simpleType></xs:element>"#))
        // An XSD 1.1 facet is not modelled: a warning by default, an error with --strict, located either way.
        var warnings: [Diagnostic] = []
        _ = try GeneratorPipeline.generate(wsdls: [url], warnings: { warnings.append($0) })
        #expect(warnings.first?.location?.line == 6)
        #expect(warnings.first?.location?.column == 73)
        #expect(warnings.first?.message.contains("minScale") == true)
        #expect(throws: DiagnosticsError.self) { try GeneratorPipeline.generate(wsdls: [url], strict: true) }
    }

    @Test func rpcStyleIsRefused() throws {
        let url = try write("rpc.wsdl", wsdl(types: #"<xs:element name="Ping" type="xs:string"/>"#, style: "rpc"))
        #expect(diagnostics(url).contains { $0.message.contains("only document/literal is supported") })
    }

    @Test func typedPartIsRefused() throws {
        let url = try write("typed-part.wsdl", wsdl(types: #"<xs:element name="Ping" type="xs:string"/>"#, partAttribute: #"type="xs:string""#))
        #expect(diagnostics(url).contains { $0.message.contains("must name an element") })
    }

    @Test func malformedXMLIsLocated() throws {
        let url = try write("broken.wsdl", "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n<unclosed>\n</wsdl:definitions>\n")
        let found = diagnostics(url)
        #expect(found.first?.description.hasPrefix(url.path + ":") == true)
        #expect(found.first?.message.contains("not well-formed") == true)
    }

    @Test func missingImportIsReportedAtTheImport() throws {
        let url = try write("missing-import.wsdl", wsdl(types: #"<xs:import namespace="urn:other" schemaLocation="nowhere.xsd"/><xs:element name="Ping" type="xs:string"/>"#))
        let found = diagnostics(url)
        #expect(found.first?.location?.line == 6)
        #expect(found.first?.message.contains("nowhere.xsd") == true)
    }

    @Test func notAWSDLIsRefused() throws {
        let url = try write("schema.wsdl", #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>"#)
        #expect(diagnostics(url).first?.message.contains("not a WSDL 1.1 document") == true)
    }

    @Test func aSubstitutionGroupMemberWithoutTypeTakesItsHeadsType() throws {
        let url = try write("substitution.wsdl", wsdl(types: """
              <xs:element name="Ping" type="xs:string"/>
              <xs:element name="Pong" substitutionGroup="tns:Ping"/>
              <xs:element name="Holder"><xs:complexType><xs:sequence><xs:element ref="tns:Ping"/></xs:sequence></xs:complexType></xs:element>
        """))
        let contents = try GeneratorPipeline.generate(wsdls: [url]).map(\.contents).joined()
        #expect(contents.contains("case ping(String)"))
        #expect(contents.contains("case pong(String)"))
    }

    @Test func invalidPatternIsRefused() throws {
        let url = try write("pattern.wsdl", wsdl(types: #"<xs:element name="Ping"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[a-"/></xs:restriction></xs:simpleType></xs:element>"#))
        #expect(diagnostics(url).contains { $0.message.contains("not a valid XML Schema regular expression") })
    }
}
