import Synchronization

/// The running sandbox's fault plan, changed while it serves: an in-process test injects a
/// fault right before the call it is about, from any task. `ehcert-sandbox serve --fault`
/// gives the initial plan (``SandboxConfiguration/faults``) to out-of-process tests.
public final class SandboxFaults: Sendable {
    /// A fault the server applied, for tests that check it struck where they meant it to.
    public struct Applied: Sendable, Hashable {
        public let operation: SandboxOperation
        public let fault: SandboxFault

        public init(operation: SandboxOperation, fault: SandboxFault) {
            self.operation = operation
            self.fault = fault
        }
    }

    private let state: Mutex<(plan: SandboxFaultPlan, applied: [Applied])>

    public init(_ plan: SandboxFaultPlan = SandboxFaultPlan()) {
        state = Mutex((plan, []))
    }

    /// The rules still pending.
    public var plan: SandboxFaultPlan { state.withLock { $0.plan } }

    /// Every fault applied so far, in order.
    public var applied: [Applied] { state.withLock { $0.applied } }

    /// Spoils the next `count` calls of `operation` with `fault` (after any rules already
    /// queued for that operation).
    public func inject(_ fault: SandboxFault, on operation: SandboxOperation, count: SandboxFaultPlan.Count = .times(1)) {
        state.withLock { $0.plan.add(fault, on: operation, count: count) }
    }

    /// Replaces the whole plan.
    public func replace(with plan: SandboxFaultPlan) {
        state.withLock { $0.plan = plan }
    }

    /// Removes every pending rule; the record of applied faults stays.
    public func removeAll() {
        state.withLock { $0.plan = SandboxFaultPlan() }
    }

    /// Whether any rule is pending: when none is, the server does not even look at which
    /// operation a request is.
    package var isEmpty: Bool { state.withLock { $0.plan.isEmpty } }

    /// The fault for the call of `operation` that just arrived, counted and recorded.
    package func take(for operation: SandboxOperation, answersOnly: Bool = false) -> SandboxFault? {
        state.withLock { state in
            guard let fault = state.plan.take(for: operation, answersOnly: answersOnly) else { return nil }
            state.applied.append(Applied(operation: operation, fault: fault))
            return fault
        }
    }
}
