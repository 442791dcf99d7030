import CPKCS11

extension SecurityError.Code {
    /// The module cannot be loaded (missing file, not a PKCS#11 library) or initialised.
    public static let pkcs11ModuleUnavailable = Self("PKCS11_MODULE_UNAVAILABLE")
    /// No slot holds a token that matches the selection: insert the card.
    public static let pkcs11TokenNotPresent = Self("PKCS11_TOKEN_NOT_PRESENT")
    /// The token went away or changed while in use (card pulled, reader unplugged, token
    /// re-initialised). The session is dropped; the next call opens a new one.
    public static let pkcs11TokenRemoved = Self("PKCS11_TOKEN_REMOVED")
    /// A token is present but it is not the one the key was opened on (another person's card).
    public static let pkcs11DifferentToken = Self("PKCS11_DIFFERENT_TOKEN")
    /// The PIN was refused. Not retried automatically: every try counts against the card.
    public static let pkcs11PINIncorrect = Self("PKCS11_PIN_INCORRECT")
    /// The PIN is blocked (too many wrong tries) or expired: unblock it with the PUK first.
    public static let pkcs11PINLocked = Self("PKCS11_PIN_LOCKED")
    /// The PIN source gave no PIN (variable not set, prompt cancelled).
    public static let pkcs11PINUnavailable = Self("PKCS11_PIN_UNAVAILABLE")
    /// The person cancelled on the reader's pinpad or the module's dialog.
    public static let pkcs11Cancelled = Self("PKCS11_CANCELLED")
    /// No certificate with the label on the token.
    public static let pkcs11CertificateNotFound = Self("PKCS11_CERTIFICATE_NOT_FOUND")
    /// No private key with the label (or the certificate's CKA_ID) on the token.
    public static let pkcs11KeyNotFound = Self("PKCS11_KEY_NOT_FOUND")
    /// The private key found is not the certificate's (type or modulus differ).
    public static let pkcs11KeyMismatch = Self("PKCS11_KEY_MISMATCH")
    /// The token cannot sign with the mechanism the key needs.
    public static let pkcs11MechanismUnsupported = Self("PKCS11_MECHANISM_UNSUPPORTED")
    /// Any other PKCS#11 failure; the reason names the function and its CKR_ value.
    public static let pkcs11Failed = Self("PKCS11_FAILED")
}

/// A PKCS#11 function that did not return CKR_OK. Internal: it becomes a `SecurityError` at the
/// public boundary, where the context (token, key) is known.
struct PKCS11Failure: Error, CustomStringConvertible {
    let function: String
    let returnValue: CK_RV

    /// Return values after which the session (or the objects found in it) is gone: the card was
    /// removed, or the token was replaced or re-initialised (SoftHSM2 reports the latter as
    /// invalid object handles).
    var meansTokenGone: Bool {
        [CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED,
         CKR_TOKEN_NOT_RECOGNIZED, CKR_OBJECT_HANDLE_INVALID, CKR_KEY_HANDLE_INVALID].contains(returnValue)
    }

    var description: String { "\(function) returned \(PKCS11Failure.name(of: returnValue))" }

    /// The code a caller can act on.
    var code: SecurityError.Code {
        switch returnValue {
        case _ where meansTokenGone: .pkcs11TokenRemoved
        case CKR_PIN_INCORRECT, CKR_PIN_INVALID, CKR_PIN_LEN_RANGE: .pkcs11PINIncorrect
        case CKR_PIN_LOCKED, CKR_PIN_EXPIRED: .pkcs11PINLocked
        case CKR_FUNCTION_CANCELED, CKR_CANCEL: .pkcs11Cancelled
        case CKR_MECHANISM_INVALID, CKR_MECHANISM_PARAM_INVALID, CKR_KEY_TYPE_INCONSISTENT, CKR_KEY_FUNCTION_NOT_PERMITTED:
            .pkcs11MechanismUnsupported
        default: .pkcs11Failed
        }
    }

    func error(_ context: String) -> SecurityError {
        SecurityError(code, "\(context): \(self)")
    }

    static func name(of value: CK_RV) -> String {
        let names: [CK_RV: String] = [
            CKR_OK: "CKR_OK", CKR_CANCEL: "CKR_CANCEL", CKR_HOST_MEMORY: "CKR_HOST_MEMORY",
            CKR_SLOT_ID_INVALID: "CKR_SLOT_ID_INVALID", CKR_GENERAL_ERROR: "CKR_GENERAL_ERROR",
            CKR_FUNCTION_FAILED: "CKR_FUNCTION_FAILED", CKR_ARGUMENTS_BAD: "CKR_ARGUMENTS_BAD",
            CKR_CANT_LOCK: "CKR_CANT_LOCK", CKR_ATTRIBUTE_SENSITIVE: "CKR_ATTRIBUTE_SENSITIVE",
            CKR_ATTRIBUTE_TYPE_INVALID: "CKR_ATTRIBUTE_TYPE_INVALID", CKR_DATA_INVALID: "CKR_DATA_INVALID",
            CKR_DATA_LEN_RANGE: "CKR_DATA_LEN_RANGE", CKR_DEVICE_ERROR: "CKR_DEVICE_ERROR",
            CKR_DEVICE_MEMORY: "CKR_DEVICE_MEMORY", CKR_DEVICE_REMOVED: "CKR_DEVICE_REMOVED",
            CKR_FUNCTION_CANCELED: "CKR_FUNCTION_CANCELED", CKR_FUNCTION_NOT_SUPPORTED: "CKR_FUNCTION_NOT_SUPPORTED",
            CKR_KEY_HANDLE_INVALID: "CKR_KEY_HANDLE_INVALID", CKR_KEY_TYPE_INCONSISTENT: "CKR_KEY_TYPE_INCONSISTENT",
            CKR_KEY_FUNCTION_NOT_PERMITTED: "CKR_KEY_FUNCTION_NOT_PERMITTED", CKR_MECHANISM_INVALID: "CKR_MECHANISM_INVALID",
            CKR_MECHANISM_PARAM_INVALID: "CKR_MECHANISM_PARAM_INVALID", CKR_OBJECT_HANDLE_INVALID: "CKR_OBJECT_HANDLE_INVALID",
            CKR_OPERATION_ACTIVE: "CKR_OPERATION_ACTIVE", CKR_OPERATION_NOT_INITIALIZED: "CKR_OPERATION_NOT_INITIALIZED",
            CKR_PIN_INCORRECT: "CKR_PIN_INCORRECT", CKR_PIN_INVALID: "CKR_PIN_INVALID", CKR_PIN_LEN_RANGE: "CKR_PIN_LEN_RANGE",
            CKR_PIN_EXPIRED: "CKR_PIN_EXPIRED", CKR_PIN_LOCKED: "CKR_PIN_LOCKED", CKR_SESSION_CLOSED: "CKR_SESSION_CLOSED",
            CKR_SESSION_COUNT: "CKR_SESSION_COUNT", CKR_SESSION_HANDLE_INVALID: "CKR_SESSION_HANDLE_INVALID",
            CKR_SESSION_READ_ONLY: "CKR_SESSION_READ_ONLY", CKR_TEMPLATE_INCOMPLETE: "CKR_TEMPLATE_INCOMPLETE",
            CKR_TEMPLATE_INCONSISTENT: "CKR_TEMPLATE_INCONSISTENT", CKR_TOKEN_NOT_PRESENT: "CKR_TOKEN_NOT_PRESENT",
            CKR_TOKEN_NOT_RECOGNIZED: "CKR_TOKEN_NOT_RECOGNIZED", CKR_TOKEN_WRITE_PROTECTED: "CKR_TOKEN_WRITE_PROTECTED",
            CKR_USER_ALREADY_LOGGED_IN: "CKR_USER_ALREADY_LOGGED_IN", CKR_USER_NOT_LOGGED_IN: "CKR_USER_NOT_LOGGED_IN",
            CKR_USER_PIN_NOT_INITIALIZED: "CKR_USER_PIN_NOT_INITIALIZED", CKR_USER_TYPE_INVALID: "CKR_USER_TYPE_INVALID",
            CKR_USER_ANOTHER_ALREADY_LOGGED_IN: "CKR_USER_ANOTHER_ALREADY_LOGGED_IN", CKR_BUFFER_TOO_SMALL: "CKR_BUFFER_TOO_SMALL",
            CKR_CRYPTOKI_NOT_INITIALIZED: "CKR_CRYPTOKI_NOT_INITIALIZED",
            CKR_CRYPTOKI_ALREADY_INITIALIZED: "CKR_CRYPTOKI_ALREADY_INITIALIZED", CKR_FUNCTION_REJECTED: "CKR_FUNCTION_REJECTED",
        ]
        return names[value] ?? "CKR 0x" + String(value, radix: 16, uppercase: true)
    }
}
