import SOAPRuntime
import Foundation

/// The generator fixture's own XSDs (in the repository), compiled once for validation.
enum FixtureSchemas {
    static let folder = ReferenceSchemas.repositoryRoot.appendingPathComponent("Tests/Fixtures/wsdl/addressbook-fixture")
    static let protocolSchema = folder.appendingPathComponent("addressbook-protocol-v1.xsd")

    static let validator: Result<XMLSchemaValidator, XMLSchemaValidationError> = {
        do {
            return .success(try XMLSchemaValidator(schemaFile: protocolSchema))
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
