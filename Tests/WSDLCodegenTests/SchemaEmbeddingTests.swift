import Foundation
import Testing
@testable import WSDLCodegen

/// `--embed-schemas`: one more file, SchemaDocuments.swift, whose literals hold every XSD's text
/// exactly, whatever quotes, backslashes and hashes it contains.
@Suite struct SchemaEmbeddingTests {
    @Test func theEmbeddingIsOptIn() throws {
        let wsdls = try RepositoryPaths.files(in: RepositoryPaths.schemas, extension: "wsdl")
        let plain = try GeneratorPipeline.generate(wsdls: wsdls)
        let embedded = try GeneratorPipeline.generate(wsdls: wsdls, embedSchemaDocuments: true)
        #expect(!plain.contains { $0.name == GeneratorPipeline.schemaDocumentsFileName })
        #expect(embedded.map(\.name) == plain.map(\.name) + [GeneratorPipeline.schemaDocumentsFileName])
        let file = try #require(embedded.last)
        #expect(file.contents.contains(#"SchemaDocument(path: "certra-protocol-v2.xsd", targetNamespace: "urn:be:fgov:ehealth:certra:protocol:v2", text: #""""#))
        #expect(!file.contents.contains("/work/"), "paths must be relative, not the machine's")
    }

    @Test(arguments: [
        ("plain text", "<a/>", "#"),
        ("a quote and hash", "<a b=\"x\"#y\"/>", "##"),
        ("a backslash and two hashes", "\\##(x)", "###"),
        ("a closing delimiter", "\"\"\"#", "##"),
    ])
    func theRawLiteralHasMoreHashesThanTheText(_ name: String, _ text: String, _ hashes: String) {
        let literal = SchemaDocumentsRenderer.rawLiteral(text)
        #expect(literal == hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes, "\(name)")
    }

    @Test func pathsAreRelativeToTheDeepestCommonFolder() {
        let urls = [URL(fileURLWithPath: "/x/schemas/a.xsd"), URL(fileURLWithPath: "/x/schemas/sub/b.xsd")]
        let base = SchemaDocumentsRenderer.commonFolder(of: urls)
        #expect(urls.map { SchemaDocumentsRenderer.relativePath(of: $0, to: base) } == ["a.xsd", "sub/b.xsd"])
    }
}
