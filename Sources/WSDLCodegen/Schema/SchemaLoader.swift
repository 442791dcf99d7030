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
    /// `--schema-map`: a location as written in a document (typically a URL) → the local file to read instead.
    var schemaMap: [String: URL] = [:]
    /// What deserves attention but does not stop loading (an xs:redefine read as an include).
    private(set) var warnings: [Diagnostic] = []

    init(schemaMap: [String: URL] = [:]) {
        self.schemaMap = schemaMap
    }

    /// Where a `location`/`schemaLocation` points: the schema map first, then a path relative to
    /// the referring file. A URL is never fetched.
    private func resolve(_ location: String, relativeTo base: URL, from referrer: SourceElement) throws -> URL {
        if let mapped = schemaMap[location] { return mapped.standardizedFileURL }
        if let colon = location.firstIndex(of: ":"), location[..<colon].count > 1,
           location[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
            throw referrer.error("schemaLocation \(location) is a URL and wsdl2swift never downloads schemas: save the document locally and pass --schema-map \(location)=FILE")
        }
        return base.appendingPathComponent(location).standardizedFileURL
    }

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
            let target = try resolve(location, relativeTo: url.deletingLastPathComponent(), from: wsdlImport)
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
        let base = schema.source.url.deletingLastPathComponent()
        for include in schema.children(Namespaces.xsd, "include") + schema.children(Namespaces.xsd, "redefine") {
            guard let location = include.attribute("schemaLocation") else {
                throw include.error("xs:\(include.localName) needs a schemaLocation")
            }
            if include.localName == "redefine" {
                warnings.append(Diagnostic(.warning, "unsupported construct: xs:redefine is read as an include; its redefinitions are ignored and the original components are used", at: include.location))
            }
            try loadSchemaFile(try resolve(location, relativeTo: base, from: include), includedInto: context, from: include)
        }
        for schemaImport in schema.children(Namespaces.xsd, "import") {
            // An import without a location names a namespace that must come from elsewhere; any
            // reference into it that stays unresolved is reported where it is used.
            guard let location = schemaImport.attribute("schemaLocation") else { continue }
            try loadSchemaFile(try resolve(location, relativeTo: base, from: schemaImport), from: schemaImport)
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
