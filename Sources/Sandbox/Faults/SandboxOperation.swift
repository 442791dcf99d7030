import Foundation
import Generated
import SOAPRuntime

/// The fourteen operations of CertRA v2 and EtkRA v2, by their WSDL names: what a fault plan
/// is keyed by.
public enum SandboxOperation: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
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

    public var description: String { rawValue }

    /// The request element inside `soapenv:Body`, which names the operation (the SOAPAction
    /// header is optional, so the body decides, as in the engine's dispatch).
    var inputElement: XMLName {
        typealias CertRA = CertRaV2Client.Operations
        typealias EtkRA = EtkRaV2Client.Operations
        switch self {
        case .getActorQualities: return CertRA.getActorQualities.inputElement
        case .getGenericOrganizationTypes: return CertRA.getGenericOrganizationTypes.inputElement
        case .getExistingApplicationIds: return CertRA.getExistingApplicationIds.inputElement
        case .generateContract: return CertRA.generateContract.inputElement
        case .generateCertificate: return CertRA.generateCertificate.inputElement
        case .getCertificate: return CertRA.getCertificate.inputElement
        case .getCertificateInfoForAuthenticationCertificate: return CertRA.getCertificateInfoForAuthenticationCertificate.inputElement
        case .getCertificateInfoForCitizen: return CertRA.getCertificateInfoForCitizen.inputElement
        case .generateRevocationContract: return CertRA.generateRevocationContract.inputElement
        case .revoke: return CertRA.revoke.inputElement
        case .submitCSRForForeigner: return CertRA.submitCSRForForeigner.inputElement
        case .startETKRegistration: return EtkRA.startETKRegistration.inputElement
        case .completeETKRegistration: return EtkRA.completeETKRegistration.inputElement
        case .activateETK: return EtkRA.activateETK.inputElement
        }
    }

    private static let byInputElement = Dictionary(uniqueKeysWithValues: allCases.map { ($0.inputElement, $0) })

    /// The operation a request envelope asks for; nil when the body is not a request of either
    /// service (the engine then answers with its SOA fault, faults or not).
    public init?(requestBody: Data) {
        guard let payload = try? SOAPEnvelope.parse(requestBody, limits: SandboxEngine.requestLimits).payload,
              let operation = Self.byInputElement[payload.name] else { return nil }
        self = operation
    }

    /// Accepts the WSDL name in any letter case (`getcertificate`, as a SOAPAction's last part).
    public init?(name: String) {
        guard let operation = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = operation
    }
}
