/// Codes of the ETK registration steps: the challenge (cookbook 4.3.4.7), the encryption
/// certificate (4.3.4.8) and the ETK itself. Where cookbook 7.1 names the condition, the code is
/// the platform's.
extension SecurityError.Code {
    /// The ETK's signer (the ETK-RA certificate) does not chain to the eHealth roots.
    public static let etkSignerUntrusted = Self("ETK_SIGNER_UNTRUSTED")
    /// The challenge is too short to hold `C || H`.
    public static let challengeMalformed = Self("ETK_CHALLENGE_MALFORMED")
    /// `C` does not decrypt (PKCS#1 v1.5) with the encryption private key.
    public static let challengeDecryptionFailed = Self("ETK_CHALLENGE_DECRYPTION_FAILED")
    /// SHA-256 of the decrypted serial number is not the challenge's last 32 bytes.
    public static let challengeDigestMismatch = Self("ETK_CHALLENGE_DIGEST_MISMATCH")
    /// The encryption key is not the RSA 2048 key StartETKRegistration requires (cookbook 4.3.4.7).
    public static let encryptionKeyInvalid = Self("ETK_ENCRYPTION_KEY_INVALID")

    /// The encryption certificate is not a DER X.509 v3 certificate, or could not be made.
    public static let encryptionCertificateInvalid = Self("ETK_ENCRYPTION_CERTIFICATE_INVALID")
    /// Its serial number is not the challenge's.
    public static let encryptionCertificateSerialMismatch = Self("ETK_ENCRYPTION_CERTIFICATE_SERIAL_MISMATCH")
    /// Its subject is not the authentication certificate's subject.
    public static let encryptionCertificateSubjectMismatch = Self("ETK_ENCRYPTION_CERTIFICATE_SUBJECT_MISMATCH")
    /// Its issuer is not the authentication certificate's subject.
    public static let encryptionCertificateIssuerMismatch = Self("ETK_ENCRYPTION_CERTIFICATE_ISSUER_MISMATCH")
    /// Its notBefore/notAfter are not the authentication certificate's.
    public static let encryptionCertificateValidityMismatch = Self("ETK_ENCRYPTION_CERTIFICATE_VALIDITY_MISMATCH")
    /// Its keyUsage is not critical keyEncipherment + dataEncipherment.
    public static let encryptionCertificateKeyUsageInvalid = Self("ETK_ENCRYPTION_CERTIFICATE_KEY_USAGE_INVALID")
    /// Its signature algorithm is not the authentication certificate's (cookbook 4.3.4.8).
    public static let encryptionCertificateSignatureAlgorithmMismatch = Self("ETK_ENCRYPTION_CERTIFICATE_SIGNATURE_ALGORITHM_MISMATCH")
    /// Its signature does not verify with the authentication certificate's public key.
    public static let encryptionCertificateSignatureInvalid = Self("ETK_ENCRYPTION_CERTIFICATE_SIGNATURE_INVALID")
    /// "The public key for the given ToBeRegistered is not yet registered" (cookbook 7.1): its
    /// public key is not the one StartETKRegistration registered.
    public static let publicKeyNotYetRegistered = Self("PUBLIC_KEY_NOT_YET_REGISTERED")
    /// "The encryption token is requested for an authentication certificate that is expired" (cookbook 7.1).
    public static let authenticationCertificateExpired = Self("ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED")
    /// "… for an authentication certificate that is not yet valid" (cookbook 7.1).
    public static let authenticationCertificateNotYetValid = Self("ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID")

    /// The ETK is not a DER/BER CMS SignedData with an encapsulated certificate.
    public static let etkMalformed = Self("ETK_MALFORMED")
    /// The ETK's SignedData signature does not verify.
    public static let etkSignatureInvalid = Self("ETK_SIGNATURE_INVALID")
    /// An ETK could not be signed (sandbox side).
    public static let etkSigningFailed = Self("ETK_SIGNING_FAILED")
}
