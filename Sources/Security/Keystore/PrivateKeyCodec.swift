import COpenSSL
import Foundation

/// Private-key encodings through OpenSSL: whatever comes in (PKCS#8, PKCS#1, SEC1, PEM, encrypted
/// PKCS#8), what goes out is unencrypted PKCS#8 DER, the form `KeystorePrivateKey` keeps.
enum PrivateKeyCodec {
    static func encode(_ info: OpaquePointer) throws -> Data {
        try OpenSSLLibrary.encode { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
    }

    /// An `EVP_PKEY` the caller frees with `EVP_PKEY_free`.
    static func evpKey(pkcs8: Data) throws -> OpaquePointer {
        try pkcs8.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard let info = d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, raw.count) else {
                throw SecurityError(.invalidPrivateKey, "the private key is not PKCS#8 DER (\(OpenSSLLibrary.drainErrors()))")
            }
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            guard let key = EVP_PKCS82PKEY(info) else {
                throw SecurityError(.invalidPrivateKey, "the private key's algorithm or parameters are not supported (\(OpenSSLLibrary.drainErrors()))")
            }
            return key
        }
    }

    /// PKCS#8 DER from PKCS#8, PKCS#1 (RSA) or SEC1 (EC) DER.
    static func pkcs8(fromDER der: Data) throws -> Data {
        ERR_clear_error()
        let key: OpaquePointer = try der.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard let key = d2i_AutoPrivateKey(nil, &cursor, raw.count) else {
                throw SecurityError(.invalidPrivateKey, "the bytes are not a PKCS#8, PKCS#1 or SEC1 private key (\(OpenSSLLibrary.drainErrors()))")
            }
            return key
        }
        defer { EVP_PKEY_free(key) }
        return try pkcs8(of: key)
    }

    static func pkcs8(of key: OpaquePointer) throws -> Data {
        guard let info = EVP_PKEY2PKCS8(key) else {
            throw SecurityError(.invalidPrivateKey, "the private key cannot be expressed as PKCS#8 (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try encode(info)
    }

    /// The key's algorithm and its public key as a DER SubjectPublicKeyInfo.
    static func describe(pkcs8: Data) throws -> (algorithm: KeystorePrivateKey.Algorithm, subjectPublicKeyInfo: Data) {
        ERR_clear_error()
        let key = try evpKey(pkcs8: pkcs8)
        defer { EVP_PKEY_free(key) }
        let algorithm: KeystorePrivateKey.Algorithm
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            algorithm = .rsa(bits: Int(EVP_PKEY_get_bits(key)))
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
                throw SecurityError(.invalidPrivateKey, "the EC private key names no curve (\(OpenSSLLibrary.drainErrors()))")
            }
            switch OpenSSLLibrary.string(fromNulTerminated: name) {
            case "prime256v1", "P-256": algorithm = .ecP256
            case "secp384r1", "P-384": algorithm = .ecP384
            case "secp521r1", "P-521": algorithm = .ecP521
            case let other: throw SecurityError(.unsupportedKey, "EC curve \(other) is not used by eHealth or the eID; P-256, P-384 and P-521 are")
            }
        default:
            throw SecurityError(.unsupportedKey, "only RSA and EC private keys are supported")
        }
        let subjectPublicKeyInfo = try OpenSSLLibrary.encode { i2d_PUBKEY(key, $0) }
        return (algorithm, subjectPublicKeyInfo)
    }

    /// PKCS#8 DER from a PEM private key: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1),
    /// `EC PRIVATE KEY` (SEC1), `ENCRYPTED PRIVATE KEY` (PKCS#8 with PBES2 or PKCS#12 PBE), and
    /// OpenSSL's traditional encrypted PEM. Never prompts on a terminal: a missing password is an
    /// error.
    static func pkcs8(fromPEM pem: String, password: String?) throws -> Data {
        OpenSSLLibrary.loadProviders()
        ERR_clear_error()
        let context = PasswordContext(password: password)
        let bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return withExtendedLifetime(context) {
                PEM_read_bio_PrivateKey(bio, nil, passwordCallback, Unmanaged.passUnretained(context).toOpaque())
            }
        }
        guard let key else {
            let detail = OpenSSLLibrary.drainErrors()
            if context.wasAsked {
                if password == nil {
                    throw SecurityError(.privateKeyPasswordRequired, "the PEM private key is encrypted; give its password")
                }
                throw SecurityError(.privateKeyWrongPassword, "the password does not decrypt the PEM private key (\(detail))")
            }
            throw SecurityError(.invalidPrivateKey, "no PEM private key (PKCS#8, PKCS#1 or SEC1) could be read (\(detail))")
        }
        defer { EVP_PKEY_free(key) }
        return try pkcs8(of: key)
    }
}

/// What OpenSSL's password callback sees; a class so the C callback can reach it by pointer.
private final class PasswordContext {
    let password: [UInt8]?
    var wasAsked = false

    init(password: String?) {
        self.password = password.map { Array($0.utf8) }
    }
}

private func passwordCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32,
                              _ user: UnsafeMutableRawPointer?) -> Int32 {
    guard let user, let buffer else { return -1 }
    let context = Unmanaged<PasswordContext>.fromOpaque(user).takeUnretainedValue()
    context.wasAsked = true
    guard let password = context.password, password.count <= Int(size) else { return -1 }
    password.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
    }
    return Int32(password.count)
}
