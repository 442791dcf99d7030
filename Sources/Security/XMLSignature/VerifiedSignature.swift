import Foundation
import SOAPRuntime
import X509

/// What a successful verification established.
public struct VerifiedSignature: Sendable {
    /// The name of the verified (signed) element.
    public let signedElementName: XMLName
    /// Its `Id`, the one the Reference names.
    public let signedElementID: String
    /// The exclusive canonical form of the signed element without its `ds:Signature`: exactly
    /// the bytes the digest covers, so exactly what the signer vouched for.
    public let canonicalSignedElement: Data
    /// The signer's certificate, then its issuers, ending with the trust root it chains to.
    public let signerChain: [Certificate]
    public let signatureAlgorithm: SignatureAlgorithm

    /// The signer's certificate.
    public var signer: Certificate { signerChain[0] }

    /// The signed content as an element to read (no `ds:Signature` in it: it is what was signed,
    /// nothing else). To decode a generated request type, which includes its signature, use
    /// `SignatureVerifier.verifyAndDecode`.
    public func signedElement(limits: XMLParseLimits = .default) throws -> SOAPRuntime.XMLElement {
        try XMLDocument(parsing: canonicalSignedElement, limits: limits).root
    }
}
