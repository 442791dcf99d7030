import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import SOAPRuntime

/// One embedded sandbox for the whole test process (making its world generates a dozen RSA
/// keys). Tests that share it use different citizens, or organizations with different
/// application ids, so that their certificates never conflict.
actor SandboxFixture {
    static let shared = SandboxFixture(deliveryDelay: 0.3)
    /// For tests that need the first getCertificate to find nothing yet, however busy the machine.
    static let slowDelivery = SandboxFixture(deliveryDelay: 10)

    private let deliveryDelay: TimeInterval
    /// One start for every caller (the actor is reentrant across the await).
    private var starting: Task<EmbeddedSandbox, any Error>?

    init(deliveryDelay: TimeInterval) {
        self.deliveryDelay = deliveryDelay
    }

    func sandbox() async throws -> EmbeddedSandbox {
        if let starting { return try await starting.value }
        let deliveryDelay = self.deliveryDelay
        let task = Task {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("certmanagerkit-tests-\(UUID().uuidString.prefix(8))")
            // Delivery after a short delay: getCertificate first answers CERT_NOT_YET_DELIVERED.
            return try await EmbeddedSandbox.start(stateDirectory: folder.appendingPathComponent("sandbox"),
                                                   configuration: SandboxConfiguration(deliveryDelay: deliveryDelay), logLevel: .critical)
        }
        starting = task
        return try await task.value
    }

    static func citizen(_ lastName: String, in sandbox: EmbeddedSandbox) -> SandboxCitizen {
        sandbox.world.citizens.first { $0.lastName == lastName }!
    }
}

/// A fresh work directory and keystore folder for one test.
struct TestFolders {
    let root: URL
    var work: WorkDirectory { WorkDirectory(root.appendingPathComponent("work")) }
    var keystores: URL { root.appendingPathComponent("keystores") }

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cmk-\(UUID().uuidString.prefix(12))")
    }
}

enum FlowFixture {
    static let password = "test-password"

    static func eID(_ citizen: SandboxCitizen) -> PKCS12EIDKeySource {
        PKCS12EIDKeySource(file: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)
    }

    static func endpoints(_ sandbox: EmbeddedSandbox) -> ServiceEndpoints {
        ServiceEndpoints(certRA: sandbox.certRAEndpoint, etkRA: sandbox.etkRAEndpoint)
    }

    /// Quick polling, retries off (so that injected failures surface), a given transport.
    /// Delivered certificates are checked against the sandbox's own eHealth root, as it publishes
    /// it in its trust folder, unless `eHealthRoots` says otherwise.
    static func settings(_ sandbox: EmbeddedSandbox, transport: any SOAPTransport, sleeper: any Sleeper = TaskSleeper(),
                         polling: PollingPolicy? = nil, eHealthRoots: [URL]? = nil, traceDirectory: URL? = nil) -> FlowSettings {
        // Generous: the whole suite shares two cores, and an in-process sandbox's answer can wait
        // its turn for a long time.
        var connection = ConnectionOptions(requestTimeout: .seconds(180), traceDirectory: traceDirectory, transport: transport)
        connection.eHealthRoots = eHealthRoots ?? [sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem")]
        return FlowSettings(endpoints: endpoints(sandbox), connection: connection, retry: .never,
                     polling: polling ?? PollingPolicy(backoff: Backoff(initial: .milliseconds(100), multiplier: 1.5, maximum: .milliseconds(400)),
                                                       maximumWait: .seconds(30)),
                     sleeper: sleeper)
    }

    static let accept: ContractReviewer = { _ in .accept }

    static func request(_ owner: CreateETKRequest.Owner, folders: TestFolders) -> CreateETKRequest {
        CreateETKRequest(owner: owner, contact: .init(email: "test@example.be", phone: "+3220000000"), keystoreDirectory: folders.keystores)
    }
}

/// Forwards exchanges to the real HTTP transport, records their operations, and can make one
/// exchange fail: before it is sent (the network is down), or after the server handled it (the
/// process died, or the connection broke, before the answer was recorded).
final class RecordingTransport: SOAPTransport, @unchecked Sendable {
    enum Failure: Sendable, CustomStringConvertible {
        case beforeSending(operation: String)
        case afterSending(operation: String)

        var operation: String {
            switch self {
            case .beforeSending(let operation), .afterSending(let operation): operation
            }
        }

        var description: String {
            switch self {
            case .beforeSending(let operation): "before sending \(operation)"
            case .afterSending(let operation): "after \(operation) was handled"
            }
        }
    }

    private let inner: any SOAPTransport
    private let lock = NSLock()
    private var failure: Failure?
    private var recorded: [String] = []

    init(failing failure: Failure? = nil) throws {
        inner = try URLSessionTransport()
        self.failure = failure
    }

    /// The operations sent, by the last component of their SOAP action (lower-cased).
    var operations: [String] { lock.withLock { recorded } }

    func count(_ operation: String) -> Int {
        operations.filter { $0 == operation.lowercased() }.count
    }

    /// Whether the injected failure happened.
    var failureInjected: Bool { lock.withLock { failure == nil } }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        let operation = String(request.soapAction.split(separator: ":").last ?? "").lowercased()
        let pending: Failure? = lock.withLock {
            guard let failure, failure.operation.lowercased() == operation else { return nil }
            self.failure = nil
            return failure
        }
        if case .beforeSending = pending {
            throw SOAPError(.transport, "injected: the network is down")
        }
        lock.withLock { recorded.append(operation) }
        let response = try await inner.send(request)
        if case .afterSending = pending {
            throw SOAPError(.transport, "injected: the connection broke after the request was handled")
        }
        return response
    }
}
