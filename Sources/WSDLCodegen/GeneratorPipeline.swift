import Foundation

/// wsdl2swift's pipeline: WSDL and XSD files → schema components → Swift declarations → source text.
///
/// Every stage is a plain function of the previous one's output, so the same inputs give the
/// same bytes. Problems are collected as located diagnostics; if there is any error, no output is
/// produced at all rather than a partial set of bindings.
public enum GeneratorPipeline {
    public struct GeneratedFile: Sendable, Equatable {
        /// `<input file name>.swift`, e.g. `certra-proxy-v2.wsdl.swift`.
        public let name: String
        public let contents: String
    }

    /// The file with the module-wide `ServiceOperation` enum, added whenever WSDLs are given.
    public static let operationsTableFileName = OperationsTableRenderer.fileName

    /// The file that `embedSchemaDocuments` adds.
    public static let schemaDocumentsFileName = "SchemaDocuments.swift"

    /// `warnings` receives what deserves attention but does not stop generation. With
    /// `embedSchemaDocuments`, one more file carries the XSD documents' text (`SchemaDocuments.all`),
    /// so that the program can validate messages against the schemas it was generated from.
    ///
    /// `schemaMap` maps a `schemaLocation` as written (a URL, which is never fetched) to a local file.
    /// With `strict`, every warning (an unsupported construct kept as raw XML, ...) is an error.
    public static func generate(wsdls: [URL], xsds: [URL] = [], embedSchemaDocuments: Bool = false,
                                schemaMap: [String: URL] = [:], strict: Bool = false,
                                warnings: ((Diagnostic) -> Void)? = nil) throws -> [GeneratedFile] {
        // Stage 1: load every reachable document. WSDLs in path order, so the module-wide
        // operations table (and every name) does not depend on the order they were given in.
        let wsdls = wsdls.map(\.standardizedFileURL).sorted { $0.path < $1.path }
        var loader = SchemaLoader(schemaMap: schemaMap)
        for wsdl in wsdls { try loader.loadWSDL(wsdl) }
        for xsd in xsds { try loader.loadSchemaFile(xsd.standardizedFileURL) }

        // Stage 2: schema components and WSDL operations.
        let parser = SchemaParser(roots: loader.schemaRoots, documentPaths: loader.documentPaths,
                                  namespaceDeclarations: loader.namespaceDeclarations)
        var diagnostics = loader.warnings + parser.diagnostics
        let schema = parser.schemaSet
        var services: [ServiceDefinition] = []
        let knownElements = Set(schema.elements.keys)
        for document in loader.wsdlDocuments {
            let (service, found) = WSDLParser.parse(document, knownElements: knownElements)
            diagnostics += found
            if let service { services.append(service) }
        }

        // Stage 3: Swift declarations.
        var builder = SwiftModelBuilder(schema: schema)
        let files = NamespaceCollector.apply(to: RecursionBreaker.apply(to: builder.build(services: services)),
                                             preferredPrefixes: schema.preferredPrefixes)
        diagnostics += builder.diagnostics

        if strict {
            diagnostics = diagnostics.map { $0.severity == .warning ? Diagnostic(.error, $0.message + " (--strict)", at: $0.location) : $0 }
        }
        for warning in Self.deduplicated(diagnostics.filter { $0.severity != .error }) { warnings?(warning) }
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw DiagnosticsError(diagnostics: Self.deduplicated(errors)) }

        // Stage 4: text.
        var generated = files.map { file in
            GeneratedFile(name: file.fileName, contents: SwiftRenderer.render(file, sourceName: String(file.fileName.dropLast(6))))
        }
        if !wsdls.isEmpty {
            generated.append(GeneratedFile(name: OperationsTableRenderer.fileName,
                                           contents: OperationsTableRenderer.render(builder.operationsTable, sources: wsdls.map(\.lastPathComponent))))
        }
        if embedSchemaDocuments {
            generated.append(GeneratedFile(name: schemaDocumentsFileName,
                                           contents: SchemaDocumentsRenderer.render(loader.schemaFiles)))
        }
        return generated
    }

    private static func deduplicated(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        return diagnostics.filter { seen.insert($0.description).inserted }
    }

    /// Writes the files into a folder, each atomically.
    public static func write(_ files: [GeneratedFile], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files {
            try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic)
        }
    }
}
