import Foundation
import Testing
@testable import WSDLCodegen

/// The generator's output for our schemas and the fixture, compared byte for byte with reviewed
/// files. Run with `UPDATE_GOLDEN=1` to rewrite them after an intended change, then review the diff.
@Suite struct GoldenTests {
    static let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

    func check(_ generated: [GeneratorPipeline.GeneratedFile], against folder: URL) throws {
        if Self.update {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in generated {
                try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name + ".golden"))
            }
        }
        let expectedNames = try RepositoryPaths.files(in: folder, extension: "golden").map { $0.deletingPathExtension().lastPathComponent }
        #expect(generated.map(\.name).sorted() == expectedNames.sorted(), "the set of generated files changed")
        for file in generated {
            let golden = folder.appendingPathComponent(file.name + ".golden")
            let expected = try String(contentsOf: golden, encoding: .utf8)
            if expected != file.contents {
                let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let actualLines = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
                let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
                let line = first?.offset ?? min(expectedLines.count, actualLines.count)
                Issue.record("""
                \(file.name) differs from its golden file at line \(line + 1):
                  expected: \(line < expectedLines.count ? String(expectedLines[line]) : "<end>")
                  actual:   \(line < actualLines.count ? String(actualLines[line]) : "<end>")
                """)
            }
        }
    }

    @Test func eHealthCertificateManagerBindings() throws {
        let generated = try GeneratorPipeline.generate(
            wsdls: try RepositoryPaths.files(in: RepositoryPaths.schemas, extension: "wsdl"),
            xsds: try RepositoryPaths.files(in: RepositoryPaths.schemas, extension: "xsd"))
        try check(generated, against: RepositoryPaths.golden.appendingPathComponent("ehealth"))
    }

    @Test func addressbookFixtureBindings() throws {
        let generated = try GeneratorPipeline.generate(
            wsdls: try RepositoryPaths.files(in: RepositoryPaths.fixture, extension: "wsdl"))
        try check(generated, against: RepositoryPaths.golden.appendingPathComponent("addressbook-fixture"))
    }

    @Test func outputIsDeterministic() throws {
        let wsdls = try RepositoryPaths.files(in: RepositoryPaths.schemas, extension: "wsdl")
        let first = try GeneratorPipeline.generate(wsdls: wsdls)
        let second = try GeneratorPipeline.generate(wsdls: wsdls.reversed())
        #expect(first.sorted { $0.name < $1.name } == second.sorted { $0.name < $1.name })
    }

    @Test func everyOperationOfBothServicesHasItsSOAPAction() throws {
        let generated = try GeneratorPipeline.generate(wsdls: try RepositoryPaths.files(in: RepositoryPaths.schemas, extension: "wsdl"))
        let clients = generated.filter { $0.name.hasSuffix(".wsdl.swift") }.map(\.contents).joined()
        let actions = [
            "urn:be:fgov:ehealth:certra:protocol:v2:getActorQualities",
            "urn:be:fgov:ehealth:certra:protocol:v2:getGenericOrganizationTypes",
            "urn:be:fgov:ehealth:etee:certra:protocol:v2:getexistingapplicationids",
            "urn:be:fgov:ehealth:certra:protocol:v2:generateContract",
            "urn:be:fgov:ehealth:etee:certra:protocol:v2:generatecertificate",
            "urn:be:fgov:ehealth:etee:certra:protocol:v2:getcertificate",
            "urn:be:fgov:ehealth:etee:certra:protocol:v2:getCertificateInfoForAuthenticationCertificate",
            "urn:be:fgov:ehealth:certra:protocol:v2:getCertificateInfoForCitizen",
            "urn:be:fgov:ehealth:certra:protocol:v2:generateRevocationContract",
            "urn:be:fgov:ehealth:etee:certra:protocol:v2:revoke",
            "urn:be:fgov:ehealth:certra:protocol:v2:submitCSRForForeigner",
            "urn:be:fgov:ehealth:etee:etkra:protocol:v2:startETKRegistration",
            "urn:be:fgov:ehealth:etee:etkra:protocol:v2:completeETKregistration",
            "urn:be:fgov:ehealth:etee:etkra:protocol:v2:activateETK",
        ]
        for action in actions {
            #expect(clients.contains("soapAction: \"\(action)\""), "missing \(action)")
        }
        #expect(clients.components(separatedBy: "async throws ->").count - 1 == 14)
    }
}
