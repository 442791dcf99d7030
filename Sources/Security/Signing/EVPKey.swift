import COpenSSL
import Foundation

/// A key held by OpenSSL 3 (`EVP_PKEY`) for the signature operations of the eHealth profile:
/// RSA PKCS#1 v1.5 and ECDSA over a digest the caller made. The only place the signing code
/// touches OpenSSL; nothing here leaks a pointer.
///
/// Why OpenSSL for software keys: on this machine kind its RSA-2048 private-key operation takes
/// less than half the time of swift-crypto's (ehcert-bench: `rsa2048.sign.openssl` against
/// `rsa2048.sign.floor`), and the signature is most of what signing a request costs.
///
/// Thread safety: the key and the prepared context are only read after `init`; every operation
/// works on its own copy of the context (`EVP_PKEY_CTX_dup`), which OpenSSL 3 allows from any
/// number of threads at once.
final class EVPKey: @unchecked Sendable {
    enum Digest: Sendable {
        case sha256
        case sha384

        var byteCount: Int {
            switch self {
            case .sha256: 32
            case .sha384: 48
            }
        }

        fileprivate var md: OpaquePointer? {
            switch self {
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            }
        }
    }

    enum Kind: Sendable, Equatable {
        case rsa
        /// `fieldBytes`: the size of r and of s in an XML-DSig ECDSA value (32 for P-256, 48 for P-384).
        case ec(fieldBytes: Int)
    }

    enum Operation {
        case sign
        case verify
    }

    let kind: Kind
    let digest: Digest
    private let key: OpaquePointer
    /// A context set up once for `operation` (padding, digest), copied for each use.
    private let prepared: OpaquePointer

    /// A private key for signing, from DER: PKCS#8, PKCS#1 (RSA) or SEC1 (EC).
    convenience init(privateKeyDER der: Data, digest: Digest) throws {
        let key: OpaquePointer = try der.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard let key = d2i_AutoPrivateKey(nil, &cursor, raw.count) else {
                throw SecurityError(.unsupportedKey, "OpenSSL cannot read the private key (\(OpenSSLLibrary.drainErrors()))")
            }
            return key
        }
        try self.init(owning: key, digest: digest, operation: .sign)
    }

    /// A public key for verifying, from a DER SubjectPublicKeyInfo (what a certificate carries).
    convenience init(subjectPublicKeyInfo der: some DataProtocol, digest: Digest) throws {
        let bytes = Array(der)
        let key: OpaquePointer = try bytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            guard let key = d2i_PUBKEY(nil, &cursor, buffer.count) else {
                throw SecurityError(.invalidPublicKey, "OpenSSL cannot read the public key (\(OpenSSLLibrary.drainErrors()))")
            }
            return key
        }
        try self.init(owning: key, digest: digest, operation: .verify)
    }

    private init(owning key: OpaquePointer, digest: Digest, operation: Operation) throws {
        var context: OpaquePointer?
        do {
            let kind: Kind
            switch EVP_PKEY_get_base_id(key) {
            case EVP_PKEY_RSA: kind = .rsa
            case EVP_PKEY_EC: kind = .ec(fieldBytes: (Int(EVP_PKEY_get_bits(key)) + 7) / 8)
            default: throw SecurityError(.unsupportedKey, "the key is neither RSA nor EC")
            }
            guard let made = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
                throw SecurityError(.unsupportedKey, "OpenSSL cannot use the key (\(OpenSSLLibrary.drainErrors()))")
            }
            context = made
            let ready = (operation == .sign ? EVP_PKEY_sign_init(made) : EVP_PKEY_verify_init(made)) == 1
                && (kind != .rsa || EVP_PKEY_CTX_set_rsa_padding(made, RSA_PKCS1_PADDING) == 1)
                && EVP_PKEY_CTX_set_signature_md(made, digest.md) == 1
            guard ready else {
                throw SecurityError(.unsupportedKey, "OpenSSL cannot prepare the key for \(operation) (\(OpenSSLLibrary.drainErrors()))")
            }
            self.kind = kind
            self.digest = digest
            self.key = key
            self.prepared = made
        } catch {
            EVP_PKEY_CTX_free(context)
            EVP_PKEY_free(key)
            throw error
        }
    }

    deinit {
        EVP_PKEY_CTX_free(prepared)
        EVP_PKEY_free(key)
    }

    /// Signs a digest made with `digest`: RSA gives the PKCS#1 v1.5 value (the modulus's size),
    /// ECDSA gives r||s, each `fieldBytes` long (XML-DSig, RFC 4050), not DER.
    func sign(digest value: some ContiguousBytes) throws -> Data {
        guard let context = EVP_PKEY_CTX_dup(prepared) else {
            throw SecurityError(.signingFailed, "OpenSSL cannot copy the signing context (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        return try value.withUnsafeBytes { digestBytes -> Data in
            guard digestBytes.count == digest.byteCount else {
                throw SecurityError(.signingFailed, "a digest of \(digestBytes.count) bytes was given to a \(digest) signature")
            }
            let input = digestBytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var length = 0
            guard EVP_PKEY_sign(context, nil, &length, input, digestBytes.count) == 1 else {
                throw SecurityError(.signingFailed, "OpenSSL cannot sign (\(OpenSSLLibrary.drainErrors()))")
            }
            var signature = Data(count: length)
            let result = signature.withUnsafeMutableBytes { output in
                EVP_PKEY_sign(context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, input, digestBytes.count)
            }
            guard result == 1 else {
                throw SecurityError(.signingFailed, "OpenSSL cannot sign (\(OpenSSLLibrary.drainErrors()))")
            }
            signature.count = length
            if case .ec(let fieldBytes) = kind {
                return try Self.concatenated(derECDSASignature: signature, fieldBytes: fieldBytes)
            }
            return signature
        }
    }

    /// Whether `signature` (RSA: PKCS#1 v1.5; EC: r||s) is valid for the digest.
    func isValidSignature(_ signature: Data, digest value: some ContiguousBytes) -> Bool {
        guard let context = EVP_PKEY_CTX_dup(prepared) else {
            ERR_clear_error()
            return false
        }
        defer { EVP_PKEY_CTX_free(context) }
        let encoded: Data
        if case .ec(let fieldBytes) = kind {
            guard let der = Self.der(concatenatedECDSASignature: signature, fieldBytes: fieldBytes) else { return false }
            encoded = der
        } else {
            encoded = signature
        }
        let valid = value.withUnsafeBytes { digestBytes in
            encoded.withUnsafeBytes { signatureBytes in
                EVP_PKEY_verify(context, signatureBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), signatureBytes.count,
                                digestBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), digestBytes.count) == 1
            }
        }
        // A signature that does not verify queues a reason; it is an answer, not an error.
        if !valid { ERR_clear_error() }
        return valid
    }

    // MARK: ECDSA encodings

    /// DER `ECDSA-Sig-Value` (what OpenSSL makes) to r||s.
    private static func concatenated(derECDSASignature der: Data, fieldBytes: Int) throws -> Data {
        let parsed: OpaquePointer? = der.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return d2i_ECDSA_SIG(nil, &cursor, raw.count)
        }
        guard let parsed else {
            throw SecurityError(.signingFailed, "OpenSSL made an ECDSA signature it cannot read back (\(OpenSSLLibrary.drainErrors()))")
        }
        defer { ECDSA_SIG_free(parsed) }
        var output = Data(count: 2 * fieldBytes)
        let written = output.withUnsafeMutableBytes { raw -> Bool in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return BN_bn2binpad(ECDSA_SIG_get0_r(parsed), base, Int32(fieldBytes)) == fieldBytes
                && BN_bn2binpad(ECDSA_SIG_get0_s(parsed), base + fieldBytes, Int32(fieldBytes)) == fieldBytes
        }
        guard written else {
            throw SecurityError(.signingFailed, "an ECDSA signature does not fit \(fieldBytes)-byte integers")
        }
        return output
    }

    /// r||s to DER, or nil when the value has the wrong size.
    private static func der(concatenatedECDSASignature value: Data, fieldBytes: Int) -> Data? {
        guard value.count == 2 * fieldBytes, let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let bytes = [UInt8](value)
        let r = BN_bin2bn(bytes, Int32(fieldBytes), nil)
        let s = bytes.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + fieldBytes, Int32(fieldBytes), nil) }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        return try? OpenSSLLibrary.encode { i2d_ECDSA_SIG(signature, $0) }
    }
}
