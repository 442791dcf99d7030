import X509

/// A reader (slot) as the PKCS#11 module reports it.
public struct PKCS11Slot: Sendable, Hashable {
    public let id: UInt
    public let description: String
    public let manufacturer: String
    public let isRemovable: Bool
    public let isHardware: Bool
    /// The token (card) in the slot, if any.
    public let token: PKCS11TokenInfo?
}

/// A token (card, HSM partition, SoftHSM2 token) as the module reports it.
public struct PKCS11TokenInfo: Sendable, Hashable {
    /// The token label, trailing blanks removed (a Belgian eID reports "BELPIC").
    public let label: String
    public let manufacturer: String
    public let model: String
    public let serialNumber: String
    public let isInitialized: Bool
    public let isLoginRequired: Bool
    /// A pinpad reader: the PIN is typed on the reader, never seen by the application
    /// (CKF_PROTECTED_AUTHENTICATION_PATH); log in with no PIN.
    public let hasProtectedAuthenticationPath: Bool
    /// A wrong PIN was entered since the last correct one.
    public let isUserPINCountLow: Bool
    /// One more wrong PIN blocks the card.
    public let isUserPINFinalTry: Bool
    public let isUserPINLocked: Bool
}

/// Which token to use.
public enum PKCS11TokenSelector: Sendable, Hashable, CustomStringConvertible {
    /// The first slot with an initialised token (one eID reader with one card).
    case first
    /// The token with this label.
    case label(String)
    /// The token with this serial number (a Belgian eID reports the card number).
    case serialNumber(String)
    /// A slot by its module-assigned id.
    case slot(UInt)

    public var description: String {
        switch self {
        case .first: "the first token present"
        case .label(let label): "the token labelled '\(label)'"
        case .serialNumber(let serial): "the token with serial number \(serial)"
        case .slot(let id): "the token in slot \(id)"
        }
    }

    func matches(_ slot: PKCS11Slot) -> Bool {
        guard let token = slot.token, token.isInitialized else { return false }
        switch self {
        case .first: return true
        case .label(let label): return token.label == label
        case .serialNumber(let serial): return token.serialNumber == serial
        case .slot(let id): return slot.id == id
        }
    }
}

/// A certificate object on a token.
public struct PKCS11CertificateObject: Sendable, Hashable {
    /// CKA_LABEL: on a Belgian eID `Authentication`, `Signature`, `CA`, `Root` (and `RRN`).
    public let label: String
    /// CKA_ID, shared with the matching private key.
    public let id: [UInt8]
    public let certificate: Certificate
}
