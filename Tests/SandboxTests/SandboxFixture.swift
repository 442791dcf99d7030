import Foundation
import Generated
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import Synchronization
import Testing

/// A sandbox served on loopback for one test, with clients and the citizens' eID keys.
///
/// Every exchange made through `certRA`, `etkRA` or `post` is recorded; `with` checks each
/// response against the official XSDs once the test body is done.
struct SandboxFixture: Sendable {
    let sandbox: EmbeddedSandbox
    let certRA: CertRaV2Client
    let etkRA: EtkRaV2Client
    let directory: URL
    let session: SandboxSession

    var engine: SandboxEngine { sandbox.engine }
    var recorder: RecordingTransport { session.recorder }

    static func start(deliveryDelay: TimeInterval = 1) async throws -> SandboxFixture {
        try await start(SandboxConfiguration(deliveryDelay: deliveryDelay))
    }

    /// Serves a fresh copy of the test world, or `directory` when given (a restart).
    static func start(_ configuration: SandboxConfiguration, directory: URL? = nil,
                      session: SandboxSession? = nil) async throws -> SandboxFixture {
        let directory = try directory ?? TestWorlds.freshCopy()
        let session = try session ?? SandboxSession()
        let sandbox = try await EmbeddedSandbox.start(stateDirectory: directory, configuration: configuration)
        session.started(sandbox)
        return SandboxFixture(
            sandbox: sandbox,
            certRA: CertRaV2Client(soap: SOAPClient(endpoint: sandbox.certRAEndpoint, transport: session.recorder)),
            etkRA: EtkRaV2Client(soap: SOAPClient(endpoint: sandbox.etkRAEndpoint, transport: session.recorder)),
            directory: directory,
            session: session)
    }

    /// Runs `body` against a fresh sandbox. Afterwards, whatever happened: every recorded response
    /// is checked against the official XSDs (when they are there), every sandbox the body started
    /// is stopped, and the state directory is removed.
    static func with(_ configuration: SandboxConfiguration = SandboxConfiguration(deliveryDelay: 0),
                     sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: (SandboxFixture) async throws -> Void) async throws {
        try await SandboxSlots.shared.run {
            let fixture = try await start(configuration)
            let outcome: Result<Void, any Error>
            do {
                try await body(fixture)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            await fixture.session.stopAll()
            fixture.expectValidResponses(sourceLocation: sourceLocation)
            try? FileManager.default.removeItem(at: fixture.directory)
            try outcome.get()
        }
    }

    /// Stops serving, keeps the state directory, and serves it again with `configuration`
    /// (e.g. a clock moved forward).
    func restarted(_ configuration: SandboxConfiguration) async throws -> SandboxFixture {
        await sandbox.stop()
        return try await Self.start(configuration, directory: directory, session: session)
    }

    /// Stops serving and keeps the state directory (for a restart, or a tool run on it).
    func stopServing() async {
        await sandbox.stop()
    }

    func eID(_ ssin: String) throws -> (authentication: SoftwareSigningKey, signature: SoftwareSigningKey) {
        let citizen = try require(sandbox.world.citizen(ssin: ssin), "citizen \(ssin)")
        let keystore = try Keystore(contentsOf: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)
        return (try keystore.signingKey(alias: "Authentication"), try keystore.signingKey(alias: "Signature"))
    }

    func stop() async {
        await session.stopAll()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: raw HTTP

    /// Posts `body` to `/CertRa/v2` or `/EtkRa/v2` (or any `path`) with a quoted SOAPAction,
    /// through the recorder.
    func post(_ body: String, to service: SandboxEngine.Service, soapAction: String = "") async throws -> SOAPHTTPResponse {
        try await post(Data(body.utf8), path: "\(service.rawValue)/v2", soapAction: soapAction)
    }

    func post(_ body: Data, path: String, soapAction: String = "") async throws -> SOAPHTTPResponse {
        try await recorder.send(SOAPHTTPRequest(url: sandbox.baseURL.appendingPathComponent(path), soapAction: soapAction, body: body))
    }

    /// Posts a request value exactly as a client would, but with any SOAP action and to any service.
    func post<Request: XMLRootElement>(_ request: Request, as element: XMLName? = nil, to service: SandboxEngine.Service,
                                       soapAction: String) async throws -> SOAPHTTPResponse {
        let envelope = try SOAPEnvelope.request(body: element ?? Request.rootElementName, request)
        return try await post(envelope, to: service, soapAction: soapAction)
    }

    // MARK: schema conformance

    /// Records an issue for every recorded SOAP response that the official XSDs refuse.
    func expectValidResponses(sourceLocation: SourceLocation = #_sourceLocation) {
        guard OfficialSchemas.available else { return }
        for exchange in recorder.exchanges where exchange.response.contentType?.contains("xml") == true {
            do {
                let violations = try OfficialSchemas.violations(ofEnvelope: exchange.response.body)
                #expect(violations.isEmpty, """
                    the response to \(exchange.request.soapAction.isEmpty ? exchange.request.url.path : exchange.request.soapAction) \
                    is not valid against the official XSDs:
                    \(violations.joined(separator: "\n"))
                    \(String(decoding: exchange.response.body, as: UTF8.self))
                    """, sourceLocation: sourceLocation)
            } catch {
                Issue.record(error, "the official XSDs do not compile", sourceLocation: sourceLocation)
                return
            }
        }
    }
}

/// The sandboxes one test started (several when it restarts one) and what they were sent.
final class SandboxSession: Sendable {
    let recorder: RecordingTransport
    private let sandboxes = Mutex<[EmbeddedSandbox]>([])

    init() throws {
        recorder = RecordingTransport(base: try URLSessionTransport())
    }

    func started(_ sandbox: EmbeddedSandbox) {
        sandboxes.withLock { $0.append(sandbox) }
    }

    func stopAll() async {
        for sandbox in sandboxes.withLock({ $0 }) {
            await sandbox.stop()
        }
    }
}

/// The test world is made once per test run (its keys take seconds to generate) and copied for
/// each sandbox, so that every test starts from the same, untouched world.
enum TestWorlds {
    static let templateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-tests-world-\(UUID().uuidString)")

    static let template: Result<URL, any Error> = Result {
        atexit { try? FileManager.default.removeItem(at: TestWorlds.templateDirectory) }
        _ = try SandboxWorld.create(at: templateDirectory)
        return templateDirectory
    }

    static func freshCopy() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-tests-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: template.get(), to: directory)
        return directory
    }
}

struct RequireError: Error, CustomStringConvertible {
    let description: String
}

func require<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw RequireError(description: "\(what) is missing") }
    return value
}
