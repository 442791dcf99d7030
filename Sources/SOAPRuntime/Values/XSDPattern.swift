import CLibXML2

/// An XML Schema `pattern` facet, matched by libxml2's own XSD regular-expression engine so the
/// dialect (character class subtraction, `\c`, `\i`, implicit anchoring) is exactly the schema's.
public final class XSDPattern: @unchecked Sendable {
    // xmlRegexp is read-only after compilation; xmlRegexpExec keeps its state on the stack.
    private let regexp: xmlRegexpPtr
    public let source: String

    public init(_ source: String) {
        LibXML2.ensureInitialised()
        self.source = source
        guard let compiled = xmlRegexpCompile(source) else {
            preconditionFailure("invalid XML Schema pattern \(source); the generator validates patterns")
        }
        regexp = compiled
    }

    /// Compiles a pattern, or returns nil if libxml2 rejects it (used by the generator to diagnose).
    public static func validated(_ source: String) -> XSDPattern? {
        LibXML2.ensureInitialised()
        guard xmlRegexpCompile(source).map({ xmlRegFreeRegexp($0); return true }) == true else { return nil }
        return XSDPattern(source)
    }

    deinit { xmlRegFreeRegexp(regexp) }

    public func matches(_ value: String) -> Bool {
        xmlRegexpExec(regexp, value) == 1
    }
}
