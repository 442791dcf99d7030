/// What each error code of the platform means and what to do about it: cookbook chapter 7.1
/// (eHealth codes in `EteeStatusDetail`) and 7.2 (SOA faults of the WS-I check).
public enum PlatformErrorCatalog {
    public struct Entry: Sendable, Equatable {
        public let code: String
        public let category: CertManagerError.Category
        /// The cookbook's message.
        public let meaning: String
        /// What to do.
        public let advice: String
    }

    /// The entry for a code, if the cookbook lists it.
    public static func entry(for code: String) -> Entry? {
        entries[code]
    }

    /// Every code of cookbook chapter 7, in the cookbook's order.
    public static var codes: [String] { ordered.map(\.code) }

    private static let entries: [String: Entry] = Dictionary(ordered.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    private static let defect = "This is a defect of the client software, not something you did: report it with the trace (--trace-dir) to the software's supplier."

    private static let ordered: [Entry] = [
        // 7.1: certificate signing requests (generateCertificate, submitCSRForForeigner).
        Entry(code: "CSR_NOT_VALID", category: .protocolViolation,
              meaning: "The given CSR is not a valid PKCS10 CSR.", advice: defect),
        Entry(code: "CSR_SIGNATURE_NOT_VALID", category: .protocolViolation,
              meaning: "The given CSR has an invalid signature.", advice: defect),
        Entry(code: "CSR_INVALID_NO_SUBJECT_PRESENT", category: .protocolViolation,
              meaning: "The given CSR does not contain a subject (=owner).", advice: defect),
        Entry(code: "CSR_INVALID_PUBLIC_KEY_INVALID", category: .protocolViolation,
              meaning: "The given CSR contains an invalid public key.",
              advice: "The eHealth authentication key must be RSA 2048. " + defect),
        Entry(code: "CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED", category: .unavailable,
              meaning: "The signing of the CSR in order to pass it to the CA failed.",
              advice: "The platform's certification authority had a problem. Try again later with `resume`; if it persists, contact the eHealth service desk."),
        Entry(code: "CSR__CSR_DELIVERY_TO_CA_FAILED__INVALID_SIGN_KEY_PWD", category: .unavailable,
              meaning: "The CSR could not be signed because the password for the signature key is invalid.",
              advice: "This is a problem on the platform's side. Try again later with `resume`; if it persists, contact the eHealth service desk."),
        Entry(code: "CSR__INPUT_NOT_PARSEBLE_INTO_CSR", category: .protocolViolation,
              meaning: "The input could not be parsed in to a CSR.", advice: defect),
        Entry(code: "CSR__INPUT_NOT_UNMARSHALLABLE_INTO_EHCSR", category: .protocolViolation,
              meaning: "The input could not be unmarshalled into an eHealthCSR.", advice: defect),
        Entry(code: "CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS", category: .refused,
              meaning: "A valid authentication certificate that is not expiring soon already exists for this owner.",
              advice: "Use the existing certificate and keystore. A new one can be requested only in its replacement period (about 3 months before expiry: `renew`), or after revoking it."),
        Entry(code: "CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED", category: .refused,
              meaning: "There is already an approved CSR in process of being certified for this DN.",
              advice: "A request for this owner is already being processed: finish that one (`resume` the flow that sent it) instead of starting another."),
        Entry(code: "CSR_INVALID_DN_INVALID", category: .protocolViolation,
              meaning: "The distinguished name in the CSR is not according to the eHealth policy.",
              advice: "The CSR must carry exactly the DN that generateContract returned. " + defect),
        Entry(code: "CSR_PUB_KEY_NOT_UNIQUE", category: .refused,
              meaning: "The CSR is not unique: its public key was already submitted.",
              advice: "If this flow sent it before, it continues by polling for the certificate; otherwise start a new request (a new key is made)."),
        Entry(code: "CSR_ALREADY_VALIDATED", category: .refused,
              meaning: "The CSR was already validated.",
              advice: "Continue by fetching the certificate (`resume`)."),
        Entry(code: "CERT_NOT_YET_DELIVERED", category: .pending,
              meaning: "Your certificate is not yet delivered. Try to get it later.",
              advice: "Run `resume` later. With manual validation this can take days; the eHealth platform sends an e-mail when the certificate is ready."),
        Entry(code: "AUTH_CERT_NOT_YET_VALID", category: .pending,
              meaning: "The authentication certificate has been delivered but is not yet valid.",
              advice: "Run `resume` once the certificate's validity has started (check the date in the message)."),
        // 7.1: ETK registration (startETKRegistration, completeETKRegistration, activateETK).
        Entry(code: "ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA", category: .refused,
              meaning: "The encryption token is requested for an authentication certificate that is not issued by the CA of eHealth.",
              advice: "Sign with the eHealth authentication key delivered by getCertificate (alias `authentication`), not with an eID or another key."),
        Entry(code: "ETK_REQUESTED_FOR_AUTH_CERT_REVOKED", category: .refused,
              meaning: "The encryption token is requested for an authentication certificate that is revoked by the CA of eHealth.",
              advice: "This certificate can no longer be used: request a new certificate (`create`)."),
        Entry(code: "ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED", category: .refused,
              meaning: "The encryption token is requested for an authentication certificate that is expired.",
              advice: "An expired certificate cannot be renewed, only requested anew (`create`)."),
        Entry(code: "ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID", category: .pending,
              meaning: "The encryption token is requested for an authentication certificate that is not yet valid.",
              advice: "Run `resume` once the certificate's validity has started; check this computer's clock too."),
        Entry(code: "REQUEST_HAS_NO_VALID_CMS_FORMAT", category: .protocolViolation,
              meaning: "The request has no eHealth authorized CMS format.",
              advice: "Contact the eHealth service desk. " + defect),
        Entry(code: "AUTH_CERT_NOT_FOUND", category: .refused,
              meaning: "An authentication certificate corresponding to the given ToBeRegistered is not found in the ETK database.",
              advice: "The encryption certificate must be signed with the same eHealth authentication key that started the registration; `resume` starts the registration again."),
        Entry(code: "PUBLIC_KEY_NOT_YET_REGISTERED", category: .refused,
              meaning: "The public key for the given ToBeRegistered is not yet registered.",
              advice: "The registration must be started (startETKRegistration) with this encryption key first; `resume` does that."),
        Entry(code: "NO_VALID_AUTH_CERT_FOUND", category: .refused,
              meaning: "No authentication certificate with status valid has been found in the ETK RA.",
              advice: "The certificate is not (or no longer) valid at the platform: check it with `status`; request a new one if it was revoked or expired."),
        Entry(code: "AUTH_CERT_NOT_VALID", category: .refused,
              meaning: "The given authentication certificate is not identical to the one registered.",
              advice: "Sign with the authentication certificate delivered for this request (alias `authentication` of the flow's keystore)."),
        Entry(code: "VALID_ETK_ALREADY_EXISTS", category: .refused,
              meaning: "An ETK already exists for the given public key.",
              advice: "This encryption key is already registered; if this flow registered it, its keystore is complete. Otherwise use a new encryption key."),
        Entry(code: "RENEW_ACTIVATION_ETK_ALREADY_ACTIF", category: .refused,
              meaning: "The ETK to activate is already active.",
              advice: "Nothing to do: the ETK is already in use."),
        Entry(code: "RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD", category: .refused,
              meaning: "Not yet in the expiration period to perform a renewal request.",
              advice: "Renew from the replacement period start date that `status` shows (about 3 months before expiry)."),
        Entry(code: "EHCSR__SIGNED_DATA_HAS_NO_CONTENT", category: .protocolViolation,
              meaning: "The eHealth CSR is a CMS SignedData without content.", advice: defect),
        // 7.2: WS-I Basic Profile 1.1.
        Entry(code: "SOA-03001", category: .protocolViolation,
              meaning: "Malformed message: a content related error, no more details known.", advice: defect),
        Entry(code: "SOA-03002", category: .protocolViolation,
              meaning: "The message does not respect the SOAP standard.", advice: defect),
        Entry(code: "SOA-03003", category: .protocolViolation,
              meaning: "The message respects the SOAP standard, but the body is missing.", advice: defect),
    ]
}
