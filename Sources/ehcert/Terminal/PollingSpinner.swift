import CertManagerKit
import Foundation

/// While the flow waits for the certificate, one line on standard error redrawn in place: a
/// spinner frame, the time waited, the attempts and when the next one goes (`PollingWait`).
/// Only on a terminal; the line is erased before anything else is printed.
final class PollingSpinner: @unchecked Sendable {
    private let terminal: Terminal
    private let interval: Duration
    private let lock = NSLock()
    private var wait: PollingWait?
    private var frame = 0
    private var task: Task<Void, Never>?

    init(terminal: Terminal = .standardError, interval: Duration = .milliseconds(120)) {
        self.terminal = terminal
        self.interval = interval
    }

    /// Shows `wait` from now on; starts redrawing if it was not.
    func update(_ wait: PollingWait) {
        let start: Bool = lock.withLock {
            self.wait = wait
            return task == nil
        }
        draw()
        guard start else { return }
        let interval = self.interval
        let redraw = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                self?.draw()
            }
        }
        lock.withLock { task = redraw }
    }

    /// Erases the line and stops redrawing; nothing happens when it is not running.
    func stop() {
        let running: Bool = lock.withLock {
            defer {
                task?.cancel()
                task = nil
                wait = nil
            }
            return wait != nil
        }
        if running { FileHandle.standardError.write(Data(Self.erase.utf8)) }
    }

    private func draw() {
        let text: String? = lock.withLock {
            guard let wait else { return nil }
            frame += 1
            return Self.render(wait, frame: frame, at: Date(), columns: Terminal.standardErrorColumns, terminal: terminal)
        }
        if let text { FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// Back to the start of the line, and erase it.
    static let erase = "\r\u{1B}[K"

    /// What one redraw writes: back to the line's start, the line cut to the terminal's width (a
    /// wrapped line could not be redrawn in place), and the rest of the old line erased.
    static func render(_ wait: PollingWait, frame: Int, at now: Date, columns: Int, terminal: Terminal,
                       timeZone: TimeZone = .current) -> String {
        let summary = wait.summary(at: now, timeZone: timeZone)
        let room = max(10, columns - 7)
        let fitted = summary.count > room ? String(summary.prefix(room - 1)) + "…" : summary
        return "\r    " + terminal.styled(String(PollingWait.frame(frame)), .cyan) + " " + fitted + "\u{1B}[K"
    }
}
