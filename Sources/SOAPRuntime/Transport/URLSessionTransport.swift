import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP transport: a SOAP 1.1 POST with `Content-Type: text/xml; charset=UTF-8` and a
/// quoted `SOAPAction`, TLS verification always on, a time limit and a response size limit.
///
/// Extra trust roots (the CA of a local sandbox, or of a TLS-inspecting company proxy) are
/// trusted in addition to the system's. FoundationNetworking offers no way to do that on
/// Linux (see `Libcurl`), so with extra trust roots the exchange is made by libcurl directly,
/// the same library URLSession uses underneath, with the same headers, limits and errors.
/// Nothing process-wide changes: no environment variable, no global trust store. On other
/// platforms extra trust roots are refused; add the CA to the system's trust settings.
public struct URLSessionTransport: SOAPTransport {
    public struct Configuration: Sendable, Equatable {
        /// The longest a whole exchange may take, in seconds.
        public var requestTimeout: TimeInterval
        /// Larger responses are refused with `SOAPError.responseTooLarge`.
        public var maximumResponseBytes: Int
        /// PEM files of certificate authorities to trust besides the system's.
        public var extraTrustRoots: [URL]

        public init(requestTimeout: TimeInterval = 60,
                    maximumResponseBytes: Int = XMLParseLimits.default.maximumBytes,
                    extraTrustRoots: [URL] = []) {
            self.requestTimeout = requestTimeout
            self.maximumResponseBytes = maximumResponseBytes
            self.extraTrustRoots = extraTrustRoots
        }
    }

    enum Engine: Sendable {
        case urlSession(URLSessionEngine)
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        /// The system bundle followed by the extra roots, or nil for the system's alone.
        case libcurl(Libcurl, certificateAuthorities: Data?)
        #endif
    }

    public let configuration: Configuration
    let engine: Engine

    /// Reads the trust roots now, so that a wrong path fails here and not at the first call.
    public init(configuration: Configuration = Configuration()) throws {
        try self.init(configuration: configuration, usingLibcurl: !configuration.extraTrustRoots.isEmpty)
    }

    /// `usingLibcurl` lets tests run the libcurl engine without trust roots, e.g. over HTTP.
    init(configuration: Configuration, usingLibcurl: Bool) throws {
        self.configuration = configuration
        guard usingLibcurl else {
            engine = .urlSession(URLSessionEngine(configuration))
            return
        }
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        let curl = try Libcurl.shared.get()
        let certificateAuthorities = configuration.extraTrustRoots.isEmpty ? nil
            : try TrustRoots(files: configuration.extraTrustRoots).addedTo(systemBundle: curl.defaultCertificateAuthorityFile)
        engine = .libcurl(curl, certificateAuthorities: certificateAuthorities)
        #else
        throw SOAPError(.invalidTrustRoot, "extra trust roots are supported on Linux only; on this system add the CA to the system's trust settings")
        #endif
    }

    public func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        try EndpointPolicy.check(request.url)
        let headers = try request.httpHeaders()
        switch engine {
        case .urlSession(let session):
            return try await session.post(to: request.url, headers: headers, body: request.body,
                                          timeout: configuration.requestTimeout)
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        case .libcurl(let curl, let certificateAuthorities):
            let cancellation = CancellationFlag()
            let configuration = configuration
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    // curl_easy_perform blocks; it gets its own thread rather than one of the
                    // cooperative pool's.
                    Thread {
                        continuation.resume(with: Result {
                            try curl.post(to: request.url, headers: headers, body: request.body,
                                          timeout: configuration.requestTimeout,
                                          maximumResponseBytes: configuration.maximumResponseBytes,
                                          certificateAuthorities: certificateAuthorities, cancellation: cancellation)
                        })
                    }.start()
                }
            } onCancel: {
                cancellation.cancel()
            }
        #endif
        }
    }
}

/// One URLSession per transport, with a delegate that enforces the size limit while the body
/// arrives and refuses redirects (a redirected POST would silently become a GET).
final class URLSessionEngine: Sendable {
    private let session: URLSession
    private let delegate: SessionDelegate

    init(_ configuration: URLSessionTransport.Configuration) {
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
        sessionConfiguration.timeoutIntervalForResource = configuration.requestTimeout
        sessionConfiguration.urlCache = nil
        sessionConfiguration.httpShouldSetCookies = false
        delegate = SessionDelegate(maximumResponseBytes: configuration.maximumResponseBytes)
        session = URLSession(configuration: sessionConfiguration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        // The session keeps its delegate until it is invalidated.
        session.finishTasksAndInvalidate()
    }

    func post(to url: URL, headers: [(String, String)], body: Data, timeout: TimeInterval) async throws -> SOAPHTTPResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = body
        let task = session.dataTask(with: request)
        let delegate = delegate
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.start(task, continuation: continuation)
            }
        } onCancel: {
            task.cancel()
        }
    }
}

private final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // `exchanges` is guarded by `lock`; URLSession calls back on its own serial queue.
    private let lock = NSLock()
    private var exchanges: [Int: Exchange] = [:]
    private let maximumResponseBytes: Int

    private final class Exchange {
        let continuation: CheckedContinuation<SOAPHTTPResponse, any Error>
        var response: HTTPURLResponse?
        var body = Data()
        var failure: (any Error)?

        init(_ continuation: CheckedContinuation<SOAPHTTPResponse, any Error>) {
            self.continuation = continuation
        }
    }

    init(maximumResponseBytes: Int) {
        self.maximumResponseBytes = maximumResponseBytes
    }

    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<SOAPHTTPResponse, any Error>) {
        // A task cancelled before it started would otherwise never complete.
        guard !Task.isCancelled else {
            continuation.resume(throwing: CancellationError())
            return
        }
        lock.withLock { exchanges[task.taskIdentifier] = Exchange(continuation) }
        task.resume()
    }

    private func exchange(_ task: URLSessionTask) -> Exchange? {
        lock.withLock { exchanges[task.taskIdentifier] }
    }

    private func tooLarge(_ task: URLSessionTask) -> SOAPError {
        SOAPError(.responseTooLarge, "the response from \(task.originalRequest?.url?.host ?? "the server") exceeds the limit of \(maximumResponseBytes) bytes")
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        guard let exchange = exchange(dataTask) else { return completionHandler(.cancel) }
        if response.expectedContentLength > Int64(maximumResponseBytes) {
            exchange.failure = tooLarge(dataTask)
            return completionHandler(.cancel)
        }
        exchange.response = response as? HTTPURLResponse
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let exchange = exchange(dataTask), exchange.failure == nil else { return }
        guard exchange.body.count + data.count <= maximumResponseBytes else {
            exchange.failure = tooLarge(dataTask)
            dataTask.cancel()
            return
        }
        exchange.body.append(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let exchange = lock.withLock({ exchanges.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let failure = exchange.failure {
            exchange.continuation.resume(throwing: failure)
        } else if let error {
            exchange.continuation.resume(throwing: Self.soapError(error, url: task.originalRequest?.url))
        } else if let response = exchange.response {
            exchange.continuation.resume(returning: SOAPHTTPResponse(
                statusCode: response.statusCode, contentType: response.value(forHTTPHeaderField: "Content-Type"),
                body: exchange.body))
        } else {
            exchange.continuation.resume(throwing: SOAPError(.transport, "no HTTP response from \(task.originalRequest?.url?.absoluteString ?? "the server")"))
        }
    }

    private static func soapError(_ error: any Error, url: URL?) -> any Error {
        let error = error as NSError
        let host = url?.host ?? "the server"
        guard error.domain == NSURLErrorDomain else {
            return SOAPError(.transport, "\(host): \(error.localizedDescription)")
        }
        switch error.code {
        case NSURLErrorCancelled:
            return CancellationError()
        case NSURLErrorTimedOut:
            return SOAPError(.timeout, "no complete answer from \(host) in time: \(error.localizedDescription)")
        case NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
             NSURLErrorServerCertificateHasUnknownRoot, NSURLErrorServerCertificateNotYetValid:
            return SOAPError(.untrustedServer, "the server \(host) is not trusted: \(error.localizedDescription)")
        // FoundationNetworking reports libcurl's CURLE_PEER_FAILED_VERIFICATION as an unknown error.
        case NSURLErrorUnknown where error.localizedDescription.hasPrefix("SSL certificate problem"):
            return SOAPError(.untrustedServer, "the server \(host) is not trusted: \(error.localizedDescription)")
        default:
            return SOAPError(.transport, "\(host): \(error.localizedDescription) (URL error \(error.code))")
        }
    }
}
