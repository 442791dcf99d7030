import SOAPRuntime
import Foundation
import Testing

/// The official eHealth XSDs, kept outside the repository in `../shared/reference/ehealth-schemas`,
/// and SOAPRuntime's XMLSchemaValidator over them for the SOAP messages the sandbox answers with.
///
/// Tests that exist only to check conformance carry `.enabled(if: OfficialSchemas.available, ...)`
/// so that a checkout without the folder reports them as skipped by name; the other tests check
/// what they recorded when the folder is there and say nothing when it is not.
enum OfficialSchemas {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repositoryRoot.appendingPathComponent("../shared/reference/ehealth-schemas").standardizedFileURL

    static let certRAProtocol = folder.appendingPathComponent("ehealth-etee/XSD/ehealth-certra-schema-protocol-2_0.xsd")
    static let etkRAProtocol = folder.appendingPathComponent("ehealth-etee/XSD/ehealth-etkra-schema-protocol-2_0.xsd")
    static let soaErrors = folder.appendingPathComponent("ehealth-errors/XSD/ehealth-errors-schema-soa-1_1.xsd")

    static var available: Bool {
        [certRAProtocol, etkRAProtocol, soaErrors].allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
    }

    static let skipReason: Comment = "official XSDs not found at \(folder.path)"

    static let soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

    /// The SOAP 1.1 envelope schema (http://schemas.xmlsoap.org/soap/envelope/), the parts a
    /// document/literal message uses: Envelope (Header?, Body), Body (any, lax) and Fault
    /// (unqualified faultcode QName, faultstring, faultactor?, detail?).
    static let soapEnvelopeSchema = """
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="\(soapNamespace)" targetNamespace="\(soapNamespace)">
      <xs:element name="Envelope" type="tns:Envelope"/>
      <xs:complexType name="Envelope">
        <xs:sequence>
          <xs:element ref="tns:Header" minOccurs="0"/>
          <xs:element ref="tns:Body" minOccurs="1"/>
          <xs:any namespace="##other" minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
        </xs:sequence>
        <xs:anyAttribute namespace="##other" processContents="lax"/>
      </xs:complexType>
      <xs:element name="Header" type="tns:Header"/>
      <xs:complexType name="Header">
        <xs:sequence><xs:any namespace="##other" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
        <xs:anyAttribute namespace="##other" processContents="lax"/>
      </xs:complexType>
      <xs:element name="Body" type="tns:Body"/>
      <xs:complexType name="Body">
        <xs:sequence><xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
        <xs:anyAttribute namespace="##any" processContents="lax"/>
      </xs:complexType>
      <xs:element name="Fault" type="tns:Fault"/>
      <xs:complexType name="Fault" final="extension">
        <xs:sequence>
          <xs:element name="faultcode" type="xs:QName"/>
          <xs:element name="faultstring" type="xs:string"/>
          <xs:element name="faultactor" type="xs:anyURI" minOccurs="0"/>
          <xs:element name="detail" type="tns:detail" minOccurs="0"/>
        </xs:sequence>
      </xs:complexType>
      <xs:complexType name="detail">
        <xs:sequence><xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
        <xs:anyAttribute namespace="##any" processContents="lax"/>
      </xs:complexType>
    </xs:schema>
    """

    /// One schema importing SOAP 1.1, both protocols and the SOA errors. Imports name absolute
    /// file URLs; nothing is fetched from the network.
    static func wrapperSchema(soapSchemaFile: URL) -> String {
        func importing(_ namespace: String, _ file: URL) -> String {
            #"  <xs:import namespace="\#(namespace)" schemaLocation="\#(file.absoluteString)"/>"#
        }
        return """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
        \(importing(soapNamespace, soapSchemaFile))
        \(importing("urn:be:fgov:ehealth:certra:protocol:v2", certRAProtocol))
        \(importing("urn:be:fgov:ehealth:etkra:protocol:v2", etkRAProtocol))
        \(importing("urn:be:fgov:ehealth:errors:soa:v1", soaErrors))
        </xs:schema>
        """
    }

    /// Compiled on first use, once for the whole test run.
    static let validator: Result<XMLSchemaValidator, XMLSchemaValidationError> = {
        do {
            let soapFile = FileManager.default.temporaryDirectory
                .appendingPathComponent("sandbox-tests-soap11-envelope-\(UUID().uuidString).xsd")
            try Data(soapEnvelopeSchema.utf8).write(to: soapFile)
            defer { try? FileManager.default.removeItem(at: soapFile) }
            return .success(try XMLSchemaValidator(schemaText: wrapperSchema(soapSchemaFile: soapFile)))
        } catch let error as XMLSchemaValidationError {
            return .failure(error)
        } catch {
            return .failure(XMLSchemaValidationError(messages: ["\(error)"]))
        }
    }()

    /// The schema violations of a SOAP response; empty when it is valid.
    static func violations(ofEnvelope data: Data) throws -> [String] {
        try validator.get().violations(ofEnvelope: data, includingEnvelope: true)
    }
}

