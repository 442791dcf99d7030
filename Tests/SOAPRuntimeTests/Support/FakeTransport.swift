import Foundation
@testable import SOAPRuntime

/// An in-process transport for unit tests of `SOAPClient`: it hands each request to a
/// closure and keeps what it was sent.
final class FakeTransport: SOAPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [SOAPHTTPRequest] = []
    private let answer: @Sendable (SOAPHTTPRequest) throws -> SOAPHTTPResponse

    init(_ answer: @escaping @Sendable (SOAPHTTPRequest) throws -> SOAPHTTPResponse) {
        self.answer = answer
    }

    /// Always answers `status` with `body`.
    convenience init(status: Int = 200, contentType: String? = "text/xml; charset=utf-8", body: String) {
        self.init { _ in SOAPHTTPResponse(statusCode: status, contentType: contentType, body: Data(body.utf8)) }
    }

    var requests: [SOAPHTTPRequest] {
        lock.withLock { sent }
    }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        lock.withLock { sent.append(request) }
        return try answer(request)
    }
}
