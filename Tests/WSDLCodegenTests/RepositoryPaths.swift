import Foundation

/// Locations in the repository, found from this file's own path so tests run from any folder.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = root.appendingPathComponent("Schemas")
    static let fixture = root.appendingPathComponent("Tests/Fixtures/wsdl/addressbook-fixture")
    static let golden = root.appendingPathComponent("Tests/WSDLCodegenTests/Golden")

    static func files(in folder: URL, extension pathExtension: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == pathExtension }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
