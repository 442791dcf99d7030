import Foundation

/// The date a just-delivered certificate becomes valid, as AUTH_CERT_NOT_YET_VALID ("The
/// certificate is valid from {0}") and ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID give it: the
/// CA's clock may run ahead of ours right after delivery. These answers are recoverable: the
/// flow waits until that date instead of stopping.
enum ValidityStart {
    static let codes: Set<String> = ["AUTH_CERT_NOT_YET_VALID", "ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID"]

    /// The latest date found in `text` (the error's parameters and message): ISO 8601
    /// (`2026-12-03T10:15:00Z`, with fractions or an offset) or `2026-12-03 10:15:00 +0000`.
    static func date(in text: String) -> Date? {
        var found: [Date] = []
        let iso = #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})"#
        let spaced = #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}"#
        for (pattern, parse) in [(iso, parseISO), (spaced, parseSpaced)] {
            var rest = text[...]
            while let range = rest.range(of: pattern, options: .regularExpression) {
                if let date = parse(String(rest[range])) { found.append(date) }
                rest = rest[range.upperBound...]
            }
        }
        return found.max()
    }

    private static func parseISO(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.date(from: text)
    }

    private static func parseSpaced(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter.date(from: text)
    }
}
