import Foundation

/// xs:hexBinary: bytes written as pairs of hexadecimal digits (canonically upper case).
public struct HexBinary: XMLSimpleValue, Hashable, CustomStringConvertible {
    public var bytes: Data

    public init(_ bytes: Data) {
        self.bytes = bytes
    }

    public init(xmlText: String) throws {
        let text = xmlText.trimmingXMLWhitespace
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else {
            throw XMLError(.invalidValue, "xs:hexBinary needs an even number of hex digits, got \(utf8.count)")
        }
        var bytes = Data(capacity: utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else {
                throw XMLError(.invalidValue, "\"\(text)\" is not valid xs:hexBinary")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    public var xmlText: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var count: Int { bytes.count }
    public var description: String { xmlText }
}
