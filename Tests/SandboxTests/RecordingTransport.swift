import Foundation
import SOAPRuntime
import Synchronization

/// A transport that keeps every exchange it carries, so that a test can look at the exact bytes
/// the sandbox answered with (and check them against the official XSDs).
final class RecordingTransport: SOAPTransport {
    struct Exchange: Sendable {
        let request: SOAPHTTPRequest
        let response: SOAPHTTPResponse
    }

    private let base: any SOAPTransport
    private let recorded = Mutex<[Exchange]>([])

    init(base: any SOAPTransport) {
        self.base = base
    }

    var exchanges: [Exchange] { recorded.withLock { $0 } }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        let response = try await base.send(request)
        recorded.withLock { $0.append(Exchange(request: request, response: response)) }
        return response
    }
}
