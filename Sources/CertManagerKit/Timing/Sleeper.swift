import Foundation

/// Waits between attempts. Tests substitute one that records the pauses instead of sleeping.
public protocol Sleeper: Sendable {
    /// Throws `CancellationError` when the task is cancelled while waiting.
    func sleep(for duration: Duration) async throws
    /// The current time, for "next attempt at" notices.
    var now: Date { get }
}

/// Real time.
public struct TaskSleeper: Sleeper {
    public init() {}

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }

    public var now: Date { Date() }
}
