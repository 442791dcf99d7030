import CertManagerKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox
import Security
import Testing

/// A foreigner's certificate and ETK (cookbook 4.3.7) against the sandbox.
@Suite("A foreigner without a Belgian eID", .serialized)
struct ForeignerFlowTests {
    static let bis = "92471004573"

    /// Fails every use: a foreigner's flow never signs with an eID.
    struct NoEID: EIDKeySource {
        func authenticationKey() async throws -> any SigningKey { throw CertManagerError(.eIDUnavailable, .configuration, reason: "no eID", advice: "") }
        func signatureKey() async throws -> any SigningKey { throw CertManagerError(.eIDUnavailable, .configuration, reason: "no eID", advice: "") }
    }

    @Test("submit the CSR, stop with the validation link; after the person confirmed, resume to a keystore and ETK")
    func foreigner() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.foreigner(.init(bis: Self.bis, firstNames: ["John"], lastName: "Smith"))
        let flow = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let transport = try RecordingTransport()
        let events = EventLog()
        let pending = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: NoEID(), keystorePassword: FlowFixture.password, settings: FlowFixture.settings(sandbox, transport: transport),
                               reviewContract: { _ in Issue.record("a foreigner signs no contract"); return .decline }, progress: { events.append($0) })
        }
        #expect(pending?.category == .pending)
        #expect(transport.operations == ["submitcsrforforeigner", "getcertificate"])
        let advice = try #require(pending?.advice)
        let link = try #require(advice.split(separator: " ").first { $0.hasPrefix("http") }.map { URL(string: String($0))! })
        #expect(events.startedSteps == [6, 7, 8, 9])
        #expect(await flow.nextStep == FlowStep.CreateETK.getCertificate)
        // The private key is stored before the CSR leaves.
        #expect(FileManager.default.fileExists(atPath: folders.work.folder(for: flow.id).appendingPathComponent("secrets.p12").path))

        // The person opens the page and confirms.
        var confirmation = URLRequest(url: link)
        confirmation.httpMethod = "POST"
        let (_, answer) = try await URLSession.shared.data(for: confirmation)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)

        let resumed = try CreateETKFlow.open(flow.id, in: folders.work)
        let resumeTransport = try RecordingTransport()
        let result = try await resumed.run(eID: NoEID(), keystorePassword: FlowFixture.password,
                                           settings: FlowFixture.settings(sandbox, transport: resumeTransport), reviewContract: FlowFixture.accept, progress: { _ in })
        #expect(!resumeTransport.operations.contains("submitcsrforforeigner"))
        #expect(resumeTransport.operations.contains("completeetkregistration"))
        let name = try EHealthDistinguishedName(result.distinguishedName)
        #expect(name.identifier.description == "SSIN=\(Self.bis)")
        #expect(result.keystoreFile.lastPathComponent.hasPrefix("SSIN=\(Self.bis) "))
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
    }

    @Test("a number that is not a BIS number is refused before anything is recorded")
    func notBIS() throws {
        let folders = TestFolders()
        let error = #expect(throws: CertManagerError.self) {
            try CreateETKFlow.start(FlowFixture.request(.foreigner(.init(bis: "85073003328", firstNames: ["Jean"], lastName: "Dupont")), folders: folders),
                                    endpoints: ServiceEndpoints(.acceptance), workDirectory: folders.work)
        }
        #expect(error?.category == .invalidInput)
        #expect(folders.work.flows().isEmpty)
    }
}
