import Foundation

/// Wait, don't stop: AUTH_CERT_NOT_YET_VALID (getCertificate) and
/// ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID (startETKRegistration) say when the new certificate
/// becomes valid. The flow waits until then, within the polling policy's maximum wait, and asks
/// again; past that it stops as pending (`resume` later), with the date in the advice.
extension CreateETKFlow {
    /// Runs `body` (sign and send one request), again after each not-yet-valid answer.
    func waitingUntilValid<Output>(_ context: RunContext, _ body: () async throws -> Output) async throws -> Output {
        let sleeper = context.settings.sleeper
        let started = sleeper.now
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as CertManagerError where ValidityStart.codes.contains(error.code.rawValue) {
                let now = sleeper.now
                let validFrom = ValidityStart.date(in: error.reason)
                // A second past the date, for clocks a little apart; without a date, the polling rhythm.
                let delay: Duration = validFrom.map { .milliseconds(max(Int64($0.timeIntervalSince(now) * 1000), 0) + 1000) }
                    ?? context.settings.polling.backoff.delay(afterAttempt: attempt)
                let waited = now.timeIntervalSince(started)
                if let maximum = context.settings.polling.maximumWait, waited + delay.seconds > maximum.seconds {
                    let when = validFrom.map { "from \(Self.moment($0))" } ?? "later"
                    throw CertManagerError(error.code, .pending,
                                           reason: "the new certificate is not valid yet; it is valid \(when)",
                                           advice: "Run `resume` \(validFrom.map { "after \(Self.moment($0))" } ?? "later") (a longer --max-wait waits for it); if the date is far off, check this computer's clock.",
                                           operation: error.operation)
                }
                context.progress(.notice("the new certificate is valid \(validFrom.map { "from \(Self.moment($0))" } ?? "later") (\(error.code)): waiting \(Self.seconds(delay)) before asking again"))
                do { try await sleeper.sleep(for: delay) } catch { throw CertManagerError(error) }
                attempt += 1
            }
        }
    }

    static func moment(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    static func seconds(_ duration: Duration) -> String {
        let value = duration.seconds
        return value < 90 ? "\(Int(value.rounded(.up))) s" : "\(Int((value / 60).rounded(.up))) min"
    }
}
