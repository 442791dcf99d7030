import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import Testing

/// Renewal (cookbook 4.3.5) and activation against the sandbox.
@Suite("Renew a certificate and activate its ETK", .serialized)
struct RenewalTests {
    static func createOrganization(_ applicationID: String, sandbox: EmbeddedSandbox, folders: TestFolders) async throws -> CreateETKResult {
        let owner = CreateETKRequest.Owner.organization(.init(type: "CBE", identifier: "0412345614", applicationID: applicationID))
        return try await CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                             workDirectory: folders.work)
            .run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                 settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })
    }

    @Test("in the replacement window: same DN, ReplacesCertificate, old encryption keys kept, ETK to be activated, then activated once")
    func renewAndActivate() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folders = TestFolders()
        let old = try await Self.createOrganization("RENEW-APP", sandbox: sandbox, folders: folders)
        let oldIdentifier = try PublicKeyIdentifier(certificate: old.authenticationCertificate)
        let settings = FlowFixture.settings(sandbox, transport: try RecordingTransport())

        let transport = try RecordingTransport()
        let flow = try await CertificateRenewal.start(keystore: old.keystoreFile, password: FlowFixture.password,
                                                      endpoints: FlowFixture.endpoints(sandbox), settings: settings, workDirectory: folders.work)
        let events = EventLog()
        let renewed = try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                                         settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept,
                                         progress: { events.append($0) })
        #expect(try EHealthDistinguishedName(renewed.distinguishedName) == EHealthDistinguishedName(old.distinguishedName))
        #expect(renewed.authenticationCertificate.subject == old.authenticationCertificate.subject)
        #expect(renewed.replacesCertificate == oldIdentifier.hex)
        #expect(renewed.etkToBeActivated)
        #expect(renewed.keptEncryptionKeyAliases == [old.encryptionKeyAlias])
        #expect(renewed.keystoreFile != old.keystoreFile)
        #expect(renewed.keystoreFile.deletingLastPathComponent() == old.keystoreFile.deletingLastPathComponent())
        #expect(transport.operations.contains("generatecertificate"))
        // Issue 13: no private key outlives the renewal in the work folder (the create flow's
        // and the renewal's secrets.p12 are both gone once their keystores read back complete).
        #expect(folders.work.flows().count == 2)
        #expect(folders.work.flowsHoldingSecrets().isEmpty, "\(folders.work.flowsHoldingSecrets().map(\.id))")

        let keystore = try Keystore(contentsOf: renewed.keystoreFile, password: FlowFixture.password)
        #expect(Set(keystore.encryptionAliases) == [old.encryptionKeyAlias, renewed.encryptionKeyAlias])
        let oldKeystore = try Keystore(contentsOf: old.keystoreFile, password: FlowFixture.password)
        #expect(keystore[old.encryptionKeyAlias]?.privateKey == oldKeystore[old.encryptionKeyAlias]?.privateKey)

        let information = CertificateInformation(endpoints: FlowFixture.endpoints(sandbox), settings: settings)
        let waiting = try await information.status(ofKeystore: renewed.keystoreFile, password: FlowFixture.password)
        #expect(waiting.etkState == .waitForActivation)
        #expect(waiting.warnings(warnDays: 0).contains(.etkWaitsForActivation))

        let activation = ETKActivation(endpoints: FlowFixture.endpoints(sandbox), settings: settings)
        #expect(try await activation.activate(keystore: renewed.keystoreFile, password: FlowFixture.password) == .activated)
        #expect(try await information.status(ofKeystore: renewed.keystoreFile, password: FlowFixture.password).etkState == .validActive)
        #expect(try await activation.activate(keystore: renewed.keystoreFile, password: FlowFixture.password) == .alreadyActive)
    }

    @Test("before the replacement window: refused before anything is signed, saying from when")
    func tooEarly() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let old = try await Self.createOrganization("EARLY-RENEW", sandbox: sandbox, folders: folders)
        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await CertificateRenewal.start(keystore: old.keystoreFile, password: FlowFixture.password, endpoints: FlowFixture.endpoints(sandbox),
                                               settings: FlowFixture.settings(sandbox, transport: transport), workDirectory: folders.work)
        }
        #expect(error?.code == .renewalNotYetPossible)
        let start = old.authenticationCertificate.notValidAfter.addingTimeInterval(-90 * 86_400)
        #expect(error?.reason.contains(CreateETKFlowTests.day(start)) == true)
        #expect(transport.operations == ["getcertificateinfoforauthenticationcertificate"])
        #expect(folders.work.flows().count == 1, "only the create flow; no renewal flow recorded")
    }
}

extension CreateETKFlowTests {
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
