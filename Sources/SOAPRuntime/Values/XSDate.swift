import Foundation

/// xs:date: a calendar day with an optional time zone, kept as written.
public struct XSDate: XMLSimpleValue, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var timeZoneOffsetMinutes: Int?

    public init(year: Int, month: Int, day: Int, timeZoneOffsetMinutes: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }

    public init(xmlText: String) throws {
        let text = xmlText.trimmingXMLWhitespace
        var scanner = LexicalScanner(text)
        let failure = XMLError(.invalidValue, "\"\(text)\" is not an xs:date (YYYY-MM-DD[Z|±hh:mm])")
        let negative = scanner.take("-")
        guard let yearDigits = scanner.digits(minimum: 4), let year = Int(yearDigits), scanner.take("-"),
              let month = scanner.number(digits: 2), scanner.take("-"),
              let day = scanner.number(digits: 2) else { throw failure }
        let offset = try scanner.timeZone() ?? nil
        let signedYear = negative ? -year : year
        guard scanner.isAtEnd, signedYear != 0, (1...12).contains(month),
              (1...XSDateTime.daysIn(month: month, year: signedYear)).contains(day) else { throw failure }
        self.init(year: signedYear, month: month, day: day, timeZoneOffsetMinutes: offset)
    }

    public var xmlText: String {
        (year < 0 ? "-" : "") + pad(abs(year), 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
            + XSDateTime.timeZoneText(timeZoneOffsetMinutes)
    }

    public var description: String { xmlText }

    /// Order for range facets: by the day's start instant; a date without a time zone is taken as UTC
    /// (XML Schema leaves such pairs partially ordered; schemas' bounds are whole days in practice).
    public static func < (lhs: XSDate, rhs: XSDate) -> Bool { lhs.startMinute < rhs.startMinute }

    private var startMinute: Int {
        // Days from civil (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146097 + dayOfEra - 719468
        return days * 1440 - (timeZoneOffsetMinutes ?? 0)
    }
}
