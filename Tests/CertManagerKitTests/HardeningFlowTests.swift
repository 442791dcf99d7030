import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import Testing
import X509

/// What the hardening promises of a flow: a wrong certificate never lands in a keystore, no
/// private key outlives its purpose, no answer is lost to a trace that cannot be written.
@Suite("Flow hardening against the sandbox", .serialized)
struct HardeningFlowTests {
    static func organization(_ applicationID: String) -> CreateETKRequest.Owner {
        .organization(.init(type: "CBE", identifier: "0412345614", applicationID: applicationID))
    }

    static func run(_ flow: CreateETKFlow, sandbox: EmbeddedSandbox, settings: FlowSettings,
                    review: @escaping ContractReviewer = FlowFixture.accept, events: EventLog = EventLog()) async throws -> CreateETKResult {
        try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                           settings: settings, reviewContract: review, progress: { events.append($0) })
    }

    static func secretsFile(_ flow: CreateETKFlow, in folders: TestFolders) -> URL {
        folders.work.folder(for: flow.id).appendingPathComponent("secrets.p12")
    }

    @Test("a delivered certificate from an untrusted issuer is refused, nothing is stored, and resume with the right roots finishes")
    func untrustedIssuer() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.organization("TRUST-ISSUER"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        // The sandbox's eID root is a real root, just not the eHealth one.
        let wrongRoots = [sandbox.world.trustDirectory.appendingPathComponent("eid-root.pem")]
        let error = await #expect(throws: CertManagerError.self) {
            try await Self.run(flow, sandbox: sandbox, settings: FlowFixture.settings(sandbox, transport: try RecordingTransport(), eHealthRoots: wrongRoots))
        }
        #expect(error?.code == .untrustedCertificate)
        #expect(error?.category == .protocolViolation)
        #expect(error?.reason.contains("not trusted") == true, "\(String(describing: error))")
        let keystore = await flow.keystoreFile
        #expect(!FileManager.default.fileExists(atPath: keystore.path))
        #expect(await flow.nextStep?.number == 9)
        // The pending key is still there: nothing is lost.
        #expect(FileManager.default.fileExists(atPath: Self.secretsFile(flow, in: folders).path))

        let result = try await Self.run(try CreateETKFlow.open(flow.id, in: folders.work), sandbox: sandbox,
                                        settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
    }

    @Test("a delivered certificate that has already expired is refused and nothing is stored")
    func wrongDates() async throws {
        // A sandbox whose clock runs ten days behind, issuing certificates for one day: expired on arrival.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmk-dates-\(UUID().uuidString.prefix(8))")
        let sandbox = try await EmbeddedSandbox.start(stateDirectory: folder.appendingPathComponent("sandbox"),
                                                      configuration: SandboxConfiguration(deliveryDelay: 0.2, clockOffset: -86_400 * 10,
                                                                                          certificateLifetime: 86_400),
                                                      logLevel: .critical)
        defer { Task { await sandbox.stop() } }
        let folders = TestFolders()
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.organization("TRUST-DATES"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let error = await #expect(throws: CertManagerError.self) {
            try await Self.run(flow, sandbox: sandbox, settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
        }
        #expect(error?.code == .untrustedCertificate)
        #expect(error?.reason.contains("expired") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: await flow.keystoreFile.path))
    }

    @Test("a delivered certificate that starts days ahead of every clock is refused as not yet valid, and nothing is stored")
    func startsFarAhead() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmk-ahead-\(UUID().uuidString.prefix(8))")
        var configuration = SandboxConfiguration(deliveryDelay: 0.2)
        configuration.variations.certificateValidityDelay = 3 * 86_400
        let sandbox = try await EmbeddedSandbox.start(stateDirectory: folder.appendingPathComponent("sandbox"),
                                                      configuration: configuration, logLevel: .critical)
        defer { Task { await sandbox.stop() } }
        let folders = TestFolders()
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.organization("TRUST-AHEAD"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let error = await #expect(throws: CertManagerError.self) {
            try await Self.run(flow, sandbox: sandbox, settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
        }
        #expect(error?.code == .untrustedCertificate)
        #expect(error?.reason.contains("not yet valid") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: await flow.keystoreFile.path))
        #expect(FileManager.default.fileExists(atPath: Self.secretsFile(flow, in: folders).path))
    }

    @Test("no secrets.p12 is left after a finished flow; without eHealth anchors, one warning names the option")
    func noSecretsLeftBehind() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.organization("NO-LEFTOVER"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        // No eHealth trust anchors configured: the flow goes on with one warning naming the option.
        let events = EventLog()
        let result = try await Self.run(flow, sandbox: sandbox, settings: FlowFixture.settings(sandbox, transport: try RecordingTransport(), eHealthRoots: []),
                                        events: events)
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
        let warnings = events.events.compactMap { if case .notice(let text) = $0, text.contains("no eHealth trust anchors") { text } else { nil } }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("--ehealth-root") == true)
        #expect(!FileManager.default.fileExists(atPath: Self.secretsFile(flow, in: folders).path))
        #expect(folders.work.flowsHoldingSecrets().isEmpty)
        // The journal stays: the flow is still listed, finished.
        #expect(folders.work.flows().map(\.id) == [flow.id])
    }

    @Test("a trace folder that stops being writable mid-flow costs a warning, not the ETK")
    func unwritableTrace() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let trace = folders.root.appendingPathComponent("trace")
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.organization("TRACE-LOST"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let events = EventLog()
        let result = try await Self.run(flow, sandbox: sandbox,
                                        settings: FlowFixture.settings(sandbox, transport: try RecordingTransport(), traceDirectory: trace),
                                        review: { _ in
            // The trace folder disappears and a file takes its name (a full or lost disk, as root
            // could not be kept from writing): every later message fails to be recorded.
            try FileManager.default.removeItem(at: trace)
            try Data("not a folder".utf8).write(to: trace)
            return .accept
        }, events: events)
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
        #expect(result.etk != nil)
        let warnings = events.events.compactMap { if case .notice(let text) = $0, text.hasPrefix("warning: the trace") { text } else { nil } }
        #expect(warnings.count == 1, "\(events.events)")
    }

    @Test("the eID is closed (logged out) once its steps are done, before getCertificate polls")
    func eIDClosedBeforePolling() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let transport = try RecordingTransport()
        let eID = ClosingEIDSource(FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), transport: transport)
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.organization("EID-CLOSED"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        _ = try await flow.run(eID: eID, keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        let closes = await eID.closes
        #expect(closes.count == 1)
        #expect(closes.first?.generateCertificate == 1)
        #expect(closes.first?.getCertificate == 0)
    }
}

/// The sandbox citizen's software eID, noting when the flow says it is done with it.
actor ClosingEIDSource: EIDKeySource {
    struct Close { let generateCertificate: Int; let getCertificate: Int }
    private let keys: PKCS12EIDKeySource
    private let transport: RecordingTransport
    private(set) var closes: [Close] = []

    init(_ keys: PKCS12EIDKeySource, transport: RecordingTransport) {
        self.keys = keys
        self.transport = transport
    }

    func authenticationKey() async throws -> any SigningKey { try await keys.authenticationKey() }
    func signatureKey() async throws -> any SigningKey { try await keys.signatureKey() }
    func close() async {
        closes.append(Close(generateCertificate: transport.count("generatecertificate"), getCertificate: transport.count("getcertificate")))
    }
}
