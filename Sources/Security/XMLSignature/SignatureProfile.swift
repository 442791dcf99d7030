/// The eHealth XML signature profile (cookbook 4.3.2, protocol-facts.md "Signature profile"):
/// an enveloped signature with one Reference to the request's `Id`, transforms
/// enveloped-signature then exclusive C14N, SHA-256 digest, exclusive C14N for SignedInfo, an
/// RSA-SHA256 or ECDSA signature method chosen from the key, and the chain (root excluded) in
/// `KeyInfo/X509Data`. Both the signer and the verifier read their URIs from here.
public enum SignatureProfile {
    public static let namespace = "http://www.w3.org/2000/09/xmldsig#"
    public static let envelopedSignatureTransform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    public static let canonicalization = ExclusiveCanonicalization.algorithm
    public static let digestMethod = "http://www.w3.org/2001/04/xmlenc#sha256"
    /// The transforms of the one Reference, in this order.
    public static let transforms = [envelopedSignatureTransform, canonicalization]

    /// Algorithms the verifier names as weak rather than merely outside the profile: SHA-1 and
    /// MD5 digests and signatures, DSA, and HMAC (a shared secret proves nothing about the signer).
    static func isWeak(_ uri: String) -> Bool {
        let weakURIs: Set<String> = [
            "http://www.w3.org/2000/09/xmldsig#sha1",
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
            "http://www.w3.org/2001/04/xmldsig-more#md5",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-md5",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
            "http://www.w3.org/2009/xmldsig11#dsa-sha256",
        ]
        return weakURIs.contains(uri) || uri.contains("hmac-") || uri.contains("#dsa-")
    }
}

extension SecurityError.Code {
    /// The document has no `ds:Signature` at all.
    public static let signatureMissing = Self("XMLDSIG_SIGNATURE_MISSING")
    /// A `ds:Signature` exists, but not as the last child of the element being verified (moved
    /// into a child, or followed by other content).
    public static let signatureRelocated = Self("XMLDSIG_SIGNATURE_RELOCATED")
    /// The element the application reads is not the signed one: a signed element sits elsewhere
    /// in the document (moved under a wrapper while a forged element took its place).
    public static let signatureWrapping = Self("XMLDSIG_SIGNATURE_WRAPPING")
    /// More than one `ds:Signature` in the document.
    public static let multipleSignatures = Self("XMLDSIG_MULTIPLE_SIGNATURES")
    /// An `Id` value occurs more than once in the document, so a reference to it is ambiguous.
    public static let duplicateID = Self("XMLDSIG_DUPLICATE_ID")
    /// The one Reference does not point at the element being verified.
    public static let referenceToOtherElement = Self("XMLDSIG_REFERENCE_TO_OTHER_ELEMENT")
    /// SignedInfo does not hold exactly one Reference.
    public static let unexpectedReferences = Self("XMLDSIG_UNEXPECTED_REFERENCES")
    /// The transforms are not exactly [enveloped-signature, exclusive C14N], or SignedInfo is not
    /// canonicalized with exclusive C14N (without comments).
    public static let unexpectedTransforms = Self("XMLDSIG_UNEXPECTED_TRANSFORMS")
    /// A SHA-1, MD5, DSA or HMAC algorithm.
    public static let weakAlgorithm = Self("XMLDSIG_WEAK_ALGORITHM")
    /// An algorithm that is neither weak nor part of the eHealth profile.
    public static let unsupportedAlgorithm = Self("XMLDSIG_UNSUPPORTED_ALGORITHM")
    /// The signature's structure breaks the profile (missing KeyInfo, Object elements, bad base64...).
    public static let malformedSignature = Self("XMLDSIG_MALFORMED_SIGNATURE")
    /// The element being verified is not the one expected (wrong name, or not a SOAP 1.1 body payload).
    public static let unexpectedSignedElement = Self("XMLDSIG_UNEXPECTED_SIGNED_ELEMENT")
    /// The signed element was changed after signing: its digest no longer matches the DigestValue
    /// of an authentic SignedInfo.
    public static let contentAltered = Self("XMLDSIG_CONTENT_ALTERED")
    /// SignedInfo (typically its DigestValue) was changed after signing: the signature value was
    /// made by the KeyInfo certificate's key, but over other bytes.
    public static let signedInfoAltered = Self("XMLDSIG_SIGNED_INFO_ALTERED")
    /// The signature value does not verify, and nothing more precise can be said (ECDSA), or it
    /// is malformed (wrong length for the key).
    public static let badSignatureValue = Self("XMLDSIG_BAD_SIGNATURE_VALUE")
    /// The signature was not made with the key of the KeyInfo certificate (a certificate swapped
    /// in, or a key that does not fit the SignatureMethod).
    public static let wrongKey = Self("XMLDSIG_WRONG_KEY")
    /// The KeyInfo chain does not lead to a configured trust root.
    public static let untrustedChain = Self("XMLDSIG_UNTRUSTED_CHAIN")
    /// A certificate of the chain has expired at the verification time.
    public static let certificateExpired = Self("XMLDSIG_CERTIFICATE_EXPIRED")
    /// A certificate of the chain is not yet valid at the verification time.
    public static let certificateNotYetValid = Self("XMLDSIG_CERTIFICATE_NOT_YET_VALID")
}
