import Foundation
import SOAPRuntime

/// Finds every schema reachable from the inputs: inline schemas of WSDLs, imports and includes
/// (relative `schemaLocation`s resolved against the referring file), each file loaded once.
struct SchemaLoader {
    private(set) var schemaRoots: [(SourceElement, SchemaContext)] = []
    private(set) var wsdlDocuments: [SourceDocument] = []
    private var loaded: [String: SourceDocument] = [:]
    private var loadedSchemaKeys: Set<String> = []
    /// Files in load order; each becomes one generated Swift file.
    private(set) var documentPaths: [String] = []
    /// Prefix declarations of the documents' roots and inline schemas, in load order.
    private(set) var namespaceDeclarations: [(prefix: String, uri: String)] = []

    mutating func loadWSDL(_ url: URL) throws {
        let source = try document(at: url)
        let root = SourceElement(element: source.document.root, source: source)
        guard root.isA(Namespaces.wsdl, "definitions") else {
            throw root.error("\(url.lastPathComponent) is not a WSDL 1.1 document (expected wsdl:definitions, found \(root.element.name))")
        }
        if !documentPaths.contains(source.path) { documentPaths.append(source.path) }
        wsdlDocuments.append(source)
        namespaceDeclarations += root.element.namespaceDeclarations
        for wsdlImport in root.children(Namespaces.wsdl, "import") {
            guard let location = wsdlImport.attribute("location") else { continue }
            let target = url.deletingLastPathComponent().appendingPathComponent(location).standardizedFileURL
            if target.pathExtension.lowercased() == "xsd" {
                try loadSchemaFile(target, includedInto: nil, from: wsdlImport)
            } else {
                try loadWSDL(target)
            }
        }
        for types in root.children(Namespaces.wsdl, "types") {
            for schema in types.children(Namespaces.xsd, "schema") {
                try addSchema(schema, targetOverride: nil, documentPath: source.path)
            }
        }
    }

    mutating func loadSchemaFile(_ url: URL, includedInto context: SchemaContext? = nil, from referrer: SourceElement? = nil) throws {
        let source: SourceDocument
        do {
            source = try document(at: url)
        } catch let diagnostic as Diagnostic {
            if let referrer {
                throw referrer.error("cannot load schema \(url.path): \(diagnostic.message)")
            }
            throw diagnostic
        }
        let root = SourceElement(element: source.document.root, source: source)
        guard root.isA(Namespaces.xsd, "schema") else {
            throw root.error("\(url.lastPathComponent) is not an XML Schema (expected xs:schema, found \(root.element.name))")
        }
        // A file is loaded once per namespace it ends up in: its own, or (a chameleon include
        // without one) the includer's. Reached again by import, include or --xsd, it is the same schema.
        let key = source.path + "|" + (root.attribute("targetNamespace") ?? context?.targetNamespace ?? "")
        if loadedSchemaKeys.contains(key) { return }
        loadedSchemaKeys.insert(key)
        if !documentPaths.contains(source.path) { documentPaths.append(source.path) }
        if let context {
            let declared = root.attribute("targetNamespace")
            if let declared, declared != context.targetNamespace {
                throw (referrer ?? root).error("included schema \(url.lastPathComponent) has target namespace \(declared), not \(context.targetNamespace ?? "(none)")")
            }
            try addSchema(root, targetOverride: context.targetNamespace, documentPath: source.path)
        } else {
            try addSchema(root, targetOverride: nil, documentPath: source.path)
        }
    }

    private mutating func addSchema(_ schema: SourceElement, targetOverride: String?, documentPath: String) throws {
        let context = SchemaContext(
            targetNamespace: targetOverride ?? schema.attribute("targetNamespace"),
            elementsQualified: schema.attribute("elementFormDefault") == "qualified",
            attributesQualified: schema.attribute("attributeFormDefault") == "qualified",
            source: schema.source,
            documentPath: documentPath
        )
        schemaRoots.append((schema, context))
        namespaceDeclarations += schema.element.namespaceDeclarations
        for redefine in schema.children(Namespaces.xsd, "redefine") {
            throw redefine.error("xs:redefine is not supported")
        }
        let base = schema.source.url.deletingLastPathComponent()
        for include in schema.children(Namespaces.xsd, "include") {
            guard let location = include.attribute("schemaLocation") else {
                throw include.error("xs:include needs a schemaLocation")
            }
            try loadSchemaFile(base.appendingPathComponent(location).standardizedFileURL, includedInto: context, from: include)
        }
        for schemaImport in schema.children(Namespaces.xsd, "import") {
            // An import without a location names a namespace that must come from elsewhere; any
            // reference into it that stays unresolved is reported where it is used.
            guard let location = schemaImport.attribute("schemaLocation") else { continue }
            try loadSchemaFile(base.appendingPathComponent(location).standardizedFileURL, from: schemaImport)
        }
    }

    /// The XSD files read (not WSDL documents, whose inline schemas cannot stand alone), in
    /// path order.
    var schemaFiles: [SourceDocument] {
        let wsdlPaths = Set(wsdlDocuments.map(\.path))
        return loaded.values.filter { !wsdlPaths.contains($0.path) }.sorted { $0.path < $1.path }
    }

    private mutating func document(at url: URL) throws -> SourceDocument {
        let path = url.standardizedFileURL.path
        if let existing = loaded[path] { return existing }
        let source = try SourceDocument(url: url.standardizedFileURL)
        loaded[path] = source
        return source
    }
}
