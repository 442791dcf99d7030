/// Checks of simple-type facets, called by generated initialisers.
public enum XMLFacets {
    public static func length(_ value: Int, exactly expected: Int, in typeName: String) throws {
        guard value == expected else {
            throw XMLError(.facetViolation, "\(typeName) must have length \(expected), got \(value)")
        }
    }

    public static func length(_ value: Int, minimum: Int?, maximum: Int?, in typeName: String) throws {
        if let minimum, value < minimum {
            throw XMLError(.facetViolation, "\(typeName) must have length at least \(minimum), got \(value)")
        }
        if let maximum, value > maximum {
            throw XMLError(.facetViolation, "\(typeName) must have length at most \(maximum), got \(value)")
        }
    }

    /// Several pattern facets in one derivation step are alternatives; each step must match.
    public static func pattern(_ text: String, matchesAnyOf patterns: [XSDPattern], in typeName: String) throws {
        guard patterns.contains(where: { $0.matches(text) }) else {
            let sources = patterns.map(\.source).joined(separator: " | ")
            throw XMLError(.facetViolation, "\"\(text)\" does not match the pattern of \(typeName) (\(sources))")
        }
    }

    public static func range<Value: Comparable>(_ value: Value, minInclusive: Value? = nil, maxInclusive: Value? = nil,
                                                minExclusive: Value? = nil, maxExclusive: Value? = nil, in typeName: String) throws {
        if let minInclusive, value < minInclusive { throw outOfRange(value, typeName) }
        if let maxInclusive, value > maxInclusive { throw outOfRange(value, typeName) }
        if let minExclusive, value <= minExclusive { throw outOfRange(value, typeName) }
        if let maxExclusive, value >= maxExclusive { throw outOfRange(value, typeName) }
    }

    private static func outOfRange<Value>(_ value: Value, _ typeName: String) -> XMLError {
        XMLError(.facetViolation, "\(value) is outside the range allowed by \(typeName)")
    }

    /// The whiteSpace facet's normalisations (XML Schema 1.0 §4.3.6), applied to a string value
    /// before its other facets: `replace` turns tab, line feed and carriage return into spaces;
    /// `collapse` also joins runs of spaces into one and trims both ends.
    public enum WhiteSpace: Sendable {
        case replace, collapse
    }

    public static func whiteSpace(_ rule: WhiteSpace, _ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
            switch rule {
            case .replace:
                scalars.append(isSpace ? " " : scalar)
            case .collapse:
                if isSpace {
                    pendingSpace = !scalars.isEmpty
                } else {
                    if pendingSpace { scalars.append(" ") }
                    pendingSpace = false
                    scalars.append(scalar)
                }
            }
        }
        return String(scalars)
    }

    /// `totalDigits` and `fractionDigits` of a decimal's lexical form (leading and trailing zeros do not count).
    public static func digits(_ text: String, total: Int?, fraction: Int?, in typeName: String) throws {
        let unsigned = text.trimmingXMLWhitespace.drop { $0 == "+" || $0 == "-" }
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerDigits = parts.first.map { $0.drop { $0 == "0" } } ?? ""
        var fractionDigits = parts.count > 1 ? parts[1] : ""
        while fractionDigits.last == "0" { fractionDigits = fractionDigits.dropLast() }
        if let fraction, fractionDigits.count > fraction {
            throw XMLError(.facetViolation, "\(text) has more than \(fraction) fraction digits, as \(typeName) allows")
        }
        if let total, integerDigits.count + fractionDigits.count > total {
            throw XMLError(.facetViolation, "\(text) has more than \(total) digits, as \(typeName) allows")
        }
    }

    /// Length in the sense of the facet: characters for strings, octets for binary types.
    public static func facetLength(of value: some XMLSimpleValue) -> Int {
        switch value {
        case let binary as HexBinary: return binary.count
        case let data as Data: return data.count
        // XML Schema counts Unicode code points, not the grapheme clusters String.count gives.
        case let text as String: return text.unicodeScalars.count
        default: return value.xmlText.unicodeScalars.count
        }
    }
}

import Foundation
