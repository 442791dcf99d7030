import Generated
import SOAPRuntime

/// A request the eHealth services want signed: a generated request element that carries an `Id`
/// (the Reference target) and a `ds:Signature` as its last child.
public protocol SignableRequest: RequestTypeProtocol, XMLRootElement {
    var id: String? { get set }
    /// Puts `signature` into the request's `ds:Signature` member (the element's last child).
    mutating func attachSignature(_ signature: SignatureType)
}

// The signed operations of protocol-facts.md ("Operations, SOAP actions and who signs").
extension GetActorQualitiesRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}

extension GenerateCertificateRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}

extension GetCertificateInfoForAuthenticationCertificateRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}

extension GetCertificateInfoForCitizenRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}

extension RevokeRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}

extension StartETKRegistrationRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}

/// The schema makes this one's signature optional; the platform wants it signed with the same
/// eHealth authentication key as StartETKRegistration (protocol-facts.md).
extension CompleteETKRegistrationRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}

extension ActivateETKRequestType: SignableRequest {
    public mutating func attachSignature(_ signature: SignatureType) { self.signature = signature }
}
