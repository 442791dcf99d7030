import Foundation
import Testing

/// Our Schemas/ against the official XSDs, component by component (Tests/Conformance/compare_schemas.py:
/// names, types, content models, occurrences, facets, forms): the wire contract is the official one.
@Suite struct SchemaConformanceScriptTests {
    static let official = RepositoryPaths.root.deletingLastPathComponent().appendingPathComponent("shared/reference/ehealth-schemas")
    static let available = FileManager.default.fileExists(atPath: official.path)
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/env")

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    var script: String { RepositoryPaths.root.appendingPathComponent("Tests/Conformance/compare_schemas.py").path }

    @Test(.enabled(if: available, "the official XSDs are not at ../shared/reference/ehealth-schemas"))
    func ourSchemasAreWireIdenticalToTheOfficialOnes() throws {
        let result = try run([script, RepositoryPaths.schemas.path, Self.official.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("components identical"))
    }

    @Test(.enabled(if: available, "the official XSDs are not at ../shared/reference/ehealth-schemas"))
    func aChangedFacetIsCaught() throws {
        // The checker itself must see a difference: PublicKeyIdentifier's length 20 made 21.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("schemas-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: RepositoryPaths.schemas, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent("etee-commons-core-v2.xsd")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("<xs:length value=\"20\"/>"))
        try text.replacingOccurrences(of: "<xs:length value=\"20\"/>", with: "<xs:length value=\"21\"/>").write(to: file, atomically: true, encoding: .utf8)
        let result = try run([script, copy.path, Self.official.path])
        #expect(result.status == 1)
        #expect(result.output.contains("PublicKeyIdentifier"))
    }
}
