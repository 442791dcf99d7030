import Foundation

/// Where a wait for the certificate stands while getCertificate answers CERT_NOT_YET_DELIVERED
/// (cookbook 4.3.4 step 9), as a front end shows it: since when, how many attempts, and when the
/// next one goes. A value, so that the line a spinner draws can be checked without a clock.
public struct PollingWait: Sendable, Equatable {
    /// When the wait began (the first getCertificate of this run).
    public let since: Date
    /// The attempts answered CERT_NOT_YET_DELIVERED so far.
    public let attempt: Int
    public let nextAttempt: Date

    public init(since: Date, attempt: Int, nextAttempt: Date) {
        self.since = since
        self.attempt = attempt
        self.nextAttempt = nextAttempt
    }

    /// The frames of a spinner, one per redraw.
    public static let frames: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    public static func frame(_ index: Int) -> Character {
        frames[((index % frames.count) + frames.count) % frames.count]
    }

    /// `waiting for the certificate 1 min 05 s · 3 attempts · next at 14:02:10 (in 12 s)`; at or
    /// after the next attempt's time, `next attempt now`.
    public func summary(at now: Date, timeZone: TimeZone = .current) -> String {
        let elapsed = Self.duration(seconds: max(0, now.timeIntervalSince(since)))
        let attempts = attempt == 1 ? "1 attempt" : "\(attempt) attempts"
        let remaining = nextAttempt.timeIntervalSince(now)
        let next = remaining < 0.5
            ? "next attempt now"
            : "next at \(Self.clockTime(nextAttempt, timeZone: timeZone)) (in \(Self.duration(seconds: remaining)))"
        return "waiting for the certificate \(elapsed) · \(attempts) · \(next)"
    }

    /// The spinner's line: a frame, then the summary.
    public func line(frame index: Int, at now: Date, timeZone: TimeZone = .current) -> String {
        "\(Self.frame(index)) \(summary(at: now, timeZone: timeZone))"
    }

    /// `7 s`, `1 min 05 s`, `2 h 03 min` (whole seconds, rounded half up).
    public static func duration(seconds: TimeInterval) -> String {
        let total = Int((max(0, seconds)).rounded())
        let hours = total / 3600, minutes = (total % 3600) / 60, rest = total % 60
        if hours > 0 { return "\(hours) h " + String(format: "%02d min", minutes) }
        if minutes > 0 { return "\(minutes) min " + String(format: "%02d s", rest) }
        return "\(rest) s"
    }

    /// `HH:mm:ss` in `timeZone`.
    public static func clockTime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}
