/// A problem found in the input, with its location, printed the way compilers do.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning, note }

    public let severity: Severity
    public let message: String
    public let location: SourceLocation?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    /// A schema construct the generator does not model: the run goes on with the affected content
    /// kept as raw XML (`AnyXMLElement`), unless `--strict` makes every warning an error.
    public static func unsupported(_ construct: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, "unsupported construct: \(construct)", at: location)
    }

    /// `file:line:column: error: message`
    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        return "\(prefix)\(severity.rawValue): \(message)"
    }
}

/// A position in an input file; lines and columns count from 1.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Several diagnostics at once: the generator reports everything it finds, then fails.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
