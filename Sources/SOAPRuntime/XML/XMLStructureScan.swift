/// A linear pass over the raw bytes that enforces `XMLParseLimits`' structural bounds before
/// libxml2 sees the document. It reads only markup delimiters (`<`, `>`, quotes, `=`), skipping
/// comments, CDATA sections and processing instructions, so its cost is one look at each byte
/// whatever the document holds. It does not judge well-formedness: libxml2 does that next.
enum XMLStructureScan {
    private static let lessThan = UInt8(ascii: "<"), greaterThan = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    private static let bang = UInt8(ascii: "!"), question = UInt8(ascii: "?"), equals = UInt8(ascii: "=")
    private static let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'")

    static func check(_ bytes: UnsafeRawBufferPointer, limits: XMLParseLimits,
                      doctype: HardenedXMLParse.DoctypePolicy = .refuse) throws(XMLError) {
        let b = bytes.bindMemory(to: UInt8.self)
        let count = b.count
        // The scan reads ASCII delimiters, which UTF-16 and UTF-32 hide; eHealth messages are UTF-8.
        if count >= 2, (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) || b[0] == 0 || b[1] == 0 {
            throw XMLError(.malformed, "only UTF-8 (or another ASCII-compatible encoding) is accepted")
        }
        var index = 0
        var depth = 0
        while index < count {
            guard b[index] == lessThan else { index += 1; continue }
            index += 1
            guard index < count else { return }
            switch b[index] {
            case bang:
                if has("!--", at: index, in: b) {
                    index = after("-->", from: index + 3, in: b)
                } else if has("![CDATA[", at: index, in: b) {
                    index = after("]]>", from: index + 8, in: b)
                } else if has("!DOCTYPE", at: index, in: b) {
                    guard doctype == .allowInternalSubset else {
                        throw XMLError(.doctypeForbidden, "a DOCTYPE declaration is not allowed")
                    }
                    index = afterDoctype(from: index + 8, in: b)
                } else {
                    index = after(">", from: index, in: b)
                }
            case question:
                index = after("?>", from: index + 1, in: b)
            case slash:
                depth = max(0, depth - 1)
                index = after(">", from: index, in: b)
            default:
                var attributes = 0
                var quote: UInt8 = 0
                var previous: UInt8 = 0
                while index < count {
                    let byte = b[index]
                    if quote != 0 {
                        if byte == quote { quote = 0 }
                    } else if byte == doubleQuote || byte == singleQuote {
                        quote = byte
                    } else if byte == equals {
                        attributes += 1
                        if attributes > limits.maximumAttributesPerElement {
                            throw XMLError(.limitExceeded, "an element has more than \(limits.maximumAttributesPerElement) attributes")
                        }
                    } else if byte == greaterThan {
                        break
                    }
                    previous = byte
                    index += 1
                }
                guard index < count else { return }
                if previous != slash {
                    depth += 1
                    if depth > limits.maximumDepth {
                        throw XMLError(.limitExceeded, "elements are nested more than \(limits.maximumDepth) deep")
                    }
                }
                index += 1
            }
        }
    }

    /// Past a DOCTYPE declaration, its internal subset (`[ ... ]`) included.
    private static func afterDoctype(from index: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        var index = index
        while index < b.count, b[index] != greaterThan, b[index] != UInt8(ascii: "[") { index += 1 }
        guard index < b.count, b[index] == UInt8(ascii: "[") else { return min(index + 1, b.count) }
        return after(">", from: after("]", from: index + 1, in: b), in: b)
    }

    private static func has(_ text: StaticString, at index: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = text.utf8CodeUnitCount
        guard index + length <= b.count else { return false }
        let start = text.utf8Start
        for offset in 0..<length where b[index + offset] != start[offset] { return false }
        return true
    }

    /// The index just past the first `terminator` at or after `index`, or the end.
    private static func after(_ terminator: StaticString, from index: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        let first = terminator.utf8Start[0]
        var position = index
        while position < b.count {
            if b[position] == first, has(terminator, at: position, in: b) { return position + terminator.utf8CodeUnitCount }
            position += 1
        }
        return b.count
    }
}
