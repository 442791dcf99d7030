import Foundation
import Generated
import Security

/// Activates a replacement ETK (protocol-facts "Replacement and activation"): until activateETK,
/// signed with the new eHealth authentication key, the new ETK waits (`WAIT_FOR_ACTIVATION`) and
/// senders keep encrypting for the old one. Done as its own step, once every system that
/// decrypts has the new keystore.
public struct ETKActivation: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The new ETK is now the one the platform hands out.
        case activated
        /// It already was (RENEW_ACTIVATION_ETK_ALREADY_ACTIF): nothing changed.
        case alreadyActive
    }

    public let endpoints: ServiceEndpoints
    public let settings: FlowSettings

    public init(endpoints: ServiceEndpoints, settings: FlowSettings = FlowSettings()) {
        self.endpoints = endpoints
        self.settings = settings
    }

    /// Activates the ETK of the keystore's `authentication` certificate.
    public func activate(keystore file: URL, password: String, progress: @escaping FlowProgress = { _ in }) async throws -> Outcome {
        let key: SoftwareSigningKey
        do {
            key = try Keystore(contentsOf: file, password: password).authenticationKey()
        } catch {
            throw CertManagerError(error)
        }
        if let certificate = key.certificateChain.first {
            try KeystoreEnvironment.check(certificate, file: file, against: settings.endpoints ?? endpoints, allowOther: settings.allowsOtherEnvironment)
        }
        return try await activate(signedWith: key, progress: progress)
    }

    public func activate(signedWith authenticationKey: any SigningKey, progress: @escaping FlowProgress = { _ in }) async throws -> Outcome {
        let client = try PlatformClient(endpoints: settings.endpoints ?? endpoints, connection: settings.connection, retry: settings.retry,
                                        sleeper: settings.sleeper, progress: progress)
        let request = try await client.sign(ActivateETKRequestType(issueInstant: .now, signature: .placeholder), with: authenticationKey)
        do {
            _ = try await client.call(.activateETK) { try await client.etkRA.activateETK(request) }
            return .activated
        } catch let error as CertManagerError where error.code == .etkAlreadyActive {
            // Activating twice is harmless: a repeated (or lost-answer) activation ends here.
            return .alreadyActive
        }
    }
}

extension CertManagerError.Code {
    /// activateETK: the ETK is already the active one.
    public static let etkAlreadyActive = Self("RENEW_ACTIVATION_ETK_ALREADY_ACTIF")
}
