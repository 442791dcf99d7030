import Foundation

/// A failure the sandbox stages for one call, so that clients can be tested against what really
/// happens between them and the platform (issue 4, "fault injection"): a network failure, or an
/// answer the platform may give that the sandbox's rules would not produce here (any eHealth
/// status code of cookbook chapter 7.1, any SOA fault code of 7.2; issue 15).
///
/// Each fault strikes either before the engine sees the request — the request is refused and
/// nothing changes at the "platform" — or after the engine handled it, when its effects are
/// kept and only the answer is delayed, replaced or lost: the case a client must recognise on
/// `resume` (the platform did it, the client never heard).
public struct SandboxFault: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The answer comes this much later (ordinary slowness; the call still succeeds).
        case latency(Duration)
        /// HTTP 503 with a load balancer's HTML page instead of a SOAP message.
        case serviceUnavailable
        /// The TCP connection is closed without any HTTP response.
        case droppedConnection
        /// HTTP 200, `text/xml`, with a body that is not a complete XML document: the real
        /// answer cut off half-way when the request was handled, otherwise not XML at all.
        case malformedResponse
        /// The operation's own response, with Status Requester and an `EteeStatusDetail` error of
        /// this code (cookbook 7.1), for a request that was read and whose signature was checked.
        /// getExistingApplicationIds has no Status in its response: there it becomes a SOAP fault.
        case status(code: String)
        /// A SOAP 1.1 fault (faultcode Client) with the SOA `BusinessError` of this code
        /// (cookbook 7.2, e.g. SOA-03001), over HTTP 500.
        case soapFault(code: String)

        /// Whether the engine itself gives this fault (as an answer) rather than the HTTP layer:
        /// such faults also strike in-process (``InProcessSandbox``).
        public var isAnswer: Bool {
            switch self {
            case .status, .soapFault: true
            case .latency, .serviceUnavailable, .droppedConnection, .malformedResponse: false
            }
        }
    }

    /// When the fault strikes, relative to the engine handling the request.
    public enum Moment: String, Sendable, Hashable {
        /// The request never reaches the engine: no effect.
        case beforeHandling
        /// The engine handles the request and keeps its effects; then the answer is spoiled.
        case afterHandling
    }

    public var kind: Kind
    public var moment: Moment

    public init(_ kind: Kind, _ moment: Moment = .beforeHandling) {
        self.kind = kind
        self.moment = moment
    }

    public static func latency(_ duration: Duration, _ moment: Moment = .beforeHandling) -> SandboxFault { .init(.latency(duration), moment) }
    public static func serviceUnavailable(_ moment: Moment = .beforeHandling) -> SandboxFault { .init(.serviceUnavailable, moment) }
    public static func droppedConnection(_ moment: Moment = .beforeHandling) -> SandboxFault { .init(.droppedConnection, moment) }
    public static func malformedResponse(_ moment: Moment = .beforeHandling) -> SandboxFault { .init(.malformedResponse, moment) }
    /// The eHealth status `code` instead of the answer; `.afterHandling` keeps the request's effects.
    public static func status(_ code: String, _ moment: Moment = .beforeHandling) -> SandboxFault { .init(.status(code: code), moment) }
    /// A SOAP fault with the SOA error `code` instead of the answer.
    public static func soapFault(_ code: String, _ moment: Moment = .beforeHandling) -> SandboxFault { .init(.soapFault(code: code), moment) }

    // MARK: text form, for `ehcert-sandbox serve --fault`

    /// `drop`, `503`, `malformed` or `latency-SECONDS`, with `-after` for a fault that strikes
    /// after the request was handled (e.g. `drop-after`, `latency-2.5`); `status:CODE` and
    /// `soap-fault:CODE`, with `status-after:CODE` and `soap-fault-after:CODE`.
    public var description: String {
        let name: String
        switch kind {
        case .status(let code): return Self.statusPrefix + (moment == .afterHandling ? Self.afterSuffix : "") + ":" + code
        case .soapFault(let code): return Self.soapFaultPrefix + (moment == .afterHandling ? Self.afterSuffix : "") + ":" + code
        case .latency(let duration): name = "latency-\(Self.secondsText(duration))"
        case .serviceUnavailable: name = "503"
        case .droppedConnection: name = "drop"
        case .malformedResponse: name = "malformed"
        }
        return moment == .afterHandling ? name + Self.afterSuffix : name
    }

    static let afterSuffix = "-after"
    static let statusPrefix = "status"
    static let soapFaultPrefix = "soap-fault"

    /// Whether `word` (the text before the first `:`) names a fault that takes a code.
    static func takesCode(_ word: some StringProtocol) -> Bool {
        let word = word.lowercased()
        return [statusPrefix, soapFaultPrefix].contains { word == $0 || word == $0 + afterSuffix }
    }

    public init(parsing text: String) throws(SandboxFaultSyntaxError) {
        if let colon = text.firstIndex(of: ":"), Self.takesCode(text[..<colon]) {
            var word = text[..<colon].lowercased()
            let code = String(text[text.index(after: colon)...])
            let moment: Moment = word.hasSuffix(Self.afterSuffix) ? .afterHandling : .beforeHandling
            if moment == .afterHandling { word.removeLast(Self.afterSuffix.count) }
            // Codes are the platform's: upper-case letters, digits, _ and - (CSR_NOT_VALID, SOA-03001).
            guard !code.isEmpty, code.count <= 128, code.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) else {
                throw SandboxFaultSyntaxError("\"\(code)\" in \"\(text)\" is not an error code: give it as the platform writes it, e.g. CSR_NOT_VALID or SOA-03001")
            }
            self.init(word == Self.statusPrefix ? .status(code: code) : .soapFault(code: code), moment)
            return
        }
        var name = text.lowercased()
        var moment = Moment.beforeHandling
        if name.hasSuffix(Self.afterSuffix) {
            name.removeLast(Self.afterSuffix.count)
            moment = .afterHandling
        }
        switch name {
        case "503": self.init(.serviceUnavailable, moment)
        case "drop": self.init(.droppedConnection, moment)
        case "malformed": self.init(.malformedResponse, moment)
        default:
            guard name.hasPrefix("latency-"), let seconds = Double(name.dropFirst("latency-".count)),
                  seconds.isFinite, seconds >= 0, seconds <= 3600 else {
                throw SandboxFaultSyntaxError("\"\(text)\" is not a fault: use 503, drop, malformed or latency-SECONDS (0 to 3600), optionally followed by -after, or status:CODE or soap-fault:CODE (status-after:CODE, soap-fault-after:CODE)")
            }
            self.init(.latency(.milliseconds(Int64((seconds * 1000).rounded()))), moment)
        }
    }

    private static func secondsText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : String(Double(milliseconds) / 1000)
    }
}

/// A `--fault` option, or a rule given as text, that cannot be understood; says what would be.
public struct SandboxFaultSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
