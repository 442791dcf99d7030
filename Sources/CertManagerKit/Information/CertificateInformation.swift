import Foundation
import Generated
import Security

/// Asks the platform about certificates: one keystore's (getCertificateInfoForAuthenticationCertificate,
/// signed with the keystore's eHealth `authentication` key) or all those an eID holder manages
/// (getCertificateInfoForCitizen, signed with the eID Authentication key).
public struct CertificateInformation: Sendable {
    public let endpoints: ServiceEndpoints
    public let settings: FlowSettings

    public init(endpoints: ServiceEndpoints, settings: FlowSettings = FlowSettings()) {
        self.endpoints = endpoints
        self.settings = settings
    }

    /// The status of the keystore's certificate and ETK.
    ///
    /// - Throws: `CertManagerError` with code `CERTIFICATE_EXPIRED` for an expired certificate,
    ///   before anything is sent: its key can no longer sign the request (the platform refuses the
    ///   signature with no published code), and only a new certificate helps.
    public func status(ofKeystore file: URL, password: String, now: Date = Date(),
                       progress: @escaping FlowProgress = { _ in }) async throws -> CertificateStatus {
        let key: SoftwareSigningKey
        do {
            key = try Keystore(contentsOf: file, password: password).authenticationKey()
        } catch {
            throw CertManagerError(error)
        }
        if let certificate = key.certificateChain.first {
            try KeystoreEnvironment.check(certificate, file: file, against: settings.endpoints ?? endpoints, allowOther: settings.allowsOtherEnvironment)
        }
        if let certificate = key.certificateChain.first, certificate.notValidAfter <= now {
            throw CertManagerError(.certificateExpired, .refused,
                                   reason: "the certificate expired on \(CertificateStatus.day(certificate.notValidAfter)); the platform no longer accepts its signature",
                                   advice: "An expired certificate cannot be renewed: request a new one (`create`).")
        }
        return try await status(signedWith: key, progress: progress)
    }

    /// The status of the certificate whose key is `authenticationKey`.
    public func status(signedWith authenticationKey: any SigningKey, progress: @escaping FlowProgress = { _ in }) async throws -> CertificateStatus {
        let client = try makeClient(progress)
        let request = try await client.sign(
            GetCertificateInfoForAuthenticationCertificateRequestType(issueInstant: .now, signature: .placeholder), with: authenticationKey)
        let response = try await client.call(.getCertificateInfoForAuthenticationCertificate) {
            try await client.certRA.getCertificateInfoForAuthenticationCertificate(request)
        }
        guard let info = response.certificateInfo else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation,
                                   reason: "getCertificateInfoForAuthenticationCertificate answered Success without CertificateInfo",
                                   advice: "Report it with a trace (--trace-dir).",
                                   operation: PlatformOperation.getCertificateInfoForAuthenticationCertificate.qualifiedName)
        }
        return try Self.converted(info, operation: .getCertificateInfoForAuthenticationCertificate)
    }

    /// Every certificate the eID holder has or manages, oldest request first.
    public func certificates(of eID: any EIDKeySource, progress: @escaping FlowProgress = { _ in }) async throws -> [CertificateStatus] {
        let client = try makeClient(progress)
        let key: any SigningKey
        do { key = try await eID.authenticationKey() } catch { throw CertManagerError(error) }
        let request = try await client.sign(GetCertificateInfoForCitizenRequestType(issueInstant: .now, signature: .placeholder), with: key)
        let response = try await client.call(.getCertificateInfoForCitizen) {
            try await client.certRA.getCertificateInfoForCitizen(request)
        }
        return try response.certificateInfo.map { try Self.converted($0, operation: .getCertificateInfoForCitizen) }
    }

    private func makeClient(_ progress: @escaping FlowProgress) throws -> PlatformClient {
        try PlatformClient(endpoints: settings.endpoints ?? endpoints, connection: settings.connection, retry: settings.retry,
                           sleeper: settings.sleeper, progress: progress)
    }

    static func converted(_ info: CertificateInfoType, operation: PlatformOperation) throws -> CertificateStatus {
        do {
            return try CertificateStatus(info)
        } catch {
            throw CertManagerError(error, operation: operation.qualifiedName)
        }
    }
}
