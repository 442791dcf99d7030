/// Bounds on what the parser accepts, so that a hostile or broken peer cannot exhaust memory or
/// CPU. The structural limits are checked on the bytes before libxml2 builds anything: libxml2's
/// duplicate-attribute check is quadratic, so one start tag with 80,000 attributes (0.79 MB)
/// costs it seconds of CPU.
public struct XMLParseLimits: Sendable, Equatable {
    /// Largest document accepted, in bytes.
    public var maximumBytes: Int
    /// Most attributes (namespace declarations included) one start tag may carry.
    public var maximumAttributesPerElement: Int
    /// Deepest element nesting accepted (the document element is at depth 1).
    public var maximumDepth: Int

    public init(maximumBytes: Int = 16 * 1024 * 1024, maximumAttributesPerElement: Int = 256, maximumDepth: Int = 128) {
        self.maximumBytes = maximumBytes
        self.maximumAttributesPerElement = maximumAttributesPerElement
        self.maximumDepth = maximumDepth
    }

    public static let `default` = XMLParseLimits()
}
