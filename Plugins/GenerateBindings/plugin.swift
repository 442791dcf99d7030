import Foundation
import PackagePlugin

/// Runs wsdl2swift over every WSDL in the package's top-level `Schemas/` folder (or the folder a
/// target names in a `wsdl2swift.path` file).
///
/// All schema files are declared as inputs so that editing any XSD regenerates, and SwiftPM
/// skips the command when nothing changed. Output names follow wsdl2swift's rule: one Swift file
/// per schema or WSDL document, named after the document's file name.
@main
struct GenerateBindings: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let schemas = context.package.directoryURL.appending(path: try Self.schemaFolder(of: target))
        let documents = try Self.schemaDocuments(under: schemas)
        let wsdls = documents.filter { $0.pathExtension == "wsdl" }
        guard !wsdls.isEmpty else {
            Diagnostics.warning("GenerateBindings: no .wsdl file in \(schemas.path); nothing to generate")
            return []
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        var inputs = documents
        if let sourceTarget = target as? SourceModuleTarget {
            let marker = sourceTarget.directoryURL.appending(path: "wsdl2swift.path")
            if FileManager.default.fileExists(atPath: marker.path) { inputs.append(marker) }
        }
        // The schemas travel with the bindings, so programs can validate messages at run time.
        // ServiceOperation.swift: wsdl2swift writes it whenever it is given WSDLs.
        let outputs = documents.map { output.appending(path: $0.lastPathComponent + ".swift") }
            + [output.appending(path: "SchemaDocuments.swift"), output.appending(path: "ServiceOperation.swift")]
        var arguments: [String] = []
        for wsdl in wsdls { arguments += ["--wsdl", wsdl.path] }
        // Every XSD in Schemas/ gets its file, even one no WSDL imports, so the declared outputs always exist.
        for xsd in documents where xsd.pathExtension == "xsd" { arguments += ["--xsd", xsd.path] }
        // Schema locations that are URLs are never downloaded: a `wsdl2swift.schema-map` file next to
        // the WSDLs maps them to local files (`LOCATION=FILE` per line, FILE relative to the folder).
        let mapFile = schemas.appending(path: "wsdl2swift.schema-map")
        if FileManager.default.fileExists(atPath: mapFile.path) {
            inputs.append(mapFile)
            for (location, file) in try Self.schemaMap(in: mapFile, folder: schemas) {
                arguments += ["--schema-map", "\(location)=\(file.path)"]
                if !inputs.contains(file) { inputs.append(file) }
            }
        }
        arguments += ["--embed-schemas", "--output", output.path]
        return [
            .buildCommand(
                displayName: "Generating bindings from \(wsdls.count) WSDL file(s) in Schemas/",
                executable: try context.tool(named: "wsdl2swift").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: outputs
            )
        ]
    }

    /// `Schemas` unless the target's folder has a `wsdl2swift.path` file naming another folder
    /// (relative to the package root), as the test fixture bindings do.
    static func schemaFolder(of target: Target) throws -> String {
        guard let sourceTarget = target as? SourceModuleTarget else { return "Schemas" }
        let marker = sourceTarget.directoryURL.appending(path: "wsdl2swift.path")
        guard FileManager.default.fileExists(atPath: marker.path) else { return "Schemas" }
        let text = try String(contentsOf: marker, encoding: .utf8)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `LOCATION=FILE` lines; blank lines and lines starting with `#` are skipped.
    static func schemaMap(in file: URL, folder: URL) throws -> [(String, URL)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var entries: [(String, URL)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let separator = line.lastIndex(of: "="), separator != line.startIndex, line.index(after: separator) != line.endIndex else {
                throw PluginError("\(file.path):\(index + 1): expected LOCATION=FILE, found \"\(line)\"")
            }
            let path = String(line[line.index(after: separator)...]).trimmingCharacters(in: .whitespaces)
            let target = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appending(path: path)
            entries.append((String(line[..<separator]).trimmingCharacters(in: .whitespaces), target))
        }
        return entries
    }

    struct PluginError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func schemaDocuments(under folder: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            return []
        }
        var found: [URL] = []
        for case let url as URL in enumerator where ["wsdl", "xsd"].contains(url.pathExtension) {
            found.append(url)
        }
        return found.sorted { $0.path < $1.path }
    }
}
