/// The parts of a WSDL 1.1 document that bindings are made from.
struct ServiceDefinition {
    let documentPath: String
    let portTypes: [PortTypeDefinition]
}

struct PortTypeDefinition {
    let name: String
    let documentation: String?
    let operations: [OperationDefinition]
    /// From the first `wsdl:service` port whose binding is for this port type, if any.
    let address: String?
    let location: SourceLocation
}

struct OperationDefinition {
    let name: String
    let documentation: String?
    let soapAction: String
    let inputElement: QualifiedName
    let outputElement: QualifiedName
    let faultElements: [QualifiedName]
    let location: SourceLocation
}
