import SOAPRuntime
import Foundation
import Testing

/// The official eHealth XSDs, kept outside the repository in `../shared/reference/ehealth-schemas`.
///
/// Tests that need them carry `.enabled(if: ReferenceSchemas.available, ...)` so that a checkout
/// without the folder reports them as skipped by name instead of failing.
enum ReferenceSchemas {
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

    /// One schema importing both protocols and the SOA errors, so any message of either service
    /// validates against it. Imports name absolute file URLs; nothing is fetched from the network.
    static var wrapperSchema: String {
        func importing(_ namespace: String, _ file: URL) -> String {
            #"  <xs:import namespace="\#(namespace)" schemaLocation="\#(file.absoluteString)"/>"#
        }
        return """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
        \(importing("urn:be:fgov:ehealth:certra:protocol:v2", certRAProtocol))
        \(importing("urn:be:fgov:ehealth:etkra:protocol:v2", etkRAProtocol))
        \(importing("urn:be:fgov:ehealth:errors:soa:v1", soaErrors))
        </xs:schema>
        """
    }

    /// Compiled on first use, once for the whole test run.
    static let validator: Result<XMLSchemaValidator, XMLSchemaValidationError> = {
        do {
            return .success(try XMLSchemaValidator(schemaText: wrapperSchema))
        } catch let error as XMLSchemaValidationError {
            return .failure(error)
        } catch {
            return .failure(XMLSchemaValidationError(messages: ["\(error)"]))
        }
    }()

    static func violations(of xml: String) throws -> [String] {
        try validator.get().violations(of: xml)
    }
}
