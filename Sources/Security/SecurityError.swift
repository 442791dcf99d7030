/// The Security module's one error type: a stable `code` to match on, and a reason that says what
/// happened and what to do. Each area of the module declares its codes next to its code
/// (`extension SecurityError.Code`), so the list grows without one shared enum.
public struct SecurityError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}

extension SecurityError.Code {
    public static let invalidPublicKey = Self("INVALID_PUBLIC_KEY")
    public static let invalidPublicKeyIdentifier = Self("INVALID_PUBLIC_KEY_IDENTIFIER")
    public static let unsupportedKey = Self("UNSUPPORTED_KEY")
    public static let signingFailed = Self("SIGNING_FAILED")
}
