import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import Testing

/// Issue 5: "A test runs the flow as a real child process, kills it with SIGKILL at every step
/// boundary in turn, resumes, and ends each time with a complete, valid keystore and ETK."
///
/// The child (Tests/FlowCrashChild) runs a natural person's create-new-ETK flow against an
/// in-process sandbox over HTTP and stands still after the n-th finished step (its outcome in the
/// journal); the test kills it with SIGKILL there, runs it again in resume mode, and checks what
/// the person ends with. Each boundary gets a sandbox of its own, so that the platform's side can
/// be checked too: exactly one certificate, for the key the keystore holds.
@Suite("SIGKILL at every step boundary of the create flow, then resume", .serialized,
       .enabled(if: FlowCrashChildProcess.available, FlowCrashChildProcess.skipReason))
struct FlowCrashTests {
    /// A natural person's flow finishes steps 1, 2 and 5 to 13 (3 and 4 are an organization's).
    static let personSteps = [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    /// 0 is right after the flow is recorded, before step 1; n after the n-th finished step.
    static let boundaries = Array(0...personSteps.count)

    static var environment: [String: String] {
        ["FLOW_CRASH_PASSWORD": FlowFixture.password, "FLOW_CRASH_EID_PASSWORD": SandboxWorld.citizenKeystorePassword]
    }

    static func service(_ sandbox: EmbeddedSandbox, _ citizen: SandboxCitizen) -> [String] {
        [sandbox.certRAEndpoint.absoluteString, sandbox.etkRAEndpoint.absoluteString, citizen.eidKeystore.path]
    }

    @Test("without a kill the child reports every boundary: steps 1, 2, 5-13, then a finished flow")
    func boundariesOfThePersonFlow() async throws {
        let folders = TestFolders()
        let sandbox = try await SandboxCopy.make(in: folders.root).start(deliveryDelay: 0.3)
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let child = try FlowCrashChildProcess(["start", folders.work.url.path, folders.keystores.path] + Self.service(sandbox, citizen) + ["1000"],
                                              environment: Self.environment)
        _ = try await child.line("DONE")
        await child.exit()
        await sandbox.stop()
        #expect(child.process.terminationStatus == 0, "\(child.logged)")
        let steps = child.lines.filter { $0.hasPrefix("STEP ") }.map { $0.split(separator: " ").map(String.init) }
        #expect(steps.map { Int($0[1]) } == Array(1...Self.personSteps.count))
        #expect(steps.map { Int($0[2]) } == Self.personSteps)
    }

    @Test("killed after each boundary and resumed: a complete, valid keystore and ETK, one certificate, no key lost", arguments: boundaries)
    func killAndResume(boundary: Int) async throws {
        let folders = TestFolders()
        let sandbox = try await SandboxCopy.make(in: folders.root).start(deliveryDelay: 0.3)
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)

        let first = try FlowCrashChildProcess(["start", folders.work.url.path, folders.keystores.path] + Self.service(sandbox, citizen) + ["\(boundary)"],
                                              environment: Self.environment)
        let id = try #require(FlowID(rawValue: try await first.line("FLOW")))
        let held = try await first.line("HOLD")
        #expect(held.hasPrefix("\(boundary) "))
        await first.kill()
        #expect(first.process.terminationReason == .uncaughtSignal)
        #expect(first.process.terminationStatus == SIGKILL)
        #expect(!first.lines.contains { $0.hasPrefix("DONE") })

        let second = try FlowCrashChildProcess(["resume", folders.work.url.path, id.rawValue] + Self.service(sandbox, citizen),
                                               environment: Self.environment)
        let keystoreFile = try await second.line("DONE")
        await second.exit()
        #expect(second.process.terminationStatus == 0, "\(second.logged)")

        // The finished flow's result, from its journal (nothing is sent again).
        let transport = try RecordingTransport()
        let result = try await CreateETKFlow.open(id, in: folders.work).run(
            eID: NoEIDKeySource(), keystorePassword: FlowFixture.password, settings: FlowFixture.settings(sandbox, transport: transport),
            reviewContract: FlowFixture.accept, progress: { _ in })
        #expect(transport.operations.isEmpty)
        #expect(result.keystoreFile.path == keystoreFile)
        let keystore = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
        // No private key lost: the key the platform certified, and the one it registered the ETK
        // for, are the keys in the keystore.
        #expect(keystore[Keystore.authenticationAlias]?.privateKey?.belongs(to: result.authenticationCertificate) == true)
        let encryptionCertificate = try #require(result.etk?.encryptionCertificate.certificate)
        #expect(keystore[result.encryptionKeyAlias]?.privateKey?.belongs(to: encryptionCertificate) == true)

        // Nothing repeated on the platform's side: one certificate, this one, with its ETK active.
        let certificates = try await CertificateInformation(endpoints: FlowFixture.endpoints(sandbox),
                                                            settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
            .certificates(of: FlowFixture.eID(citizen))
        await sandbox.stop()
        #expect(certificates.count == 1)
        #expect(certificates.first?.publicKeyIdentifier == (try PublicKeyIdentifier(certificate: result.authenticationCertificate)))
        #expect(certificates.first?.etkState == .validActive)
    }
}
