import Foundation
import Sandbox
import Testing

/// Every eHealth code the sandbox answers with is either one the cookbook publishes or declared
/// in `SandboxOnlyCode` (so that it is flagged as the sandbox's own in its message); and no code
/// is declared sandbox-only once the cookbook publishes it.
@Suite(.enabled(if: PublishedReference.available, "the cookbook is not at ../shared/reference"))
struct ErrorCodeCatalogTests {
    static func publishedText() throws -> String { try PublishedReference.text() }

    /// The codes of `EHealthFailure("CODE", ...)` in the sandbox's sources.
    static func codesTheSandboxSends() throws -> Set<String> {
        let sources = OfficialSchemas.repositoryRoot.appendingPathComponent("Sources/Sandbox")
        let pattern = try NSRegularExpression(pattern: #"EHealthFailure\(\s*"([A-Z0-9_]+)""#)
        var codes = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                codes.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return codes
    }

    @Test func everyCodeIsPublishedOrDeclaredSandboxOnly() throws {
        let published = try Self.publishedText()
        let sent = try Self.codesTheSandboxSends()
        #expect(sent.count > 20, "the scan found too few codes to be right: \(sent.sorted())")
        for code in sent.sorted() where !published.contains(code) {
            #expect(SandboxOnlyCode.all[code] != nil, "\(code) is neither in the cookbook nor in SandboxOnlyCode.all")
        }
        for code in sent.sorted() where published.contains(code) {
            #expect(SandboxOnlyCode.published.contains(code), "\(code) is in the cookbook but not in SandboxOnlyCode.published, so it would be marked as the sandbox's")
        }
    }

    @Test func everyCodeTheSandboxCallsPublishedIsInTheCookbook() throws {
        let published = try Self.publishedText()
        for code in SandboxOnlyCode.published.sorted() {
            #expect(published.contains(code), "\(code) is not in the cookbook")
        }
        #expect(SandboxOnlyCode.published.isDisjoint(with: SandboxOnlyCode.all.keys))
    }

    @Test func noDeclaredSandboxOnlyCodeIsPublished() throws {
        let published = try Self.publishedText()
        for code in SandboxOnlyCode.all.keys.sorted() {
            #expect(!published.contains(code), "\(code) is in the cookbook now: use it as the platform does and drop it from SandboxOnlyCode")
        }
    }

    @Test func everyDeclaredSandboxOnlyCodeIsUsed() throws {
        let sent = try Self.codesTheSandboxSends()
        for code in SandboxOnlyCode.all.keys.sorted() {
            #expect(sent.contains(code), "\(code) is declared but the sandbox never sends it")
        }
    }
}

/// The cookbook and protocol facts, kept outside the repository in `../shared/reference`.
enum PublishedReference {
    static let folder = OfficialSchemas.repositoryRoot.appendingPathComponent("../shared/reference").standardizedFileURL
    static let cookbook = folder.appendingPathComponent("certra-etkra-v2-cookbook.txt")
    static let protocolFacts = folder.appendingPathComponent("protocol-facts.md")
    static var available: Bool { [cookbook, protocolFacts].allSatisfy { FileManager.default.fileExists(atPath: $0.path) } }

    static func text() throws -> String {
        try String(contentsOf: cookbook, encoding: .utf8) + String(contentsOf: protocolFacts, encoding: .utf8)
    }
}
