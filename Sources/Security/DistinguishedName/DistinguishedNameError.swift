/// Codes for distinguished names that break the eHealth DN policy.
///
/// The platform answers any of these with one code, `CSR_INVALID_DN_INVALID` ("The distinguished
/// name in the CSR is not according to the eHealth policy", cookbook 7.1). We keep that code for
/// layout problems and add a suffix naming the part at fault, so a caller can match the exact
/// problem or, with `hasPrefix("CSR_INVALID_DN_INVALID")`, the platform's code.
extension SecurityError.Code {
    /// The DN's layout is not `CN=…,OU=eHealth-platform Belgium,OU=<NAME>,OU=<TYPE>\=<ID>[,OU=<APPID>],O=Federal Government,C=BE`.
    public static let distinguishedNameInvalid = Self("CSR_INVALID_DN_INVALID")
    /// The text is not a distinguished name string (RFC 4514).
    public static let distinguishedNameSyntaxInvalid = Self("CSR_INVALID_DN_INVALID_SYNTAX")
    /// The SSIN (or BIS number) is malformed or its check digits are wrong.
    public static let ssinInvalid = Self("CSR_INVALID_DN_INVALID_SSIN")
    /// The CBE (enterprise) number is malformed or fails its modulo 97 check.
    public static let cbeNumberInvalid = Self("CSR_INVALID_DN_INVALID_CBE")
    /// An identifier type or value that is not usable in an eHealth DN.
    public static let identifierInvalid = Self("CSR_INVALID_DN_INVALID_IDENTIFIER")
    /// The application id does not match `[0-9A-Z-_]{1,30}`.
    public static let applicationIDInvalid = Self("CSR_INVALID_DN_INVALID_APPLICATION_ID")
    /// The NAME part is empty (or nothing is left of it after normalization).
    public static let distinguishedNameNameInvalid = Self("CSR_INVALID_DN_INVALID_NAME")
}
