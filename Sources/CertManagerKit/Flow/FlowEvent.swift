import Foundation

/// What a flow reports while it runs, for a front end to display (numbered step lines, a polling
/// spinner, a prompt). Events carry no secrets; they are meant for the person running the flow
/// and so name their own identifiers (logs, in contrast, mask SSINs: ``PersonalData``).
public enum FlowEvent: Sendable, Equatable {
    case stepStarted(FlowStep)
    /// The step is done; `detail` says what came of it.
    case stepFinished(FlowStep, detail: String)
    /// The step does not apply to this flow (e.g. organization types for a natural person).
    case stepSkipped(FlowStep, reason: String)
    /// The journal shows the step was done in an earlier run; it is not repeated.
    case stepAlreadyDone(FlowStep, detail: String)
    /// The flow waits for the person (reading the contract, a PIN).
    case waitingForUser(String)
    /// getCertificate answered CERT_NOT_YET_DELIVERED; the next attempt is at `nextAttempt`.
    case certificateNotYetDelivered(attempt: Int, nextAttempt: Date)
    /// A call that is safe to repeat failed for a transient reason and is sent again.
    case retrying(PlatformOperation, attempt: Int, delay: Duration, reason: String)
    /// Something worth telling that is not a step.
    case notice(String)
}

/// Receives a flow's events. Called on the flow's task; keep it quick.
public typealias FlowProgress = @Sendable (FlowEvent) -> Void
