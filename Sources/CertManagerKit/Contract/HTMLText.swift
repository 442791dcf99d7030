import Foundation

/// Renders the contract's HTML5 (cookbook 4.3.4.4: "a personalized HTML contract to be read") as
/// plain text for a terminal: headings and paragraphs on their own lines, list items bulleted,
/// table cells separated, entities decoded, `head`, `script` and `style` left out.
///
/// Tolerant by design: contracts are HTML5, not XHTML, so this is a tag scanner rather than an
/// XML parser; anything it does not understand is dropped, never interpreted.
public enum HTMLText {
    public static func plainText(fromHTML html: String) -> String {
        var output = Output()
        var index = html.startIndex
        var skipping: String?   // inside head, script, style, template or title: text is not shown
        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                if html[index...].hasPrefix("<!--") {
                    index = html.range(of: "-->", range: index..<html.endIndex)?.upperBound ?? html.endIndex
                    continue
                }
                guard let close = html[index...].firstIndex(of: ">") else { break }
                let tag = Tag(html[html.index(after: index)..<close])
                index = html.index(after: close)
                guard let tag else { continue }
                if let skipped = skipping {
                    if tag.isClosing, tag.name == skipped { skipping = nil }
                    continue
                }
                if !tag.isClosing, Self.hidden.contains(tag.name), !tag.isSelfClosing {
                    skipping = tag.name
                    continue
                }
                output.apply(tag)
            } else {
                let next = html[index...].firstIndex(of: "<") ?? html.endIndex
                if skipping == nil {
                    output.text(decodeEntities(String(html[index..<next])))
                }
                index = next
            }
        }
        return DisplayText.clean(output.result)
    }

    /// Elements whose content is not shown to the reader.
    private static let hidden: Set<String> = ["head", "script", "style", "template", "title", "noscript"]

    struct Tag {
        let name: String
        let isClosing: Bool
        let isSelfClosing: Bool

        init?(_ raw: Substring) {
            var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, !text.hasPrefix("!"), !text.hasPrefix("?") else { return nil }
            isClosing = text.hasPrefix("/")
            if isClosing { text.removeFirst() }
            isSelfClosing = text.hasSuffix("/")
            let name = text.prefix { $0.isLetter || $0.isNumber }
            guard !name.isEmpty else { return nil }
            self.name = name.lowercased()
        }
    }

    /// Collects text, collapsing white space as a browser does, and puts line breaks where blocks end.
    struct Output {
        private var lines: [String] = []
        private var current = ""
        private var pendingSpace = false
        private var blankLineWanted = false
        private var listDepth = 0
        private var orderedCounters: [Int?] = []

        mutating func text(_ text: String) {
            for character in text {
                if character.isWhitespace && character != "\u{00A0}" {
                    pendingSpace = !current.isEmpty
                } else {
                    if pendingSpace { current.append(" ") }
                    pendingSpace = false
                    current.append(character == "\u{00A0}" ? " " : character)
                }
            }
        }

        mutating func apply(_ tag: Tag) {
            switch tag.name {
            case "br":
                endLine(force: true)
            case "p", "div", "section", "article", "header", "footer", "blockquote", "address", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dl", "hr":
                endLine()
                blankLineWanted = true
                if tag.name == "hr", !tag.isClosing { lines.append(String(repeating: "─", count: 40)); blankLineWanted = true }
            case "ul", "ol":
                endLine()
                if tag.isClosing {
                    listDepth = max(0, listDepth - 1)
                    if !orderedCounters.isEmpty { orderedCounters.removeLast() }
                    blankLineWanted = listDepth == 0
                } else {
                    listDepth += 1
                    orderedCounters.append(tag.name == "ol" ? 0 : nil)
                }
            case "li":
                endLine()
                if !tag.isClosing {
                    let indent = String(repeating: "  ", count: max(listDepth - 1, 0))
                    if let counter = orderedCounters.last, let value = counter {
                        orderedCounters[orderedCounters.count - 1] = value + 1
                        current = indent + "\(value + 1). "
                    } else {
                        current = indent + "• "
                    }
                }
            case "tr", "dt", "dd", "caption":
                endLine()
            case "td", "th":
                if !tag.isClosing, !current.isEmpty { current += " | " }
            default:
                break
            }
        }

        private mutating func endLine(force: Bool = false) {
            let line = current.trimmingCharacters(in: .whitespaces)
            current = ""
            pendingSpace = false
            let isBullet = line == "•" || line.hasSuffix(".") && line.dropLast().allSatisfy(\.isNumber)
            if line.isEmpty || isBullet {
                if force { lines.append("") }
                return
            }
            if blankLineWanted, let last = lines.last, !last.isEmpty { lines.append("") }
            blankLineWanted = false
            lines.append(line)
        }

        var result: String {
            var copy = self
            copy.endLine()
            // No leading, trailing or repeated blank lines.
            var collapsed: [String] = []
            for line in copy.lines where !(line.isEmpty && (collapsed.last?.isEmpty ?? true)) {
                collapsed.append(line)
            }
            while collapsed.last?.isEmpty == true { collapsed.removeLast() }
            return collapsed.joined(separator: "\n")
        }
    }

    /// `&amp;`, `&#233;`, `&#xE9;` and the named entities a French or Dutch contract uses.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let name = text[text.index(after: index)..<semicolon]
            if let decoded = decode(name) {
                result.append(decoded)
                index = text.index(after: semicolon)
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    private static func decode(_ name: Substring) -> String? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        if name.hasPrefix("#") {
            return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        return namedEntities[String(name)]
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "eacute": "é", "egrave": "è", "ecirc": "ê", "euml": "ë", "Eacute": "É", "Egrave": "È", "Ecirc": "Ê",
        "agrave": "à", "acirc": "â", "auml": "ä", "Agrave": "À", "ccedil": "ç", "Ccedil": "Ç",
        "icirc": "î", "iuml": "ï", "ocirc": "ô", "ouml": "ö", "ugrave": "ù", "ucirc": "û", "uuml": "ü",
        "laquo": "«", "raquo": "»", "euro": "€", "copy": "©", "reg": "®", "hellip": "…", "ndash": "–", "mdash": "—",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "bull": "•", "middot": "·", "deg": "°", "sect": "§",
    ]
}
