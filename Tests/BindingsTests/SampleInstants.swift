import SOAPRuntime

/// dateTimes as the platform writes them: with a time zone (Z or an offset) and a fraction.
enum SampleInstants {
    static let requestIssued = XSDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53,
                                          fractionDigits: "589", timeZoneOffsetMinutes: 60)
    static let responseIssued = XSDateTime(year: 2026, month: 3, day: 14, hour: 8, minute: 26, second: 54,
                                           fractionDigits: "120347", timeZoneOffsetMinutes: 0)
    static let certificateRequested = XSDateTime(year: 2025, month: 11, day: 3, hour: 16, minute: 5, second: 0,
                                                 fractionDigits: "5", timeZoneOffsetMinutes: 60)
    static let validNotBefore = XSDateTime(year: 2025, month: 11, day: 3, hour: 15, minute: 10, second: 27,
                                           fractionDigits: "0", timeZoneOffsetMinutes: 0)
    static let validNotAfter = XSDateTime(year: 2028, month: 11, day: 3, hour: 15, minute: 10, second: 27,
                                          fractionDigits: "0", timeZoneOffsetMinutes: 0)
    static let replacementPeriodStart = XSDateTime(year: 2028, month: 8, day: 5, hour: 0, minute: 0, second: 0,
                                                   fractionDigits: "000", timeZoneOffsetMinutes: 120)
    static let confirmationDeadline = XSDateTime(year: 2026, month: 4, day: 13, hour: 23, minute: 59, second: 59,
                                                 fractionDigits: "999", timeZoneOffsetMinutes: -300)
}
