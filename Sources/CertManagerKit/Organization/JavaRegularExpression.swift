import Foundation

/// A regular expression in Java syntax (getGenericOrganizationTypes' `ValidationRegEx`: "The
/// regular expression will use the Java syntax"), evaluated with Foundation's ICU engine.
///
/// ICU's syntax is Java's nearly everywhere; the differences handled here:
/// - Java's `String.matches` semantics: the whole value must match, so the pattern is anchored
///   as `^(?:…)$` (which also keeps `^a|b$` from matching `ab…`);
/// - the POSIX classes `\p{Digit}`, `\p{Alpha}`, `\p{Upper}`, `\p{Lower}`, `\p{Alnum}`,
///   `\p{Punct}`, `\p{XDigit}`, `\p{Space}` and `\p{ASCII}` are US-ASCII only in Java, so they
///   are spelled out as ASCII ranges;
/// - `\p{javaLowerCase}` and its friends become the Unicode properties they stand for.
public struct JavaRegularExpression: Sendable, CustomStringConvertible {
    public let pattern: String
    private let expression: NSRegularExpression

    public init(_ pattern: String) throws {
        self.pattern = pattern
        do {
            expression = try NSRegularExpression(pattern: "^(?:" + Self.translate(pattern) + ")$")
        } catch {
            throw CertManagerError(.organizationIdentifierInvalid, .protocolViolation,
                                   reason: "the platform's ValidationRegEx \"\(pattern)\" is not a regular expression this client can evaluate",
                                   advice: "Report this to the software's supplier.")
        }
    }

    /// Whether the whole of `value` matches, as Java's `Pattern.matches`.
    public func matches(_ value: String) -> Bool {
        let range = NSRange(value.startIndex..<value.endIndex, in: value)
        return expression.firstMatch(in: value, options: [], range: range) != nil
    }

    public var description: String { pattern }

    private static let classes: [String: String] = [
        "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7F", "Alpha": "a-zA-Z", "Digit": "0-9",
        "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": " -~", "Blank": " \\t",
        "Cntrl": "\\x00-\\x1F\\x7F", "XDigit": "0-9a-fA-F", "Space": " \\t\\n\\x0B\\f\\r",
        "javaLowerCase": "\\p{Ll}", "javaUpperCase": "\\p{Lu}", "javaWhitespace": "\\s", "javaMirrored": "\\p{Bidi_Mirrored}",
    ]

    /// Rewrites the Java-only constructs; everything else passes unchanged.
    static func translate(_ pattern: String) -> String {
        var output = ""
        var characters = Array(pattern)
        var index = 0
        var classDepth = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count {
                let next = characters[index + 1]
                if (next == "p" || next == "P"), index + 2 < characters.count, characters[index + 2] == "{",
                   let end = characters[(index + 3)...].firstIndex(of: "}") {
                    let name = String(characters[(index + 3)..<end])
                    let bare = name.hasPrefix("Is") && classes[String(name.dropFirst(2))] != nil ? String(name.dropFirst(2)) : name
                    if let replacement = classes[bare] {
                        let negated = next == "P"
                        if replacement.hasPrefix("\\p") || replacement == "\\s" {
                            output += negated ? replacement.replacingOccurrences(of: "\\p", with: "\\P").replacingOccurrences(of: "\\s", with: "\\S") : replacement
                        } else if classDepth > 0 && !negated {
                            output += replacement
                        } else {
                            output += (negated ? "[^" : "[") + replacement + "]"
                        }
                        index = end + 1
                        continue
                    }
                }
                output.append(character)
                output.append(next)
                index += 2
                continue
            }
            if character == "[" { classDepth += 1 }
            if character == "]", classDepth > 0 { classDepth -= 1 }
            output.append(character)
            index += 1
        }
        characters.removeAll()
        return output
    }
}
