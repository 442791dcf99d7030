import Generated

/// Which key signs an operation's request: protocol-facts "Operations, SOAP actions and who
/// signs" (cookbook 4.3.4, 4.3.6). Stated here once; the client signs with it and the sandbox
/// checks it. An operation a new WSDL adds does not compile until someone decides.
public enum RequestSigner: Sendable, Equatable {
    /// Not signed.
    case none
    /// The person's eID authentication key.
    case eIDAuthentication
    /// The eID's signature (non-repudiation) key: a legal signature.
    case eIDSignature
    /// An eHealth authentication key, asking about its own certificate.
    case eHealthAuthentication
    /// An eHealth authentication key registering or activating its own ETK; EtkRA names a signer
    /// it refuses with its ETK_REQUESTED_FOR_AUTH_CERT_* codes (cookbook 7.1).
    case eHealthETKOwner

    public var isEHealth: Bool { self == .eHealthAuthentication || self == .eHealthETKOwner }
}

extension ServiceOperation {
    public var signer: RequestSigner {
        switch self {
        case .getActorQualities, .getCertificateInfoForCitizen: .eIDAuthentication
        case .generateCertificate, .revoke: .eIDSignature
        case .getCertificateInfoForAuthenticationCertificate: .eHealthAuthentication
        case .startETKRegistration, .completeETKRegistration, .activateETK: .eHealthETKOwner
        case .getGenericOrganizationTypes, .getExistingApplicationIds, .generateContract, .generateRevocationContract,
             .submitCSRForForeigner, .getCertificate: .none
        }
    }
}
