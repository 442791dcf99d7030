import Foundation
import Generated
import Security
import SOAPRuntime

/// The generated CertRA and EtkRA clients on one transport, with the signer whose namespace
/// prefixes the SOAP client writes (a signature covers the prefixes, so both must agree), and
/// the retry of operations that are safe to repeat.
struct PlatformClient: Sendable {
    static let preferredPrefixes = ["http://www.w3.org/2000/09/xmldsig#": "ds"]

    let certRA: CertRaV2Client
    let etkRA: EtkRaV2Client
    let signer = EnvelopedSigner(preferredPrefixes: PlatformClient.preferredPrefixes)
    let retry: RetryPolicy
    let sleeper: any Sleeper
    let progress: FlowProgress

    init(endpoints: ServiceEndpoints, connection: ConnectionOptions, retry: RetryPolicy, sleeper: any Sleeper,
         progress: @escaping FlowProgress) throws {
        let transport: any SOAPTransport
        let trace: SOAPTrace?
        do {
            for endpoint in [endpoints.certRA, endpoints.etkRA] { try EndpointPolicy.check(endpoint) }
            transport = try connection.makeTransport()
        } catch {
            throw CertManagerError(error)
        }
        // The trace is a record, never a reason to stop: a folder that cannot be made or written
        // is reported and the exchanges go on (an ETK cannot be asked for twice).
        let warn: @Sendable (String) -> Void = { progress(.notice("warning: \($0)")) }
        do {
            trace = try connection.traceDirectory.map { folder in
                try SOAPTrace(directory: folder, writer: { data, url in
                    try AtomicFile.write(data, to: url, overwrite: false, permissions: 0o600)
                }, onFailure: warn)
            }
        } catch {
            trace = nil
            warn("no trace is recorded: \(connection.traceDirectory?.path ?? "") cannot be used (\(error))")
        }
        func client(_ endpoint: URL) -> SOAPClient {
            SOAPClient(endpoint: endpoint, transport: transport, tracingHeaders: connection.tracingHeaders, trace: trace,
                       preferredPrefixes: Self.preferredPrefixes)
        }
        certRA = CertRaV2Client(soap: client(endpoints.certRA))
        etkRA = EtkRaV2Client(soap: client(endpoints.etkRA))
        self.retry = retry
        self.sleeper = sleeper
        self.progress = progress
    }

    /// Runs one call, retrying transient failures of operations safe to repeat; every failure
    /// comes out as a `CertManagerError` naming the operation.
    func call<Output: Sendable>(_ operation: PlatformOperation, _ body: () async throws -> Output) async throws -> Output {
        var attempt = 1
        while true {
            do {
                try Task.checkCancellation()
                return try await body()
            } catch {
                let mapped = CertManagerError(error, operation: operation.qualifiedName)
                guard retry.shouldRetry(mapped, afterAttempt: attempt, operation: operation) else { throw mapped }
                let delay = retry.backoff.delay(afterAttempt: attempt)
                progress(.retrying(operation, attempt: attempt + 1, delay: delay, reason: mapped.reason))
                do {
                    try await sleeper.sleep(for: delay)
                } catch {
                    throw CertManagerError(error, operation: operation.qualifiedName)
                }
                attempt += 1
            }
        }
    }

    /// Signs a request with `key` (cookbook 4.3.2).
    func sign<Request: SignableRequest>(_ request: Request, with key: any SigningKey) async throws -> Request {
        do {
            return try await signer.sign(request, with: key)
        } catch {
            throw CertManagerError(error)
        }
    }
}
