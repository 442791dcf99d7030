import Foundation

/// xs:dateTime, kept exactly as written: the time zone (or its absence) and the fraction's digits
/// survive a round trip, and `date` gives the instant.
public struct XSDateTime: XMLSimpleValue, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Digits after the decimal point, as written ("" when there is none).
    public var fractionDigits: String
    /// Offset from UTC in minutes; nil when the value has no time zone (then read as UTC).
    public var timeZoneOffsetMinutes: Int?

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                fractionDigits: String = "", timeZoneOffsetMinutes: Int? = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fractionDigits = fractionDigits
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }

    /// The instant in UTC (`Z`), with milliseconds.
    public init(_ date: Date, millisecondPrecision: Bool = true) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let wholeSeconds = date.timeIntervalSince1970.rounded(.down)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: wholeSeconds))
        let millis = Int(((date.timeIntervalSince1970 - wholeSeconds) * 1000).rounded(.down))
        self.init(year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!,
                  second: parts.second!, fractionDigits: millisecondPrecision ? String(format: "%03d", millis) : "",
                  timeZoneOffsetMinutes: 0)
    }

    public static var now: XSDateTime { XSDateTime(Date()) }

    public init(xmlText: String) throws {
        let text = xmlText.trimmingXMLWhitespace
        var scanner = LexicalScanner(text)
        func fail() -> XMLError { XMLError(.invalidValue, "\"\(text)\" is not an xs:dateTime (YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm])") }
        let negative = scanner.take("-")
        guard let yearDigits = scanner.digits(minimum: 4), scanner.take("-"),
              let month = scanner.number(digits: 2), scanner.take("-"),
              let day = scanner.number(digits: 2), scanner.take("T"),
              let hour = scanner.number(digits: 2), scanner.take(":"),
              let minute = scanner.number(digits: 2), scanner.take(":"),
              let second = scanner.number(digits: 2)
        else { throw fail() }
        if yearDigits.count > 4, yearDigits.hasPrefix("0") { throw fail() }
        var fraction = ""
        if scanner.take(".") {
            guard let digits = scanner.digits(minimum: 1) else { throw fail() }
            fraction = digits
        }
        let offset = try scanner.timeZone() ?? nil
        guard scanner.isAtEnd, let year = Int(yearDigits) else { throw fail() }
        let signedYear = negative ? -year : year
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: signedYear)).contains(day),
              (0...59).contains(minute), (0...59).contains(second), signedYear != 0,
              hour < 24 || (hour == 24 && minute == 0 && second == 0 && fraction.allSatisfy { $0 == "0" })
        else { throw fail() }
        self.init(year: signedYear, month: month, day: day, hour: hour, minute: minute, second: second,
                  fractionDigits: fraction, timeZoneOffsetMinutes: offset)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var xmlText: String {
        var text = year < 0 ? "-" : ""
        text += pad(abs(year), 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if !fractionDigits.isEmpty { text += "." + fractionDigits }
        text += Self.timeZoneText(timeZoneOffsetMinutes)
        return text
    }

    static func timeZoneText(_ offset: Int?) -> String {
        guard let offset else { return "" }
        if offset == 0 { return "Z" }
        return (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
    }

    /// The instant this value denotes; a value without time zone is taken as UTC.
    public var date: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        let base = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        let fraction = Double("0." + (fractionDigits.isEmpty ? "0" : fractionDigits)) ?? 0
        return base.addingTimeInterval(fraction - Double((timeZoneOffsetMinutes ?? 0) * 60))
    }

    public static func < (lhs: XSDateTime, rhs: XSDateTime) -> Bool { lhs.date < rhs.date }

    public var description: String { xmlText }
}

/// Zero-padded decimal, without Foundation's formatter (values are never negative here).
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// A tiny cursor over ASCII text for the date and time parsers.
struct LexicalScanner {
    private let bytes: ContiguousArray<UInt8>
    private var index = 0

    init(_ text: String) { bytes = ContiguousArray(text.utf8) }

    var isAtEnd: Bool { index == bytes.count }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, UInt32(bytes[index]) == character.value else { return false }
        index += 1
        return true
    }

    mutating func digits(minimum: Int) -> String? {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index - start >= minimum else { index = start; return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func number(digits count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in index..<(index + count) {
            let byte = bytes[offset]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    /// `Z`, `±hh:mm` or nothing (returns .some(nil)).
    mutating func timeZone() throws -> Int?? {
        if isAtEnd { return .some(nil) }
        if take("Z") { return .some(0) }
        let sign: Int
        if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2), take(":"), let minutes = number(digits: 2),
              minutes < 60, hours < 14 || (hours == 14 && minutes == 0) else {
            throw XMLError(.invalidValue, "invalid time zone offset")
        }
        return .some(sign * (hours * 60 + minutes))
    }
}
