import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import Testing

/// The negative paths of issue 5 at flow level, over real HTTP to the sandbox: a revoked
/// certificate, an expired authentication certificate, and a challenge altered on the way.
@Suite("Negative paths: revoked, expired, bad challenge", .serialized)
struct NegativePathTests {
    static let dupont = "DUPONT"

    /// Runs a create flow for DUPONT's company with `applicationID` that stops before
    /// startETKRegistration is sent: the keystore with `authentication` is written, no ETK yet.
    static func stoppedBeforeETKRegistration(_ applicationID: String, sandbox: EmbeddedSandbox, folders: TestFolders) async throws -> CreateETKFlow {
        let owner = CreateETKRequest.Owner.organization(.init(type: "CBE", identifier: "0412345614", applicationID: applicationID))
        let flow = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let failing = try RecordingTransport(failing: .beforeSending(operation: "startetkregistration"))
        let stopped = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen(dupont, in: sandbox)), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: failing), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(stopped?.category == .unavailable)
        #expect(failing.failureInjected)
        #expect(await flow.nextStep == FlowStep.CreateETK.startETKRegistration)
        return flow
    }

    // MARK: - Revoked

    @Test("a revoked certificate: renewal refused before any flow exists, status says REVOKED, request anew")
    func revokedCertificateIsNotRenewed() async throws {
        // Certificates of this sandbox are Replaceable as soon as they are issued: only the
        // revocation can stop the renewal.
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folders = TestFolders()
        let created = try await RenewalTests.createOrganization("NEG-REVOKED", sandbox: sandbox, folders: folders)
        let identifier = try PublicKeyIdentifier(certificate: created.authenticationCertificate)
        let information = CertificateInformation(endpoints: FlowFixture.endpoints(sandbox),
                                                 settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
        let before = try await information.status(ofKeystore: created.keystoreFile, password: FlowFixture.password)
        guard case .open = before.renewal() else {
            Issue.record("the certificate should be renewable before it is revoked, got \(before.renewal())")
            return
        }

        _ = try await CertificateRevocation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
            .revoke(identifier, reason: .keyCompromise, eID: FlowFixture.eID(SandboxFixture.citizen(Self.dupont, in: sandbox)), review: { _ in .accept })

        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await CertificateRenewal.start(keystore: created.keystoreFile, password: FlowFixture.password, endpoints: FlowFixture.endpoints(sandbox),
                                               settings: FlowFixture.settings(sandbox, transport: transport), workDirectory: folders.work)
        }
        #expect(error?.code == .certificateNotRenewable)
        #expect(error?.category == .refused)
        #expect(error?.reason.contains("REVOKED") == true, "the person is told the certificate is revoked: \(String(describing: error))")
        #expect(error?.advice.contains("new certificate") == true, "and that a new one must be requested: \(String(describing: error))")
        // Asked with the keystore's own key; nothing for the eID to sign, no renewal flow recorded.
        #expect(transport.operations == ["getcertificateinfoforauthenticationcertificate"])
        #expect(folders.work.flows().count == 1, "only the create flow")

        let status = try await information.status(ofKeystore: created.keystoreFile, password: FlowFixture.password)
        #expect(status.state == .revoked)
        #expect(status.publicKeyIdentifier == identifier)
        #expect(!status.replaceable)
        #expect(status.renewal() == .requestAnew)
        #expect(status.warnings(warnDays: 0).contains(.revoked))
    }

    @Test("revoked between getCertificate and startETKRegistration: ETK_REQUESTED_FOR_AUTH_CERT_REVOKED, nothing else sent")
    func revokedBeforeETKRegistration() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let flow = try await Self.stoppedBeforeETKRegistration("NEG-REVOKED-ETK", sandbox: sandbox, folders: folders)
        let keystore = try Keystore(contentsOf: await flow.keystoreFile, password: FlowFixture.password)
        let certificate = try #require(keystore[Keystore.authenticationAlias]?.certificate)
        _ = try await CertificateRevocation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
            .revoke(try PublicKeyIdentifier(certificate: certificate), reason: .cessationOfOperation,
                    eID: FlowFixture.eID(SandboxFixture.citizen(Self.dupont, in: sandbox)), review: { _ in .accept })

        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await CreateETKFlow.open(flow.id, in: folders.work).run(
                eID: NoEIDKeySource(), keystorePassword: FlowFixture.password, settings: FlowFixture.settings(sandbox, transport: transport),
                reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(error?.code.rawValue == "ETK_REQUESTED_FOR_AUTH_CERT_REVOKED")
        #expect(error?.category == .refused)
        #expect(error?.advice.contains("create") == true, "\(String(describing: error))")
        #expect(transport.operations == ["startetkregistration"])
    }

    // MARK: - Expired

    @Test("an expired authentication certificate: renewal refused, request anew; ETK registration gets ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED")
    func expiredAuthenticationCertificate() async throws {
        let folders = TestFolders()
        let copy = try await SandboxCopy.make(in: folders.root)
        let first = try await copy.start()
        let citizen = SandboxFixture.citizen(Self.dupont, in: first)
        let created = try await CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(first),
                                                    workDirectory: folders.work)
            .run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                 settings: FlowFixture.settings(first, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })
        let unregistered = try await Self.stoppedBeforeETKRegistration("NEG-EXPIRED-ETK", sandbox: first, folders: folders)
        await first.stop()

        // 1100 days on, by the sandbox's clock and the client's alike: the 3-year certificates expired.
        let offset = 1100.0 * 86_400
        #expect(created.authenticationCertificate.notValidAfter < Date().addingTimeInterval(offset))
        let later = try await copy.start(clockOffsetDays: 1100)
        defer { Task { await later.stop() } }

        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await CertificateRenewal.start(keystore: created.keystoreFile, password: FlowFixture.password, endpoints: FlowFixture.endpoints(later),
                                               settings: FlowFixture.settings(later, transport: transport), workDirectory: folders.work,
                                               now: Date().addingTimeInterval(offset))
        }
        #expect(error?.code == .certificateNotRenewable, "\(String(describing: error))")
        #expect(error?.category == .refused)
        #expect(error?.reason.contains("expired on \(CreateETKFlowTests.day(created.authenticationCertificate.notValidAfter))") == true,
                "\(String(describing: error))")
        #expect(error?.reason.contains("cannot be renewed") == true)
        #expect(error?.advice.contains("create") == true, "\(String(describing: error))")
        // Refused before anything is signed or sent: the expired key cannot sign a status request.
        #expect(transport.operations.isEmpty)
        #expect(folders.work.flows().count == 2, "no renewal flow recorded")

        // The keystore's status: told locally, as the expired key cannot sign the question.
        let asked = try RecordingTransport()
        let expired = await #expect(throws: CertManagerError.self) {
            try await CertificateInformation(endpoints: FlowFixture.endpoints(later), settings: FlowFixture.settings(later, transport: asked))
                .status(ofKeystore: created.keystoreFile, password: FlowFixture.password, now: Date().addingTimeInterval(offset))
        }
        #expect(expired?.code == .certificateExpired, "\(String(describing: expired))")
        #expect(expired?.advice.contains("create") == true)
        #expect(asked.operations.isEmpty)

        let registration = try RecordingTransport()
        let refused = await #expect(throws: CertManagerError.self) {
            try await CreateETKFlow.open(unregistered.id, in: folders.work).run(
                eID: NoEIDKeySource(), keystorePassword: FlowFixture.password, settings: FlowFixture.settings(later, transport: registration),
                reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(refused?.code.rawValue == "ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED")
        #expect(refused?.category == .refused)
        #expect(refused?.advice.contains("requested anew") == true, "\(String(describing: refused))")
        #expect(registration.operations == ["startetkregistration"])
    }

    // MARK: - Bad challenge

    @Test("a challenge altered in transit: rejected at step 12, completeETKRegistration not sent, keystore durable, resume completes")
    func alteredChallenge() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let citizen = SandboxFixture.citizen(Self.dupont, in: sandbox)
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.organization(.init(type: "CBE", identifier: "0412345614", applicationID: "NEG-CHALLENGE"))
        let flow = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let tampering = try ChallengeTamperingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: tampering), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(tampering.tampered, "the challenge was altered")
        #expect(error?.code.rawValue == SecurityError.Code.challengeDigestMismatch.rawValue, "\(String(describing: error))")
        #expect(error?.category == .protocolViolation)
        #expect(error?.operation?.contains("startETKRegistration") == true, "\(String(describing: error))")
        #expect(tampering.operations.last == "startetkregistration")
        #expect(!tampering.operations.contains("completeetkregistration"), "no answer to a challenge that does not verify")
        #expect(await flow.nextStep == FlowStep.CreateETK.startETKRegistration, "the next run asks for a new challenge")

        // The authentication key is already safe in the keystore.
        let keystoreFile = await flow.keystoreFile
        let keystore = try Keystore(contentsOf: keystoreFile, password: FlowFixture.password)
        _ = try keystore.authenticationKey()
        #expect(keystore.encryptionAliases.isEmpty)
        let permissions = try FileManager.default.attributesOfItem(atPath: keystoreFile.path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)

        let transport = try RecordingTransport()
        let result = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: NoEIDKeySource(), keystorePassword: FlowFixture.password, settings: FlowFixture.settings(sandbox, transport: transport),
            reviewContract: FlowFixture.accept, progress: { _ in })
        #expect(transport.operations == ["startetkregistration", "completeetkregistration"])
        #expect(result.keystoreFile == keystoreFile)
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
    }
}

/// The real HTTP transport, with the first startETKRegistration answer's Challenge altered: the
/// last byte of the decoded challenge (inside its SHA-256 of the serial number) is flipped, and
/// the element re-encoded, so the envelope stays well-formed and schema-valid.
final class ChallengeTamperingTransport: SOAPTransport, @unchecked Sendable {
    private let inner: any SOAPTransport
    private let lock = NSLock()
    private var recorded: [String] = []
    private var done = false

    init() throws {
        inner = try URLSessionTransport()
    }

    var operations: [String] { lock.withLock { recorded } }
    var tampered: Bool { lock.withLock { done } }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        let operation = String(request.soapAction.split(separator: ":").last ?? "").lowercased()
        lock.withLock { recorded.append(operation) }
        var response = try await inner.send(request)
        guard operation == "startetkregistration", lock.withLock({ !done }) else { return response }
        guard let altered = Self.alteringChallenge(response.body) else { return response }
        response.body = altered
        lock.withLock { done = true }
        return response
    }

    static func alteringChallenge(_ body: Data) -> Data? {
        let text = String(decoding: body, as: UTF8.self)
        let pattern = try! NSRegularExpression(pattern: "<((?:[A-Za-z_][\\w.-]*:)?Challenge)(?:\\s[^>]*)?>([^<]+)</\\1>")
        guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 2), in: text),
              var bytes = Data(base64Encoded: String(text[range]), options: .ignoreUnknownCharacters), !bytes.isEmpty else {
            return nil
        }
        bytes[bytes.count - 1] ^= 0x01
        var altered = text
        altered.replaceSubrange(range, with: bytes.base64EncodedString())
        return Data(altered.utf8)
    }
}
