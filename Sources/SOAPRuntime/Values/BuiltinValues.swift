import Foundation

// XML Schema built-in types mapped onto Swift's own types.

extension String: XMLSimpleValue {
    public init(xmlText: String) throws { self = xmlText }
    public var xmlText: String { self }
}

extension Bool: XMLSimpleValue {
    public init(xmlText: String) throws {
        switch xmlText.trimmingXMLWhitespace {
        case "true", "1": self = true
        case "false", "0": self = false
        default: throw XMLError(.invalidValue, "\"\(xmlText)\" is not an xs:boolean (true, false, 1 or 0)")
        }
    }
    public var xmlText: String { self ? "true" : "false" }
}

/// Integers share one parser: optional sign, digits only, range-checked by the Swift type.
public protocol XMLIntegerValue: XMLSimpleValue, FixedWidthInteger {}

extension XMLIntegerValue {
    public init(xmlText: String) throws {
        var text = xmlText.trimmingXMLWhitespace
        if text.hasPrefix("+") { text.removeFirst() }
        guard let value = Self(text, radix: 10) else {
            throw XMLError(.invalidValue, "\"\(xmlText)\" is not an integer in the range of \(Self.self)")
        }
        self = value
    }
    public var xmlText: String { String(self) }
}

extension Int: XMLIntegerValue {}
extension Int8: XMLIntegerValue {}
extension Int16: XMLIntegerValue {}
extension Int32: XMLIntegerValue {}
extension Int64: XMLIntegerValue {}
extension UInt: XMLIntegerValue {}
extension UInt8: XMLIntegerValue {}
extension UInt16: XMLIntegerValue {}
extension UInt32: XMLIntegerValue {}
extension UInt64: XMLIntegerValue {}

extension Decimal: XMLSimpleValue {
    public init(xmlText: String) throws {
        let text = xmlText.trimmingXMLWhitespace
        // xs:decimal has no exponent and always a '.' as separator, whatever the locale.
        var digits = 0
        var dots = 0
        for (index, character) in text.enumerated() {
            switch character {
            case "+" where index == 0, "-" where index == 0: continue
            case "0"..."9": digits += 1
            case ".": dots += 1
            default: digits = -1
            }
            if digits < 0 { break }
        }
        guard digits > 0, dots <= 1, let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw XMLError(.invalidValue, "\"\(xmlText)\" is not an xs:decimal")
        }
        self = value
    }
    public var xmlText: String { NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")) }
}

extension Double: XMLSimpleValue {
    public init(xmlText: String) throws {
        let text = xmlText.trimmingXMLWhitespace
        switch text {
        case "INF": self = .infinity
        case "-INF": self = -.infinity
        case "NaN": self = .nan
        default:
            guard !text.isEmpty, !text.lowercased().contains("inf"), !text.lowercased().contains("nan"),
                  let value = Double(text) else {
                throw XMLError(.invalidValue, "\"\(xmlText)\" is not an xs:double")
            }
            self = value
        }
    }
    public var xmlText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-INF" : "INF" }
        return String(self)
    }
}

extension Float: XMLSimpleValue {
    public init(xmlText: String) throws {
        self = Float(try Double(xmlText: xmlText))
    }
    public var xmlText: String { Double(self).xmlText }
}

extension Data: XMLSimpleValue {
    /// xs:base64Binary; line breaks and spaces inside the value are allowed.
    public init(xmlText: String) throws {
        let compact = xmlText.filter { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n") }
        guard let value = Data(base64Encoded: compact) else {
            throw XMLError(.invalidValue, "the value is not valid base64 (xs:base64Binary)")
        }
        self = value
    }
    public var xmlText: String { base64EncodedString() }
}
