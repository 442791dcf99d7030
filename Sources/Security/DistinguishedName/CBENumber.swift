import Foundation

/// A Crossroads Bank for Enterprises number (KBO/BCE), the `CBE` identifier of organizations.
/// Only valid numbers can be made.
///
/// protocol-facts "Distinguished names": 10 digits, the last two = 97 − (first 8 mod 97).
public struct CBENumber: Hashable, Sendable, CustomStringConvertible {
    /// The 10 digits, without separators (`0123456749`).
    public let digits: String

    public init(_ digits: String) throws {
        let bytes = Array(digits.utf8)
        guard bytes.count == 10, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw SecurityError(.cbeNumberInvalid, "\"\(digits)\" is not a CBE number: it has exactly 10 digits (put a 0 in front of an old 9-digit number)")
        }
        let number = bytes.map { Int($0 - UInt8(ascii: "0")) }
        let firstEight = number.prefix(8).reduce(0) { $0 * 10 + $1 }
        let check = number[8] * 10 + number[9]
        guard check == 97 - firstEight % 97 else {
            throw SecurityError(.cbeNumberInvalid, "\"\(digits)\" is not a CBE number: its last two digits should be \(String(format: "%02d", 97 - firstEight % 97)) (97 - first 8 digits mod 97); check for a typing error")
        }
        self.digits = digits
    }

    /// Accepts the usual separators of typed-in numbers (`0123.456.749`, `BE 0123 456 749`).
    public init(formatted: String) throws {
        var text = formatted.uppercased()
        if text.hasPrefix("BE") { text.removeFirst(2) }
        try self.init(String(text.filter { !" .-/".contains($0) }))
    }

    public var description: String { digits }
}
