/// The two HTTP headers every request SHOULD carry (cookbook 4.1.2), so the platform's
/// operators can tell which software sent a request and whom to call when it misbehaves.
/// ``SOAPClient`` sends ``standard`` unless given others.
public struct TracingHeaders: Sendable, Equatable {
    /// `{software}/{version} {connector}/{connector-version}`.
    public let userAgent: String
    /// An email address for emergency contact; nil sends no From (the platform's Java connector
    /// sends it only when configured, but always a User-Agent).
    public let from: String?

    /// This toolkit's version, as its User-Agent names it.
    public static let toolkitVersion = "0.1"

    /// This toolkit's own identification, for tools built on it that do not name themselves.
    public static let defaultUserAgent = "ehcert/\(toolkitVersion) swift-certmanager/\(toolkitVersion)"

    /// What every client sends unless told otherwise: the default User-Agent, no From.
    public static let standard = TracingHeaders(validUserAgent: defaultUserAgent)

    /// The cookbook's regular expression for each space-separated token of `User-Agent`.
    public static let userAgentTokenPattern = #"[a-zA-Z0-9-\/]*\/[0-9a-zA-Z-_.]*"#

    /// Validates both values; the error names the offending token and the expected format.
    public init(userAgent: String = TracingHeaders.defaultUserAgent, from: String? = nil) throws {
        try Self.validateUserAgent(userAgent)
        if let from { try Self.validateFrom(from) }
        self.userAgent = userAgent
        self.from = from
    }

    /// For a value known to be valid (checked by the tests).
    private init(validUserAgent: String) {
        userAgent = validUserAgent
        from = nil
    }

    /// The headers as sent.
    public var headers: [(String, String)] {
        [("User-Agent", userAgent)] + (from.map { [("From", $0)] } ?? [])
    }

    static func validateUserAgent(_ value: String) throws {
        let format = "the User-Agent must be \"{software}/{version} {connector}/{connector-version}\", "
            + "each space-separated token matching \(userAgentTokenPattern) (cookbook 4.1.2)"
        guard !value.isEmpty else {
            throw SOAPError(.invalidTracingHeader, "the User-Agent is empty; " + format)
        }
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            guard isUserAgentToken(token) else {
                let shown = token.isEmpty ? "an empty token (two spaces in a row, or a space at an end)" : "the token \(String(reflecting: String(token)))"
                throw SOAPError(.invalidTracingHeader, "User-Agent \(String(reflecting: value)): \(shown) is not name/version; " + format)
            }
        }
    }

    /// `[a-zA-Z0-9-\/]*\/[0-9a-zA-Z-_.]*` as a whole-token match. The first class contains `/`
    /// and the second does not, so the token splits at its last `/`.
    private static func isUserAgentToken(_ token: Substring) -> Bool {
        guard let slash = token.lastIndex(of: "/") else { return false }
        let name = token[..<slash]
        let version = token[token.index(after: slash)...]
        return name.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "-" || $0 == "/" }
            && version.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// A plain `local@domain` address (RFC 5322 addr-spec without quoting or comments): what an
    /// operator can paste into a mail client. Control characters would also break the header.
    static func validateFrom(_ value: String) throws {
        func invalid(_ why: String) -> SOAPError {
            SOAPError(.invalidTracingHeader, "From \(String(reflecting: value)) is not an email address (\(why)); "
                + "cookbook 4.1.2 asks for an address for emergency contact, e.g. info@mycompany.be")
        }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw invalid("it needs exactly one @") }
        let local = parts[0]
        let domain = parts[1]
        let localSpecials = Set("!#$%&'*+-/=?^_`{|}~.".unicodeScalars)
        guard !local.isEmpty, local.count <= 64,
              local.unicodeScalars.allSatisfy({ isASCIIAlphanumeric($0) || localSpecials.contains($0) }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw invalid("the part before @ is empty or has characters an address cannot have")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, domain.count <= 253,
              labels.allSatisfy({ label in
                  !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                      && label.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "-" }
              }) else {
            throw invalid("the domain must be dot-separated names such as mycompany.be")
        }
    }
}
