import Foundation
import Generated
import SOAPRuntime

/// The HTTP transport of the flows: one pooled URLSession for the operations that are safe to
/// repeat, and a new connection for each call of one that is not.
///
/// Why: URLSession on Linux is libcurl, and libcurl sends a request again, without telling the
/// caller, when the reused keep-alive connection it went out on closes before any answer
/// arrives (`Curl_retry_request`). For a read-only call that is harmless; for generateCertificate
/// or completeETKRegistration it repeats a state change behind the flow's back, which is exactly
/// what ``RetryPolicy`` promises never to do. A request on a new connection is never resent:
/// the flow sees the failure and its journal decides on `resume`.
struct PlatformTransport: SOAPTransport {
    let configuration: URLSessionTransport.Configuration
    private let pooled: URLSessionTransport

    init(configuration: URLSessionTransport.Configuration) throws {
        self.configuration = configuration
        pooled = try URLSessionTransport(configuration: configuration)
    }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        // SOAPClient names the operation; a request without one (or with one we do not know) is
        // treated as one that changes state.
        if let operation = request.operation.flatMap(ServiceOperation.init(name:)), operation.isSafeToRepeat {
            return try await pooled.send(request)
        }
        return try await URLSessionTransport(configuration: configuration).send(request)
    }
}
