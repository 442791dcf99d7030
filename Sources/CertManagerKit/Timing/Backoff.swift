import Foundation

/// Growing pauses between attempts: `initial`, then multiplied by `multiplier` after each
/// attempt, never above `maximum`. Optional jitter spreads clients that failed together.
public struct Backoff: Sendable, Equatable, Codable {
    public var initial: Duration
    public var multiplier: Double
    public var maximum: Duration
    /// 0 for none; 0.2 makes each pause a random value within ±20 % of the nominal one.
    public var jitter: Double

    public init(initial: Duration, multiplier: Double = 2, maximum: Duration, jitter: Double = 0) {
        precondition(multiplier >= 1, "a backoff must not shrink")
        precondition((0...1).contains(jitter), "jitter is a fraction between 0 and 1")
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = max(initial, maximum)
        self.jitter = jitter
    }

    /// The pause after attempt number `attempt` (1 for the pause after the first attempt).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let nominal = nominalDelay(afterAttempt: attempt)
        guard jitter > 0 else { return nominal }
        let seconds = nominal.seconds * Double.random(in: (1 - jitter)...(1 + jitter))
        return .seconds(min(seconds, maximum.seconds * (1 + jitter)))
    }

    /// The same without jitter: `initial × multiplier^(attempt−1)`, capped.
    public func nominalDelay(afterAttempt attempt: Int) -> Duration {
        let exponent = Double(max(attempt, 1) - 1)
        let seconds = initial.seconds * pow(multiplier, exponent)
        guard seconds.isFinite, seconds < maximum.seconds else { return maximum }
        return .seconds(seconds)
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
