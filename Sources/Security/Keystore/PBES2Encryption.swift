import COpenSSL
import Foundation

/// The AES-256-CBC / PBKDF2-HMAC-SHA256 encryption (PBES2, RFC 8018) of one PKCS#12 file's
/// shrouded keys and certificate safe, with one salt and so one key derivation for all of them.
///
/// Why: OpenSSL's `PKCS12_add_key` and `PKCS12_add_safe` draw a salt for every part and derive
/// its key again, 100,000 PBKDF2 iterations each time: a keystore with two keys cost three
/// derivations (plus the MAC's). PBES2 carries its salt and IV in every part's
/// AlgorithmIdentifier, so parts may share a salt (RFC 8018 only asks that it be random per
/// derivation); each part still gets its own random IV, which is what CBC needs. Readers see
/// ordinary PBES2 parameters: OpenSSL, Java's keytool and this module read the files as before.
/// The derivation itself is the shim's `ehealth_pbkdf2_hmac_sha256`: OpenSSL's function, in half
/// its time (`PBKDF2Tests` holds them equal).
final class PBES2Encryption {
    static let saltBytes = 16
    private static let keyBytes = 32
    private static let ivBytes = 16

    let iterations: Int32
    private let salt: [UInt8]
    private var key: [UInt8]

    /// Draws the salt and derives the key: the one expensive step.
    init(password: String, iterations: Int32) throws {
        var salt = [UInt8](repeating: 0, count: Self.saltBytes)
        guard RAND_bytes(&salt, Int32(salt.count)) == 1 else {
            throw SecurityError(.keystoreWriteFailed, "OpenSSL has no random bytes for a salt (\(OpenSSLLibrary.drainErrors()))")
        }
        var key = [UInt8](repeating: 0, count: Self.keyBytes)
        // PBES2 takes the password's bytes as they are (UTF-8), as OpenSSL and Java do.
        let password = Array(password.utf8)
        let derived = ehealth_pbkdf2_hmac_sha256(password, password.count, salt, salt.count, UInt32(max(1, iterations)), &key, Self.keyBytes)
        guard derived == 1 else {
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot derive the keystore's encryption key (\(OpenSSLLibrary.drainErrors()))")
        }
        self.salt = salt
        self.key = key
        self.iterations = iterations
    }

    deinit {
        OPENSSL_cleanse(&key, Self.keyBytes)
    }

    /// A pkcs8ShroudedKeyBag (RFC 7292 4.2.2) for an unencrypted PKCS#8 PrivateKeyInfo; the
    /// caller owns the bag (`PKCS12_SAFEBAG_free`, or a stack that frees it).
    func shroudedKeyBag(pkcs8: Data) throws -> OpaquePointer {
        let (algorithm, ciphertext) = try encrypt(Array(pkcs8))
        defer { X509_ALGOR_free(algorithm) }
        guard let sealed = X509_SIG_new() else {
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot allocate a key bag (\(OpenSSLLibrary.drainErrors()))")
        }
        var sealedAlgorithm: UnsafeMutablePointer<X509_ALGOR>?
        var sealedData: UnsafeMutablePointer<ASN1_OCTET_STRING>?
        X509_SIG_getm(sealed, &sealedAlgorithm, &sealedData)
        guard X509_ALGOR_copy(sealedAlgorithm, algorithm) == 1,
              ASN1_OCTET_STRING_set(sealedData, ciphertext, Int32(ciphertext.count)) == 1,
              let bag = PKCS12_SAFEBAG_create0_pkcs8(sealed) else {
            X509_SIG_free(sealed)
            throw SecurityError(.keystoreWriteFailed, "a private key cannot be encrypted into the keystore (\(OpenSSLLibrary.drainErrors()))")
        }
        return bag
    }

    /// An encrypted-data safe (RFC 7292 4.1) holding `bags`; the caller owns it (`PKCS7_free`).
    func encryptedSafe(_ bags: OpaquePointer) throws -> UnsafeMutablePointer<PKCS7> {
        // The SafeContents' DER, as a plain data safe would carry it.
        guard let plain = PKCS12_pack_p7data(bags) else {
            throw SecurityError(.keystoreWriteFailed, "the certificates cannot be packed (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { PKCS7_free(plain) }
        guard let contents = plain.pointee.d.data, let bytes = ASN1_STRING_get0_data(contents) else {
            throw SecurityError(.keystoreWriteFailed, "the certificates cannot be packed (\(OpenSSLLibrary.drainErrors()))")
        }
        let (algorithm, ciphertext) = try encrypt(Array(UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(contents)))))
        guard let safe = PKCS7_new() else {
            X509_ALGOR_free(algorithm)
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot allocate the certificate safe (\(OpenSSLLibrary.drainErrors()))")
        }
        // PKCS7_set_type makes the EncryptedData with version 0 and content type data.
        guard PKCS7_set_type(safe, NID_pkcs7_encrypted) == 1,
              let content = safe.pointee.d.encrypted?.pointee.enc_data,
              let data = ASN1_OCTET_STRING_new() else {
            X509_ALGOR_free(algorithm)
            PKCS7_free(safe)
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot build the certificate safe (\(OpenSSLLibrary.drainErrors()))")
        }
        X509_ALGOR_free(content.pointee.algorithm)
        content.pointee.algorithm = algorithm
        ASN1_OCTET_STRING_free(content.pointee.enc_data)
        content.pointee.enc_data = data
        guard ASN1_OCTET_STRING_set(data, ciphertext, Int32(ciphertext.count)) == 1 else {
            PKCS7_free(safe)
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot build the certificate safe (\(OpenSSLLibrary.drainErrors()))")
        }
        return safe
    }

    /// AES-256-CBC with PKCS#7 padding under the derived key and a fresh IV, and the PBES2
    /// AlgorithmIdentifier that names salt, iterations, PRF and IV (the caller frees it).
    private func encrypt(_ plaintext: [UInt8]) throws -> (UnsafeMutablePointer<X509_ALGOR>, [UInt8]) {
        var iv = [UInt8](repeating: 0, count: Self.ivBytes)
        var salt = salt
        guard RAND_bytes(&iv, Int32(iv.count)) == 1,
              let algorithm = PKCS5_pbe2_set_iv_ex(EVP_aes_256_cbc(), iterations, &salt, Int32(salt.count), &iv, NID_hmacWithSHA256, nil) else {
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot set up PBES2 (\(OpenSSLLibrary.drainErrors()))")
        }
        guard let context = EVP_CIPHER_CTX_new() else {
            X509_ALGOR_free(algorithm)
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot allocate a cipher (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { EVP_CIPHER_CTX_free(context) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + Self.ivBytes)
        var written: Int32 = 0
        var finalWritten: Int32 = 0
        let encrypted = EVP_EncryptInit_ex(context, EVP_aes_256_cbc(), nil, key, iv) == 1
            && EVP_EncryptUpdate(context, &ciphertext, &written, plaintext, Int32(plaintext.count)) == 1
            && ciphertext.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(context, $0.baseAddress! + Int(written), &finalWritten) } == 1
        guard encrypted else {
            X509_ALGOR_free(algorithm)
            throw SecurityError(.keystoreWriteFailed, "OpenSSL cannot encrypt with AES-256-CBC (\(OpenSSLLibrary.drainErrors()))")
        }
        ciphertext.removeLast(ciphertext.count - Int(written + finalWritten))
        return (algorithm, ciphertext)
    }
}
