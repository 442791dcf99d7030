import COpenSSL
import Foundation

/// The bags of a PKCS#12 file (RFC 7292) as plain values. This file and `PrivateKeyCodec.swift`
/// are the only places the keystore code touches OpenSSL; nothing here leaks a pointer.
struct PKCS12Contents: Sendable {
    struct KeyBag: Sendable {
        /// Unencrypted PKCS#8 PrivateKeyInfo.
        var pkcs8: Data
        var friendlyName: String?
        var localKeyID: Data?
    }

    struct CertificateBag: Sendable {
        var der: Data
        var friendlyName: String?
        var localKeyID: Data?
        /// Java's marker for a trusted certificate entry (see `PKCS12Codec.javaTrustedKeyUsage`).
        var trustedForJava: Bool = false
    }

    var keys: [KeyBag] = []
    var certificates: [CertificateBag] = []
    /// What protected the file, as far as it can be told from the algorithms it names.
    var format: PKCS12Format?
    /// Bags read but not kept (secret keys, CRLs, non-X.509 certificates), named for the person
    /// who must decide what to do with them: writing these contents back would lose them.
    var unkeptBags: [String] = []
}

enum PKCS12Codec {
    /// Java's PKCS12KeyStore only lists a certificate without a key as a "trustedCertEntry" when
    /// its bag carries this Oracle attribute (value: the extended key usages it is trusted for;
    /// anyExtendedKeyUsage here, as keytool -importcert writes it).
    static let javaTrustedKeyUsage = "2.16.840.1.113894.746875.1.1"
    static let anyExtendedKeyUsage = "2.5.29.37.0"

    // MARK: Reading

    static func decode(_ data: Data, password: String) throws -> PKCS12Contents {
        OpenSSLLibrary.loadProviders()
        ERR_clear_error()
        let p12: OpaquePointer = try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else {
                throw SecurityError(.keystoreCorrupt, "the keystore file is empty")
            }
            var cursor: UnsafePointer<UInt8>? = base.assumingMemoryBound(to: UInt8.self)
            guard let p12 = d2i_PKCS12(nil, &cursor, raw.count) else {
                throw SecurityError(.keystoreCorrupt, "the file is not a PKCS#12 keystore, or it is damaged or truncated (\(OpenSSLLibrary.drainErrors()))")
            }
            return p12
        }
        defer { PKCS12_free(p12) }

        var contents = PKCS12Contents()
        var macDigest: PKCS12Format.MAC?
        var iterations = 0
        if PKCS12_mac_present(p12) == 1 {
            (macDigest, iterations) = macParameters(p12)
            guard PKCS12_verify_mac(p12, password, -1) == 1 else {
                // A MAC that does not match leaves OpenSSL's error queue empty; one that cannot
                // be computed (unknown digest) queues the reason.
                let (message, reasons) = OpenSSLLibrary.drainErrorsWithReasons()
                if reasons.isEmpty || reasons.contains(where: { $0.library == ERR_LIB_PKCS12 && $0.reason == PKCS12_R_MAC_VERIFY_FAILURE }) {
                    throw SecurityError(.keystoreWrongPassword, "the password does not open this keystore (or the file was altered); check the password and try again")
                }
                throw SecurityError(.keystoreUnsupported, "the keystore's integrity check uses an algorithm OpenSSL cannot run here (\(message))")
            }
        } else {
            // Without a MAC nothing proves the file is the one written with this password: its
            // certificates could have been swapped.
            throw SecurityError(.keystoreCorrupt, "the keystore has no integrity check (PKCS#12 MAC), so it cannot be trusted; export it again with a MAC (openssl pkcs12 without -nomac, or keytool)")
        }

        guard let authenticatedSafes = PKCS12_unpack_authsafes(p12) else {
            throw SecurityError(.keystoreCorrupt, "the keystore's contents cannot be decoded (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { OPENSSL_sk_pop_free(authenticatedSafes, freePKCS7) }

        var keyEncryption: PKCS12Format.KeyEncryption?
        var certificateEncryption: PKCS12Format.CertificateEncryption?
        for index in 0..<OPENSSL_sk_num(authenticatedSafes) {
            guard let raw = OPENSSL_sk_value(authenticatedSafes, index) else { continue }
            let safe = raw.assumingMemoryBound(to: PKCS7.self)
            let bags: OpaquePointer?
            var encryption: PKCS12Format.CertificateEncryption = .none
            switch OBJ_obj2nid(safe.pointee.type) {
            case NID_pkcs7_data:
                bags = PKCS12_unpack_p7data(safe)
            case NID_pkcs7_encrypted:
                if let encrypted = safe.pointee.d.encrypted, let content = encrypted.pointee.enc_data {
                    encryption = PKCS12Format.CertificateEncryption(algorithm: content.pointee.algorithm)
                }
                bags = PKCS12_unpack_p7encdata(safe, password, -1)
                if bags == nil {
                    let hint = encryption == .rc2With40BitSHA1 && !OpenSSLLibrary.legacyProviderAvailable
                        ? "; its certificates use RC2-40, which needs OpenSSL's legacy provider (not found on this machine)" : ""
                    throw SecurityError(.keystoreUnsupported, "an encrypted part of the keystore cannot be decrypted with the store's password, or uses an algorithm this OpenSSL lacks\(hint) (\(OpenSSLLibrary.drainErrors()))")
                }
            default:
                // Public-key-protected safes (enveloped data) are not used by eHealth keystores.
                throw SecurityError(.keystoreUnsupported, "the keystore holds a part protected by a public key, which eHealth keystores never use")
            }
            guard let bags else {
                throw SecurityError(.keystoreCorrupt, "a part of the keystore cannot be decoded (\(OpenSSLLibrary.drainErrors()))")
            }
            defer { OPENSSL_sk_pop_free(bags, freeSafeBag) }
            let certificatesBefore = contents.certificates.count
            try readBags(bags, password: password, into: &contents, keyEncryption: &keyEncryption)
            if contents.certificates.count > certificatesBefore, certificateEncryption == nil {
                certificateEncryption = encryption
            }
        }
        if let keyEncryption, let macDigest {
            contents.format = PKCS12Format(keyEncryption: keyEncryption,
                                           certificateEncryption: certificateEncryption ?? .none,
                                           mac: macDigest, iterations: max(iterations, 1))
        }
        return contents
    }

    private static func readBags(_ bags: OpaquePointer, password: String, into contents: inout PKCS12Contents,
                                 keyEncryption: inout PKCS12Format.KeyEncryption?) throws {
        for index in 0..<OPENSSL_sk_num(bags) {
            guard let bag = OPENSSL_sk_value(bags, index).map(OpaquePointer.init) else { continue }
            let friendlyName = friendlyName(of: bag)
            let localKeyID = octets(PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID))
            switch PKCS12_SAFEBAG_get_nid(bag) {
            case NID_keyBag:
                guard let info = PKCS12_SAFEBAG_get0_p8inf(bag) else { continue }
                contents.keys.append(.init(pkcs8: try PrivateKeyCodec.encode(info), friendlyName: friendlyName, localKeyID: localKeyID))
            case NID_pkcs8ShroudedKeyBag:
                if keyEncryption == nil, let sealed = PKCS12_SAFEBAG_get0_pkcs8(bag) {
                    var algorithm: UnsafePointer<X509_ALGOR>?
                    X509_SIG_get0(sealed, &algorithm, nil)
                    keyEncryption = PKCS12Format.KeyEncryption(algorithm: algorithm)
                }
                guard let info = PKCS12_decrypt_skey(bag, password, -1) else {
                    throw SecurityError(.keystoreUnsupported, "the private key \(friendlyName.map { "'\($0)'" } ?? "in the keystore") cannot be decrypted with the store's password (eHealth keystores use one password for the store and every entry) or uses an algorithm this OpenSSL lacks (\(OpenSSLLibrary.drainErrors()))")
                }
                defer { PKCS8_PRIV_KEY_INFO_free(info) }
                contents.keys.append(.init(pkcs8: try PrivateKeyCodec.encode(info), friendlyName: friendlyName, localKeyID: localKeyID))
            case NID_certBag:
                guard PKCS12_SAFEBAG_get_bag_nid(bag) == NID_x509Certificate else {
                    contents.unkeptBags.append(describe("a certificate that is not X.509", friendlyName))
                    continue
                }
                guard let certificate = PKCS12_SAFEBAG_get1_cert(bag) else {
                    throw SecurityError(.keystoreCorrupt, "a certificate in the keystore cannot be decoded (\(OpenSSLLibrary.drainErrors()))")
                }
                defer { X509_free(certificate) }
                contents.certificates.append(.init(der: try OpenSSLLibrary.der(of: certificate), friendlyName: friendlyName,
                                                   localKeyID: localKeyID, trustedForJava: hasJavaTrust(bag)))
            case NID_safeContentsBag:
                if let nested = PKCS12_SAFEBAG_get0_safes(bag) {
                    try readBags(nested, password: password, into: &contents, keyEncryption: &keyEncryption)
                }
            case NID_secretBag:
                contents.unkeptBags.append(describe("a secret entry", friendlyName))
            case NID_crlBag:
                contents.unkeptBags.append(describe("a CRL", friendlyName))
            default:
                contents.unkeptBags.append(describe("a bag of type \(PKCS12_SAFEBAG_get_nid(bag))", friendlyName))
            }
        }
    }

    private static func describe(_ kind: String, _ friendlyName: String?) -> String {
        friendlyName.map { "\(kind) ('\($0)')" } ?? kind
    }

    private static func friendlyName(of bag: OpaquePointer) -> String? {
        guard let name = PKCS12_get_friendlyname(bag) else { return nil }
        defer { CRYPTO_free(name, #fileID, #line) }
        return String(cString: name)
    }

    private static func octets(_ attribute: UnsafePointer<ASN1_TYPE>?) -> Data? {
        guard let attribute, attribute.pointee.type == V_ASN1_OCTET_STRING,
              let string = attribute.pointee.value.octet_string,
              let bytes = ASN1_STRING_get0_data(string) else { return nil }
        return Data(bytes: bytes, count: Int(ASN1_STRING_length(string)))
    }

    private static func hasJavaTrust(_ bag: OpaquePointer) -> Bool {
        guard let attributes = PKCS12_SAFEBAG_get0_attrs(bag),
              let oid = OBJ_txt2obj(javaTrustedKeyUsage, 1) else { return false }
        defer { ASN1_OBJECT_free(oid) }
        return X509at_get_attr_by_OBJ(attributes, oid, -1) >= 0
    }

    private static func macParameters(_ p12: OpaquePointer) -> (PKCS12Format.MAC?, Int) {
        var algorithm: UnsafePointer<X509_ALGOR>?
        var iterations: UnsafePointer<ASN1_INTEGER>?
        PKCS12_get0_mac(nil, &algorithm, nil, &iterations, p12)
        let count = iterations.map { Int(ASN1_INTEGER_get($0)) } ?? 1
        switch OpenSSLLibrary.nid(of: algorithm) {
        case NID_sha1: return (.sha1, count)
        case NID_sha256: return (.sha256, count)
        default: return (nil, count)
        }
    }

    // MARK: Writing

    /// What `decode` reads back from what `encode` wrote: the same bags in the same order, and
    /// the protection as decode tells it (known only when the file holds a key).
    static func decoded(_ contents: PKCS12Contents, format: PKCS12Format) -> PKCS12Contents {
        var decoded = contents
        decoded.format = contents.keys.isEmpty ? nil : PKCS12Format(
            keyEncryption: format.keyEncryption,
            certificateEncryption: contents.certificates.isEmpty ? .none : format.certificateEncryption,
            mac: format.mac, iterations: format.writtenIterations)
        return decoded
    }

    static func encode(_ contents: PKCS12Contents, password: String, format: PKCS12Format) throws -> Data {
        OpenSSLLibrary.loadProviders()
        ERR_clear_error()
        let iterations = Int32(clamping: format.writtenIterations)
        // One PBKDF2 derivation for every AES part of the file (see PBES2Encryption).
        let pbes2 = format.keyEncryption == .aes256PBKDF2 || format.certificateEncryption == .aes256PBKDF2
            ? try PBES2Encryption(password: password, iterations: iterations) : nil

        var certificateBags: OpaquePointer?
        defer { if let certificateBags { OPENSSL_sk_pop_free(certificateBags, freeSafeBag) } }
        for certificate in contents.certificates {
            let x509 = try OpenSSLLibrary.x509(certificate.der)
            defer { X509_free(x509) }
            guard let bag = PKCS12_add_cert(&certificateBags, x509) else {
                throw SecurityError(.keystoreWriteFailed, "a certificate cannot be added to the keystore (\(OpenSSLLibrary.drainErrors()))")
            }
            try addAttributes(to: bag, friendlyName: certificate.friendlyName, localKeyID: certificate.localKeyID)
            if certificate.trustedForJava {
                try addJavaTrust(to: bag)
            }
        }

        var keyBags: OpaquePointer?
        defer { if let keyBags { OPENSSL_sk_pop_free(keyBags, freeSafeBag) } }
        for key in contents.keys {
            let bag: OpaquePointer
            if format.keyEncryption == .aes256PBKDF2, let pbes2 {
                bag = try pbes2.shroudedKeyBag(pkcs8: key.pkcs8)
                if keyBags == nil { keyBags = OPENSSL_sk_new_null() }
                guard let keyBags, OPENSSL_sk_push(keyBags, UnsafeRawPointer(bag)) > 0 else {
                    PKCS12_SAFEBAG_free(bag)
                    throw SecurityError(.keystoreWriteFailed, "a private key cannot be added to the keystore (\(OpenSSLLibrary.drainErrors()))")
                }
            } else {
                let privateKey = try PrivateKeyCodec.evpKey(pkcs8: key.pkcs8)
                defer { EVP_PKEY_free(privateKey) }
                guard let added = PKCS12_add_key(&keyBags, privateKey, 0, iterations, format.keyEncryption.nid, password) else {
                    throw SecurityError(.keystoreWriteFailed, "a private key cannot be encrypted into the keystore (\(OpenSSLLibrary.drainErrors()))")
                }
                bag = added
            }
            try addAttributes(to: bag, friendlyName: key.friendlyName, localKeyID: key.localKeyID)
        }

        var safes: OpaquePointer?
        defer { if let safes { OPENSSL_sk_pop_free(safes, freePKCS7) } }
        // The layout Java and OpenSSL write: the certificates in one (encrypted) safe, then the
        // shrouded keys in a plain data safe (the keys are encrypted bag by bag).
        if let certificateBags, format.certificateEncryption == .aes256PBKDF2, let pbes2 {
            let safe = try pbes2.encryptedSafe(certificateBags)
            if safes == nil { safes = OPENSSL_sk_new_null() }
            guard let safes, OPENSSL_sk_push(safes, UnsafeRawPointer(safe)) > 0 else {
                PKCS7_free(safe)
                throw SecurityError(.keystoreWriteFailed, "the certificates cannot be added to the keystore (\(OpenSSLLibrary.drainErrors()))")
            }
        } else if let certificateBags,
           PKCS12_add_safe(&safes, certificateBags, format.certificateEncryption.nid, iterations, password) != 1 {
            let hint = format.certificateEncryption == .rc2With40BitSHA1
                ? "; RC2-40 needs OpenSSL's legacy provider, PKCS12Format.legacyTripleDES is Java 8 compatible without it" : ""
            throw SecurityError(.keystoreWriteFailed, "the certificates cannot be encrypted with \(format.certificateEncryption)\(hint) (\(OpenSSLLibrary.drainErrors()))")
        }
        if let keyBags, PKCS12_add_safe(&safes, keyBags, -1, iterations, password) != 1 {
            throw SecurityError(.keystoreWriteFailed, "the keys cannot be packed into the keystore (\(OpenSSLLibrary.drainErrors()))")
        }
        if safes == nil {
            safes = OPENSSL_sk_new_null()
        }
        guard let p12 = PKCS12_add_safes(safes, 0) else {
            throw SecurityError(.keystoreWriteFailed, "the keystore cannot be assembled (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { PKCS12_free(p12) }
        guard PKCS12_set_mac(p12, password, -1, nil, 0, iterations, format.mac.digest) == 1 else {
            throw SecurityError(.keystoreWriteFailed, "the keystore's integrity check cannot be computed (\(OpenSSLLibrary.drainErrors()))")
        }
        let length = i2d_PKCS12(p12, nil)
        guard length > 0 else {
            throw SecurityError(.keystoreWriteFailed, "the keystore cannot be encoded (\(OpenSSLLibrary.drainErrors()))")
        }
        var output = Data(count: Int(length))
        let written = output.withUnsafeMutableBytes { raw -> Int32 in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return i2d_PKCS12(p12, &cursor)
        }
        guard written == length else {
            throw SecurityError(.keystoreWriteFailed, "the keystore cannot be encoded (\(OpenSSLLibrary.drainErrors()))")
        }
        return output
    }

    private static func addAttributes(to bag: OpaquePointer, friendlyName: String?, localKeyID: Data?) throws {
        if let friendlyName, PKCS12_add_friendlyname_utf8(bag, friendlyName, -1) != 1 {
            throw SecurityError(.keystoreWriteFailed, "the alias '\(friendlyName)' cannot be stored (\(OpenSSLLibrary.drainErrors()))")
        }
        if let localKeyID {
            var bytes = [UInt8](localKeyID)
            if PKCS12_add_localkeyid(bag, &bytes, Int32(bytes.count)) != 1 {
                throw SecurityError(.keystoreWriteFailed, "a key identifier cannot be stored (\(OpenSSLLibrary.drainErrors()))")
            }
        }
    }

    private static func addJavaTrust(to bag: OpaquePointer) throws {
        guard let usage = OBJ_txt2obj(anyExtendedKeyUsage, 1) else {
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot build the trusted-certificate marker (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { ASN1_OBJECT_free(usage) }
        // With length -1 OpenSSL takes the bytes as the ASN1_OBJECT itself (X509_ATTRIBUTE_set1_data).
        let added = PKCS12_add1_attr_by_txt(bag, javaTrustedKeyUsage, V_ASN1_OBJECT,
                                            UnsafeRawPointer(usage).assumingMemoryBound(to: UInt8.self), -1)
        guard added == 1 else {
            throw SecurityError(.keystoreWriteFailed, "the trusted-certificate marker cannot be stored (\(OpenSSLLibrary.drainErrors()))")
        }
    }
}

private func freePKCS7(_ pointer: UnsafeMutableRawPointer?) {
    PKCS7_free(pointer?.assumingMemoryBound(to: PKCS7.self))
}

private func freeSafeBag(_ pointer: UnsafeMutableRawPointer?) {
    PKCS12_SAFEBAG_free(pointer.map(OpaquePointer.init))
}

extension PKCS12Format.KeyEncryption {
    init?(algorithm: UnsafePointer<X509_ALGOR>?) {
        switch OpenSSLLibrary.nid(of: algorithm) {
        case NID_pbes2: self = .aes256PBKDF2
        case NID_pbe_WithSHA1And3_Key_TripleDES_CBC: self = .tripleDESSHA1
        default: return nil
        }
    }

    var nid: Int32 {
        switch self {
        case .aes256PBKDF2: NID_aes_256_cbc // a cipher NID makes OpenSSL use PBES2/PBKDF2-HMAC-SHA256
        case .tripleDESSHA1: NID_pbe_WithSHA1And3_Key_TripleDES_CBC
        }
    }
}

extension PKCS12Format.CertificateEncryption {
    init(algorithm: UnsafePointer<X509_ALGOR>?) {
        switch OpenSSLLibrary.nid(of: algorithm) {
        case NID_pbes2: self = .aes256PBKDF2
        case NID_pbe_WithSHA1And3_Key_TripleDES_CBC: self = .tripleDESSHA1
        case NID_pbe_WithSHA1And40BitRC2_CBC: self = .rc2With40BitSHA1
        default: self = .none
        }
    }

    init(algorithm: UnsafeMutablePointer<X509_ALGOR>?) {
        self.init(algorithm: UnsafePointer(algorithm))
    }

    var nid: Int32 {
        switch self {
        case .aes256PBKDF2: NID_aes_256_cbc
        case .tripleDESSHA1: NID_pbe_WithSHA1And3_Key_TripleDES_CBC
        case .rc2With40BitSHA1: NID_pbe_WithSHA1And40BitRC2_CBC
        case .none: -1
        }
    }
}

extension PKCS12Format.MAC {
    var digest: OpaquePointer? {
        switch self {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        }
    }
}
