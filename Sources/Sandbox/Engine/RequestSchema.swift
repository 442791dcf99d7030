import Foundation
import Generated
import SOAPRuntime

/// The contract's schemas, compiled once from the documents the bindings embed, against which
/// every request's payload is validated before any business rule runs: like the platform, a
/// message that does not match the XSDs is refused with SOA-03001 (cookbook 7.2).
enum RequestSchema {
    static let validator: Result<XMLSchemaValidator, XMLSchemaValidationError> = {
        do {
            return .success(try XMLSchemaValidator(documents: SchemaDocuments.all))
        } catch let error as XMLSchemaValidationError {
            return .failure(error)
        } catch {
            return .failure(XMLSchemaValidationError(messages: ["\(error)"]))
        }
    }()

    /// Throws SOA-03001 naming the first violations of the request's payload.
    static func check(_ body: Data) throws {
        let validator: XMLSchemaValidator
        switch Self.validator {
        case .success(let compiled): validator = compiled
        case .failure(let error): throw SOAFailure(code: "SOA-03001", message: "the sandbox cannot compile its schemas: \(error)", httpStatus: 500)
        }
        let violations = validator.violations(ofEnvelope: body)
        guard violations.isEmpty else {
            let shown = violations.prefix(3).joined(separator: "; ")
            throw SOAFailure.malformed("the request does not match the schema: \(shown)\(violations.count > 3 ? " (and \(violations.count - 3) more)" : "")")
        }
    }
}
