/// CSR codes, as the platform names them (cookbook 7.1), so that the client's own checks and the
/// sandbox's answers speak the same language.
extension SecurityError.Code {
    /// "The given CSR is not a valid PKCS10 CSR."
    public static let csrNotValid = Self("CSR_NOT_VALID")
    /// "The given CSR has an invalid signature."
    public static let csrSignatureNotValid = Self("CSR_SIGNATURE_NOT_VALID")
    /// "The given CSR does not contain a subject (=owner)."
    public static let csrNoSubjectPresent = Self("CSR_INVALID_NO_SUBJECT_PRESENT")
    /// "The given CSR contains an invalid public key." Also raised before a CSR is made, when the
    /// key is not the RSA 2048 key cookbook 4.3.4.5 requires.
    public static let csrPublicKeyInvalid = Self("CSR_INVALID_PUBLIC_KEY_INVALID")
    /// "The input could not be parsed in to a CSR."
    public static let csrInputNotParseable = Self("CSR__INPUT_NOT_PARSEBLE_INTO_CSR")
}
