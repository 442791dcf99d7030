import ArgumentParser
import CertManagerKit

/// The documented exit codes of ehcert, so that scripts and monitoring can act on them.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// A local problem: files, the keystore, the work directory.
    case failure = 1
    /// The eHealth platform refused the request (an eHealth error code says why).
    case refused = 2
    /// Not finished yet: the certificate is not delivered; run `ehcert resume` later.
    case pending = 3
    /// The network or the platform is unavailable; try again later.
    case unavailable = 4
    /// The set-up: trust roots, endpoints, the eID, a password.
    case configuration = 5
    /// Stopped by the person: contract declined, Ctrl-C. `ehcert resume` continues.
    case cancelled = 6
    /// The request or the answer broke the protocol: a defect to report.
    case protocolViolation = 7
    /// `ehcert check`: a certificate needs attention (expires soon, replacement window open,
    /// no longer valid) or a keystore could not be checked.
    case attention = 8
    /// Wrong command-line usage (ArgumentParser's code).
    case usage = 64

    init(_ category: CertManagerError.Category) {
        switch category {
        case .invalidInput: self = .usage
        case .refused: self = .refused
        case .pending: self = .pending
        case .unavailable: self = .unavailable
        case .protocolViolation: self = .protocolViolation
        case .configuration: self = .configuration
        case .local: self = .failure
        case .cancelled: self = .cancelled
        }
    }

    var exitCode: ExitCode { ExitCode(rawValue) }

    /// For `--help`.
    static let documentation = """
    Exit codes: 0 success; 1 local failure (files, keystore); 2 refused by the eHealth platform; \
    3 pending, run `ehcert resume` later; 4 network or platform unavailable; 5 configuration \
    (trust roots, eID, password); 6 cancelled (contract declined, Ctrl-C; resumable); \
    7 protocol violation (a defect, please report); 8 `check` found a certificate needing \
    attention (expiring, replacement window open, invalid); 64 usage.
    """
}
