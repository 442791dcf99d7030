extension SecurityError.Code {
    /// The store's password does not open the file (its MAC does not verify).
    public static let keystoreWrongPassword = Self("KEYSTORE_WRONG_PASSWORD")
    /// The file is not a readable PKCS#12 keystore (truncated, damaged, or not PKCS#12 at all).
    public static let keystoreCorrupt = Self("KEYSTORE_CORRUPT")
    /// The file opened, but uses an algorithm this machine's OpenSSL cannot run, or an entry is
    /// protected by a password other than the store's (protocol-facts: one password for all).
    public static let keystoreUnsupported = Self("KEYSTORE_UNSUPPORTED")
    /// Writing would replace an existing keystore and the caller did not ask for that.
    public static let keystoreExists = Self("KEYSTORE_EXISTS")
    /// The file could not be read (missing, unreadable).
    public static let keystoreReadFailed = Self("KEYSTORE_READ_FAILED")
    /// The file could not be written; nothing was left behind and an existing file is untouched.
    public static let keystoreWriteFailed = Self("KEYSTORE_WRITE_FAILED")
    /// No entry under that alias, or the entry has no private key.
    public static let keystoreAliasNotFound = Self("KEYSTORE_ALIAS_NOT_FOUND")
    /// A private key does not belong to the certificate it is stored with.
    public static let keystoreKeyMismatch = Self("KEYSTORE_KEY_MISMATCH")
    /// A private key (PKCS#8, PKCS#1, SEC1, PEM) could not be decoded.
    public static let invalidPrivateKey = Self("INVALID_PRIVATE_KEY")
    /// An encrypted PEM private key was given without a password.
    public static let privateKeyPasswordRequired = Self("PRIVATE_KEY_PASSWORD_REQUIRED")
    /// The password does not decrypt the encrypted PEM private key.
    public static let privateKeyWrongPassword = Self("PRIVATE_KEY_WRONG_PASSWORD")
    /// A PEM certificate file could not be decoded.
    public static let invalidCertificate = Self("INVALID_CERTIFICATE")
}
