import COpenSSL
import Foundation

/// The barest RSA operations OpenSSL 3 offers, as `openssl speed` runs them: one context set up
/// once (PKCS#1 v1.5 padding, SHA-256), then `EVP_PKEY_sign` / `EVP_PKEY_verify` on a 32-byte
/// digest. No signer can go under these; the XML signer's own OpenSSL path (`EVPKey`) copies
/// such a context for every signature.
final class OpenSSLFloor {
    private let signContext: OpaquePointer
    private let verifyContext: OpaquePointer
    private let keys: [OpaquePointer]

    /// `privateKeyDER`: PKCS#1 or PKCS#8; `subjectPublicKeyInfo`: the same key's public half.
    init(privateKeyDER: Data, subjectPublicKeyInfo: [UInt8]) throws {
        let privateKey: OpaquePointer? = privateKeyDER.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return d2i_AutoPrivateKey(nil, &cursor, raw.count)
        }
        let publicKey: OpaquePointer? = subjectPublicKeyInfo.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let privateKey, let publicKey,
              let signContext = EVP_PKEY_CTX_new_from_pkey(nil, privateKey, nil),
              let verifyContext = EVP_PKEY_CTX_new_from_pkey(nil, publicKey, nil),
              EVP_PKEY_sign_init(signContext) == 1, EVP_PKEY_verify_init(verifyContext) == 1,
              EVP_PKEY_CTX_set_rsa_padding(signContext, RSA_PKCS1_PADDING) == 1,
              EVP_PKEY_CTX_set_rsa_padding(verifyContext, RSA_PKCS1_PADDING) == 1,
              EVP_PKEY_CTX_set_signature_md(signContext, EVP_sha256()) == 1,
              EVP_PKEY_CTX_set_signature_md(verifyContext, EVP_sha256()) == 1 else {
            throw BenchmarkError("OpenSSL cannot set up the RSA floor")
        }
        keys = [privateKey, publicKey]
        self.signContext = signContext
        self.verifyContext = verifyContext
    }

    deinit {
        EVP_PKEY_CTX_free(signContext)
        EVP_PKEY_CTX_free(verifyContext)
        keys.forEach { EVP_PKEY_free($0) }
    }

    func sign(digest: [UInt8], into signature: inout [UInt8]) -> Bool {
        var length = signature.count
        return EVP_PKEY_sign(signContext, &signature, &length, digest, digest.count) == 1 && length == signature.count
    }

    func verify(_ signature: [UInt8], digest: [UInt8]) -> Bool {
        EVP_PKEY_verify(verifyContext, signature, signature.count, digest, digest.count) == 1
    }
}
