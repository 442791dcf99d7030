import Foundation

/// xs:time: a time of day with an optional time zone, kept as written (fraction digits included).
public struct XSTime: XMLSimpleValue, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Digits after the decimal point, as written ("" when there is none).
    public var fractionDigits: String
    public var timeZoneOffsetMinutes: Int?

    public init(hour: Int, minute: Int, second: Int, fractionDigits: String = "", timeZoneOffsetMinutes: Int? = nil) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fractionDigits = fractionDigits
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }

    public init(xmlText: String) throws {
        let text = xmlText.trimmingXMLWhitespace
        var scanner = LexicalScanner(text)
        let failure = XMLError(.invalidValue, "\"\(text)\" is not an xs:time (hh:mm:ss[.fff][Z|±hh:mm])")
        guard let hour = scanner.number(digits: 2), scanner.take(":"),
              let minute = scanner.number(digits: 2), scanner.take(":"),
              let second = scanner.number(digits: 2) else { throw failure }
        var fraction = ""
        if scanner.take(".") {
            guard let digits = scanner.digits(minimum: 1) else { throw failure }
            fraction = digits
        }
        let offset = try scanner.timeZone() ?? nil
        // 24:00:00 is the end of the day, allowed with no fraction only.
        let endOfDay = hour == 24 && minute == 0 && second == 0 && fraction.allSatisfy { $0 == "0" }
        guard scanner.isAtEnd, hour < 24 || endOfDay, minute < 60, second < 60 else { throw failure }
        self.init(hour: hour, minute: minute, second: second, fractionDigits: fraction, timeZoneOffsetMinutes: offset)
    }

    public var xmlText: String {
        pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) + (fractionDigits.isEmpty ? "" : "." + fractionDigits)
            + XSDateTime.timeZoneText(timeZoneOffsetMinutes)
    }

    /// Seconds since midnight UTC (a time without a time zone is taken as UTC), for range facets.
    private var secondsInUTC: Decimal {
        let whole = Decimal(hour * 3600 + minute * 60 + second - (timeZoneOffsetMinutes ?? 0) * 60)
        return whole + (Decimal(string: "0." + (fractionDigits.isEmpty ? "0" : fractionDigits)) ?? 0)
    }

    public static func < (lhs: XSTime, rhs: XSTime) -> Bool { lhs.secondsInUTC < rhs.secondsInUTC }

    public var description: String { xmlText }
}
