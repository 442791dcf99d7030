/// Bounds on what the parser accepts, so that a hostile or broken peer cannot exhaust memory.
public struct XMLParseLimits: Sendable, Equatable {
    /// Largest document accepted, in bytes.
    public var maximumBytes: Int

    public init(maximumBytes: Int = 16 * 1024 * 1024) {
        self.maximumBytes = maximumBytes
    }

    public static let `default` = XMLParseLimits()
}
