/// Accumulates Swift source text with indentation.
struct CodeWriter {
    private(set) var text = ""
    private var indentation = 0

    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: indentation) + content + "\n"
        }
    }

    mutating func block(_ opening: String, _ body: (inout CodeWriter) -> Void) {
        line(opening + " {")
        indentation += 1
        body(&self)
        indentation -= 1
        line("}")
    }

    /// `switch subject {` with one `case pattern: value` line per case (Swift's switch
    /// expressions), then `default:` when given, and `}`.
    mutating func switchExpression(_ subject: String, _ cases: [(pattern: String, value: String)], default otherwise: String? = nil) {
        line("switch \(subject) {")
        for (pattern, value) in cases { line("case \(pattern): \(value)") }
        if let otherwise { line("default: \(otherwise)") }
        line("}")
    }

    /// A `///` comment, wrapped at about 100 columns.
    mutating func documentation(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        let width = max(40, 100 - indentation * 4 - 4)
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + word.count + 1 > width {
                line("/// " + current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { line("/// " + current) }
    }
}
