import CertManagerKit
import Foundation

/// Renders a flow's events: numbered cookbook step lines on a terminal, or a list of records
/// for `--json`.
final class FlowPrinter: @unchecked Sendable {
    struct Record: Encodable {
        let event: String
        let step: Int?
        let title: String?
        let detail: String?
        let at: Date
    }

    private let terminal: Terminal
    private let json: Bool
    private let lock = NSLock()
    private var records: [Record] = []
    /// On a terminal (standard error), the wait for the certificate is a spinner line.
    private let spinner: PollingSpinner?
    /// When this run started asking getCertificate.
    private var pollingSince: Date?
    private var announcedWaiting = false

    init(terminal: Terminal = .current, json: Bool, spinner: PollingSpinner? = nil) {
        self.terminal = terminal
        self.json = json
        self.spinner = json ? nil : spinner ?? (Terminal.standardError.isInteractive ? PollingSpinner() : nil)
    }

    var events: [Record] { lock.withLock { records } }

    func handle(_ event: FlowEvent) {
        let now = Date()
        let since: Date? = lock.withLock {
            records.append(Self.record(event))
            if case .stepStarted(let step) = event, step.operation == .getCertificate { pollingSince = now }
            if case .certificateNotYetDelivered = event, pollingSince == nil { pollingSince = now }
            return pollingSince
        }
        guard !json else { return }
        if case .certificateNotYetDelivered(let attempt, let next) = event, let spinner {
            // The first answer gets a line of its own (the eHealth code says why we wait), later
            // ones only move the spinner; a log (standard output not a terminal) gets every line.
            let first: Bool = lock.withLock {
                defer { announcedWaiting = true }
                return !announcedWaiting
            }
            if first || !terminal.isInteractive { print(line(for: event)) }
            spinner.update(PollingWait(since: since ?? now, attempt: attempt, nextAttempt: next))
            return
        }
        spinner?.stop()
        print(line(for: event))
    }

    /// Erases the spinner, if it runs: the flow ended or failed.
    func endWaiting() {
        spinner?.stop()
    }

    /// Free text between steps (not recorded in JSON).
    func say(_ text: String) {
        guard !json else { return }
        spinner?.stop()
        print(text)
    }

    private func number(_ step: FlowStep) -> String {
        terminal.styled(String(format: "%2d)", step.number), .bold)
    }

    func line(for event: FlowEvent) -> String {
        let indent = "    "
        switch event {
        case .stepStarted(let step):
            return "\(number(step)) \(step.title)"
        case .stepFinished(_, let detail):
            return indent + terminal.styled("✓", .green) + " " + detail
        case .stepSkipped(let step, let reason):
            return terminal.styled("\(String(format: "%2d)", step.number)) \(step.title) — skipped: \(reason)", .dim)
        case .stepAlreadyDone(let step, let detail):
            return terminal.styled("\(String(format: "%2d)", step.number)) \(step.title) — done earlier: \(detail)", .dim)
        case .waitingForUser(let what):
            return indent + terminal.styled("…", .cyan) + " waiting for you: " + what
        case .certificateNotYetDelivered(let attempt, let next):
            return indent + terminal.styled("…", .yellow) + " CERT_NOT_YET_DELIVERED (attempt \(attempt)); next attempt at \(Self.time(next))"
        case .retrying(let operation, let attempt, let delay, let reason):
            return indent + terminal.styled("↻", .yellow) + " \(operation.qualifiedName) failed (\(reason)); attempt \(attempt) in \(Self.seconds(delay))"
        case .notice(let text):
            return indent + terminal.styled("!", .yellow) + " " + text
        }
    }

    static func record(_ event: FlowEvent) -> Record {
        let now = Date()
        switch event {
        case .stepStarted(let step): return Record(event: "stepStarted", step: step.number, title: step.title, detail: nil, at: now)
        case .stepFinished(let step, let detail): return Record(event: "stepFinished", step: step.number, title: step.title, detail: detail, at: now)
        case .stepSkipped(let step, let reason): return Record(event: "stepSkipped", step: step.number, title: step.title, detail: reason, at: now)
        case .stepAlreadyDone(let step, let detail): return Record(event: "stepAlreadyDone", step: step.number, title: step.title, detail: detail, at: now)
        case .waitingForUser(let what): return Record(event: "waitingForUser", step: nil, title: nil, detail: what, at: now)
        case .certificateNotYetDelivered(let attempt, let next):
            return Record(event: "certificateNotYetDelivered", step: 9, title: nil, detail: "attempt \(attempt), next at \(ISO8601DateFormatter().string(from: next))", at: now)
        case .retrying(let operation, let attempt, let delay, let reason):
            return Record(event: "retrying", step: nil, title: operation.name, detail: "attempt \(attempt) in \(seconds(delay)): \(reason)", at: now)
        case .notice(let text): return Record(event: "notice", step: nil, title: nil, detail: text, at: now)
        }
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: date)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", duration.seconds)
    }
}
