import Foundation

/// A Belgian social security identification number (SSIN, INSZ/NISS), or a BIS number given to
/// people without one. Only valid numbers can be made.
///
/// protocol-facts "Distinguished names": 11 digits `YYMMDDSSSCC`; the check `CC` is
/// 97 − (first 9 digits mod 97), where for births from 2000 on a `2` is put in front of the 9
/// digits first. BIS numbers have the month raised by 20 (sex unknown) or 40 (sex known).
public struct SSIN: Hashable, Sendable, CustomStringConvertible {
    /// The 11 digits, without separators.
    public let digits: String

    /// The 11 digits, without separators (`85210123617`). Use ``init(formatted:)`` for input typed
    /// by a person (`85.21.01-236.17`).
    public init(_ digits: String) throws {
        let bytes = Array(digits.utf8)
        guard bytes.count == 11, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw SecurityError(.ssinInvalid, "\"\(digits)\" is not an SSIN: an SSIN has exactly 11 digits (YYMMDDSSSCC)")
        }
        let number = bytes.map { Int($0 - UInt8(ascii: "0")) }
        let month = number[2] * 10 + number[3]
        let day = number[4] * 10 + number[5]
        // Month 0 and day 0 occur when the birth date is not (fully) known.
        let monthIsValid = (0...12).contains(month) || (20...32).contains(month) || (40...52).contains(month)
        guard monthIsValid, (0...31).contains(day) else {
            throw SecurityError(.ssinInvalid, "\"\(digits)\" is not an SSIN: the month \(month) and day \(day) are not a birth date (BIS numbers add 20 or 40 to the month)")
        }
        let firstNine = number.prefix(9).reduce(0) { $0 * 10 + $1 }
        let check = number[9] * 10 + number[10]
        guard check == 97 - firstNine % 97 || check == 97 - (2_000_000_000 + firstNine) % 97 else {
            throw SecurityError(.ssinInvalid, "\"\(digits)\" is not an SSIN: its check digits \(String(format: "%02d", check)) should be 97 - (first 9 digits mod 97), with a 2 in front for births from 2000; check for a typing error")
        }
        self.digits = digits
    }

    /// Accepts the usual separators (spaces, dots, dashes, slashes) of typed-in numbers.
    public init(formatted: String) throws {
        try self.init(String(formatted.filter { !" .-/".contains($0) }))
    }

    /// A BIS number (month + 20 or + 40), given to foreigners and people not in the National Register.
    public var isBIS: Bool {
        let bytes = Array(digits.utf8)
        let month = Int(bytes[2] - UInt8(ascii: "0")) * 10 + Int(bytes[3] - UInt8(ascii: "0"))
        return month >= 20
    }

    public var description: String { digits }
}
