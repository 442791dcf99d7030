import Foundation

/// The generator fixture's own XSDs (in the repository), compiled once for validation.
enum FixtureSchemas {
    static let folder = ReferenceSchemas.repositoryRoot.appendingPathComponent("Tests/Fixtures/wsdl/addressbook-fixture")
    static let protocolSchema = folder.appendingPathComponent("addressbook-protocol-v1.xsd")

    static let validator: Result<SchemaValidator, SchemaValidationError> = {
        do {
            return .success(try SchemaValidator(schemaFile: protocolSchema))
        } catch let error as SchemaValidationError {
            return .failure(error)
        } catch {
            return .failure(SchemaValidationError(messages: ["\(error)"]))
        }
    }()

    static func violations(of xml: String) throws -> [String] {
        try validator.get().violations(of: xml)
    }
}
