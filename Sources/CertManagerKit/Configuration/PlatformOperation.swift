import Generated

/// The operations of CertRA v2 and EtkRA v2, as the generated table lists them
/// (`ServiceOperation`); which key signs each is `ServiceOperation.signer` (Security).
public typealias PlatformOperation = ServiceOperation

extension ServiceOperation {
    /// Read-only operations: sending one again changes nothing at the platform, so transient
    /// failures may be retried automatically. The others change state; a flow recognises on
    /// `resume` whether they happened instead.
    public var isSafeToRepeat: Bool {
        switch self {
        case .getActorQualities, .getGenericOrganizationTypes, .getExistingApplicationIds, .generateContract,
             .getCertificate, .getCertificateInfoForAuthenticationCertificate, .getCertificateInfoForCitizen,
             .generateRevocationContract:
            true
        case .generateCertificate, .revoke, .submitCSRForForeigner, .startETKRegistration,
             .completeETKRegistration, .activateETK:
            false
        }
    }

    /// `CertRa.getActorQualities`, as the cookbook's diagrams name them.
    public var qualifiedName: String {
        switch service {
        case .certRaV2: "CertRa.\(name)"
        case .etkRaV2: "EtkRa.\(name)"
        }
    }
}
