@testable import CertManagerKit
import Foundation
import Generated
import SOAPRuntime
import Testing

@Suite("Backoff, retries of safe operations, and polling")
struct TimingTests {
    @Test("the nominal delays grow by the multiplier and stop at the maximum")
    func nominalDelays() {
        let backoff = Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(5))
        #expect((1...5).map { backoff.nominalDelay(afterAttempt: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
        #expect(backoff.nominalDelay(afterAttempt: 10_000) == .seconds(5))
    }

    @Test("jitter keeps every delay within its band")
    func jitter() {
        let backoff = Backoff(initial: .seconds(10), multiplier: 1, maximum: .seconds(10), jitter: 0.2)
        for _ in 0..<200 {
            let seconds = backoff.delay(afterAttempt: 1).seconds
            #expect((8.0...12.0).contains(seconds))
        }
    }

    @Test("only transient failures of operations safe to repeat are retried, up to the limit")
    func retryDecision() {
        let policy = RetryPolicy(maximumAttempts: 3)
        let transient = CertManagerError(SOAPError(.transport, "down"))
        let refused = CertManagerError(EHealthStatusError(statusCode: "x", errors: [EteeError(code: "CSR_NOT_VALID", message: "")]))
        #expect(policy.shouldRetry(transient, afterAttempt: 1, operation: .getCertificate))
        #expect(policy.shouldRetry(transient, afterAttempt: 2, operation: .generateContract))
        #expect(!policy.shouldRetry(transient, afterAttempt: 3, operation: .getCertificate))
        #expect(!policy.shouldRetry(refused, afterAttempt: 1, operation: .getCertificate))
        for operation in [PlatformOperation.generateCertificate, .startETKRegistration, .completeETKRegistration, .revoke, .activateETK] {
            #expect(!policy.shouldRetry(transient, afterAttempt: 1, operation: operation))
        }
    }

    @Test("a safe call is sent again after transient failures, with the backoff's pauses")
    func clientRetriesSafeCalls() async throws {
        let transport = FailingTransport()
        let sleeper = RecordingSleeper()
        let events = EventLog()
        let client = try PlatformClient(
            endpoints: ServiceEndpoints(.acceptance),
            connection: ConnectionOptions(transport: transport),
            retry: RetryPolicy(maximumAttempts: 3, backoff: Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(10))),
            sleeper: sleeper, progress: { events.append($0) })
        await #expect(throws: CertManagerError.self) {
            _ = try await client.call(.getGenericOrganizationTypes) {
                try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            }
        }
        #expect(transport.count == 3)
        #expect(sleeper.pauses == [.seconds(1), .seconds(2)])
        #expect(events.events.filter { if case .retrying = $0 { true } else { false } }.count == 2)
    }

    @Test("a call that changes state is sent once, whatever the failure")
    func clientDoesNotRepeatUnsafeCalls() async throws {
        let transport = FailingTransport()
        let sleeper = RecordingSleeper()
        let client = try PlatformClient(endpoints: ServiceEndpoints(.acceptance), connection: ConnectionOptions(transport: transport),
                                        retry: RetryPolicy(maximumAttempts: 5), sleeper: sleeper, progress: { _ in })
        let error = await #expect(throws: CertManagerError.self) {
            _ = try await client.call(.generateCertificate) {
                try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            }
        }
        #expect(transport.count == 1)
        #expect(sleeper.pauses.isEmpty)
        #expect(error?.operation == "CertRa.generateCertificate")
        #expect(error?.category == .unavailable)
    }
}

/// Fails every exchange as a dropped connection, counting them.
final class FailingTransport: SOAPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sent = 0
    var count: Int { lock.withLock { sent } }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        lock.withLock { sent += 1 }
        throw SOAPError(.transport, "connection reset by peer")
    }
}

/// Records the pauses instead of sleeping.
final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []
    private var clock = Date(timeIntervalSince1970: 1_800_000_000)
    var pauses: [Duration] { lock.withLock { recorded } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recorded.append(duration)
            clock.addTimeInterval(duration.seconds)
        }
    }

    var now: Date { lock.withLock { clock } }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [FlowEvent] = []
    var events: [FlowEvent] { lock.withLock { recorded } }
    func append(_ event: FlowEvent) { lock.withLock { recorded.append(event) } }

    /// The numbers of the steps started, in order.
    var startedSteps: [Int] {
        events.compactMap { if case .stepStarted(let step) = $0 { step.number } else { nil } }
    }
    var alreadyDoneSteps: [Int] {
        events.compactMap { if case .stepAlreadyDone(let step, _) = $0 { step.number } else { nil } }
    }
}
