/// Refusals the platform certainly makes but whose code the cookbook does not publish (chapter 7
/// lists the CSR_*, ETK_*, AUTH_CERT_* and RENEW_* codes only). The sandbox answers these cases
/// with the names below (and XMLDSIG_* codes for signature checks), and says in the message that
/// the code is the sandbox's, so that nobody writes a client that matches on them: against the
/// platform, treat an unknown code as a refusal and show its message.
public enum SandboxOnlyCode {
    /// Every sandbox-only code, with the situation it stands for.
    public static let all: [String: String] = [
        "SIGNER_IS_NOT_THE_ACTOR": "getActorQualities for an SSIN other than the signer's own",
        "SIGNER_IS_NOT_THE_CONTRACT_SIGNER": "generateCertificate or revoke signed by someone else than the contract's Signer",
        "SIGNER_NOT_ALLOWED_TO_REVOKE": "revoke by someone who neither owns the certificate nor manages its organization",
        "SIGNATURE_KEY_NOT_ALLOWED": "a request signed with the eID key the operation does not take (Authentication vs Signature)",
        "CONTRACT_NOT_VALID": "a contract that generateContract or generateRevocationContract did not issue, or that was modified",
        "NO_QUALITY_FOUND": "a person without any health-care quality asking for a personal certificate",
        "CSR_REFUSED": "getCertificate for a request that an operator refused",
        "CERTIFICATE_NOT_REVOCABLE": "revoking a certificate that is already revoked or expired",
        "PUBLIC_KEY_NOT_VALID": "startETKRegistration with an encryption key that is no usable RSA or EC public key",
        "NO_ETK_TO_ACTIVATE": "activateETK when no replacement ETK waits for activation",
    ]

    /// The codes the cookbook publishes (chapter 7, and CERT_NOT_YET_DELIVERED from 4.3.4). Any
    /// other code, including the XMLDSIG_* ones of the signature checks, is marked as the sandbox's.
    public static let published: Set<String> = [
        "CSR_NOT_VALID", "CSR_SIGNATURE_NOT_VALID", "CSR_INVALID_NO_SUBJECT_PRESENT", "CSR_INVALID_PUBLIC_KEY_INVALID",
        "CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED", "CSR__CSR_DELIVERY_TO_CA_FAILED__INVALID_SIGN_KEY_PWD",
        "CSR__INPUT_NOT_PARSEBLE_INTO_CSR", "CSR__INPUT_NOT_UNMARSHALLABLE_INTO_EHCSR", "CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS",
        "CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED", "CSR_INVALID_DN_INVALID", "CSR_PUB_KEY_NOT_UNIQUE",
        "CSR_ALREADY_VALIDATED", "AUTH_CERT_NOT_YET_VALID", "ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA",
        "ETK_REQUESTED_FOR_AUTH_CERT_REVOKED", "ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED", "ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID",
        "REQUEST_HAS_NO_VALID_CMS_FORMAT", "AUTH_CERT_NOT_FOUND", "PUBLIC_KEY_NOT_YET_REGISTERED", "NO_VALID_AUTH_CERT_FOUND",
        "AUTH_CERT_NOT_VALID", "VALID_ETK_ALREADY_EXISTS", "RENEW_ACTIVATION_ETK_ALREADY_ACTIF",
        "RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD", "EHCSR__SIGNED_DATA_HAS_NO_CONTENT", "CERT_NOT_YET_DELIVERED",
    ]

    static let notice = " [sandbox-only code: the platform's code for this case is not published]"

    /// `message`, marked when `code` is not one the platform publishes.
    static func marked(_ message: String, code: String) -> String {
        published.contains(code) ? message : message + notice
    }
}
