import ArgumentParser
import Foundation
import WSDLCodegen

/// Thin command-line shell over WSDLCodegen's pipeline; the GenerateBindings plugin runs it.
@main
struct WSDL2Swift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wsdl2swift",
        abstract: "Generate typed Swift bindings from document/literal WSDL 1.1 and XML Schema files.",
        discussion: """
        Writes one Swift file per input document (each WSDL and every schema it reaches), named
        after the document, e.g. certra-proxy-v2.wsdl.swift; with --embed-schemas, also
        SchemaDocuments.swift. Problems are reported as
        file:line:column: error: ... and nothing is written. A construct the generator does not
        model is kept as raw XML (AnyXMLElement) with a located warning; --strict makes that an error.
        """
    )

    @Option(name: .customLong("wsdl"), help: "A WSDL file (repeatable).")
    var wsdls: [String] = []

    @Option(name: .customLong("xsd"), help: "An extra XSD to generate even if no WSDL imports it (repeatable).")
    var xsds: [String] = []

    @Flag(help: "Also write SchemaDocuments.swift, carrying the XSD documents' text for validation at run time.")
    var embedSchemas = false

    @Option(name: .customLong("schema-map"), help: ArgumentHelp(
        "Read LOCATION from FILE (repeatable). A schemaLocation that is a URL is never downloaded.",
        valueName: "LOCATION=FILE"))
    var schemaMap: [String] = []

    @Flag(help: "Treat every warning (an unsupported construct kept as raw XML, ...) as an error.")
    var strict = false

    @Option(help: "The folder to write the Swift files to.")
    var output: String

    func validate() throws {
        guard !wsdls.isEmpty || !xsds.isEmpty else {
            throw ValidationError("give at least one --wsdl FILE")
        }
        _ = try parsedSchemaMap()
    }

    /// `--schema-map LOCATION=FILE` entries; the location may itself contain `=` only before the last one.
    func parsedSchemaMap() throws -> [String: URL] {
        var map: [String: URL] = [:]
        for entry in schemaMap {
            guard let separator = entry.lastIndex(of: "="), separator != entry.startIndex,
                  entry.index(after: separator) != entry.endIndex else {
                throw ValidationError("--schema-map expects LOCATION=FILE, got \"\(entry)\"")
            }
            map[String(entry[..<separator])] = URL(fileURLWithPath: String(entry[entry.index(after: separator)...]))
        }
        return map
    }

    func run() throws {
        do {
            let files = try GeneratorPipeline.generate(
                wsdls: wsdls.map { URL(fileURLWithPath: $0) },
                xsds: xsds.map { URL(fileURLWithPath: $0) },
                embedSchemaDocuments: embedSchemas,
                schemaMap: try parsedSchemaMap(),
                strict: strict,
                warnings: { FileHandle.standardError.write(Data(($0.description + "\n").utf8)) })
            try GeneratorPipeline.write(files, to: URL(fileURLWithPath: output))
        } catch let error as DiagnosticsError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        } catch let diagnostic as Diagnostic {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            throw ExitCode.failure
        }
    }
}
