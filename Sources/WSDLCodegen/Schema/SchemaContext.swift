/// The settings of the `xs:schema` a component is declared in.
struct SchemaContext {
    let targetNamespace: String?
    let elementsQualified: Bool
    let attributesQualified: Bool
    let source: SourceDocument
    /// The output document the schema's components go to (the WSDL for inline schemas).
    let documentPath: String

    func origin(_ element: SourceElement) -> Origin {
        Origin(documentPath: documentPath, location: element.location)
    }
}
