import COpenSSL
import Foundation

/// Tells apart the two reasons an RSA PKCS#1 v1.5 signature can fail to verify, once it has
/// failed: the RSA public operation recovers a well-formed DigestInfo only when the signature was
/// made by this key, so "signed by this key, but over other bytes" (SignedInfo altered) differs
/// from "not made by this key" (a swapped certificate, a damaged value). Runs only after a failure.
enum RSASignatureRecovery {
    enum Finding {
        /// The key made this signature over a SHA-256 digest other than the expected one.
        case otherDigest
        /// The signature opens to the expected digest after all (OpenSSL accepts what swift-crypto did not).
        case expectedDigest
        /// Not a PKCS#1 v1.5 SHA-256 signature made by this key.
        case notThisKey
    }

    /// DER prefix of DigestInfo { sha256, NULL } (RFC 8017 section 9.2, note 1).
    private static let sha256DigestInfoPrefix: [UInt8] = [0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]

    static func examine(signature: Data, subjectPublicKeyInfo: [UInt8], expectedDigest: Data) -> Finding {
        guard let recovered = recover(signature: signature, subjectPublicKeyInfo: subjectPublicKeyInfo),
              recovered.count == sha256DigestInfoPrefix.count + 32,
              recovered.prefix(sha256DigestInfoPrefix.count).elementsEqual(sha256DigestInfoPrefix)
        else { return .notThisKey }
        return recovered.suffix(32).elementsEqual(expectedDigest) ? .expectedDigest : .otherDigest
    }

    private static func recover(signature: Data, subjectPublicKeyInfo: [UInt8]) -> [UInt8]? {
        // Failures here are expected answers, not errors to leave in OpenSSL's queue.
        defer { ERR_clear_error() }
        let key: OpaquePointer? = subjectPublicKeyInfo.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key else { return nil }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_PKEY_CTX_new(key, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_verify_recover_init(context) > 0, EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) > 0 else { return nil }
        return signature.withUnsafeBytes { raw -> [UInt8]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var length = 0
            guard EVP_PKEY_verify_recover(context, nil, &length, bytes.baseAddress, bytes.count) > 0 else { return nil }
            var output = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_verify_recover(context, &output, &length, bytes.baseAddress, bytes.count) > 0 else { return nil }
            return Array(output.prefix(length))
        }
    }
}
