/// One XML Schema document carried inside generated bindings, so that a program can validate
/// messages against the contract it was generated from without shipping the .xsd files.
public struct SchemaDocument: Sendable, Equatable {
    /// The document's path relative to the folder of the generator's inputs, e.g.
    /// `certra-core-v2.xsd`; the documents' relative imports resolve against these paths.
    public let path: String
    /// The schema's targetNamespace; nil for a schema without one.
    public let targetNamespace: String?
    /// The document's text, byte for byte as the generator read it.
    public let text: String

    public init(path: String, targetNamespace: String?, text: String) {
        self.path = path
        self.targetNamespace = targetNamespace
        self.text = text
    }
}
