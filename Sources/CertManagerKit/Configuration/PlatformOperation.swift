/// The operations of CertRA v2 and EtkRA v2 (protocol-facts "Operations"), with what the flows
/// need to know about each: whether repeating it is harmless, and which key signs it.
public enum PlatformOperation: String, Sendable, CaseIterable, Codable {
    case getActorQualities
    case getGenericOrganizationTypes
    case getExistingApplicationIds
    case generateContract
    case generateCertificate
    case getCertificate
    case getCertificateInfoForAuthenticationCertificate
    case getCertificateInfoForCitizen
    case generateRevocationContract
    case revoke
    case submitCSRForForeigner
    case startETKRegistration
    case completeETKRegistration
    case activateETK

    public enum Signer: Sendable, Equatable {
        case none
        case eIDAuthentication
        case eIDSignature
        case eHealthAuthentication
    }

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

    public var signer: Signer {
        switch self {
        case .getActorQualities, .getCertificateInfoForCitizen: .eIDAuthentication
        case .generateCertificate, .revoke: .eIDSignature
        case .getCertificateInfoForAuthenticationCertificate, .startETKRegistration, .completeETKRegistration, .activateETK: .eHealthAuthentication
        case .getGenericOrganizationTypes, .getExistingApplicationIds, .generateContract, .generateRevocationContract,
             .submitCSRForForeigner, .getCertificate: .none
        }
    }

    /// The operation of a SOAPAction such as `urn:be:fgov:ehealth:etee:certra:protocol:v2:generatecertificate`
    /// (the WSDL's casing is irregular, so the last part is compared without it).
    public init?(soapAction: String) {
        let name = soapAction.split(separator: ":").last.map { $0.lowercased() } ?? ""
        guard let operation = Self.allCases.first(where: { $0.rawValue.lowercased() == name }) else { return nil }
        self = operation
    }

    /// `CertRa.getActorQualities`, as the cookbook's diagrams name them.
    public var qualifiedName: String {
        switch self {
        case .startETKRegistration, .completeETKRegistration, .activateETK: "EtkRa.\(rawValue)"
        default: "CertRa.\(rawValue)"
        }
    }
}
