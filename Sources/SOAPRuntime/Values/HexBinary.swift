import Foundation

/// xs:hexBinary: bytes written as pairs of hexadecimal digits (canonically upper case).
public struct HexBinary: XMLSimpleValue, Hashable, CustomStringConvertible {
    public var bytes: Data

    public init(_ bytes: Data) {
        self.bytes = bytes
    }

    public init(xmlText: String) throws {
        var text = xmlText.trimmingXMLWhitespace
        let decoded: [UInt8]? = text.withUTF8 { utf8 in
            guard utf8.count % 2 == 0 else { return nil }
            var bytes = [UInt8]()
            bytes.reserveCapacity(utf8.count / 2)
            var index = 0
            while index < utf8.count {
                guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
                bytes.append(high << 4 | low)
                index += 2
            }
            return bytes
        }
        guard let decoded else {
            throw XMLError(.invalidValue, text.utf8.count % 2 == 0 ? "\"\(text)\" is not valid xs:hexBinary"
                : "xs:hexBinary needs an even number of hex digits, got \(text.utf8.count)")
        }
        self.bytes = Data(decoded)
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
