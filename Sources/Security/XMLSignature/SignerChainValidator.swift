import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// Builds the signer's chain from the KeyInfo certificates to a configured trust root through
/// `CertificateTrust` (the one chain path: RFC 5280, pathLen, critical extensions, no SHA-1),
/// and remembers chains already checked.
///
/// A chain's signatures and constraints are facts about its bytes, so a chain checked once stays
/// checked for the same trust roots; validity dates depend on the verification time and are
/// checked on every use (`VerifiedSigner.checkValidity`). The sandbox sees the same few signers
/// again and again, which is what the memory is for.
final class SignerChainValidator: @unchecked Sendable {
    let trustRoots: [Certificate]
    private let trust: CertificateTrust
    private let lock = NSLock()
    private var verifiedChains: [[String]: VerifiedSigner] = [:]
    private let cacheLimit: Int

    init(trustRoots: [Certificate], cacheLimit: Int) {
        self.trustRoots = trustRoots
        self.trust = CertificateTrust(roots: trustRoots)
        self.cacheLimit = cacheLimit
    }

    /// The checked chain (leaf first, the trust root last) for the base64 texts of the KeyInfo
    /// certificates, leaf first.
    func signer(forBase64Certificates texts: [String]) async throws -> VerifiedSigner {
        if cacheLimit > 0, let cached = cached(texts) { return cached }
        let certificates = try texts.enumerated().map { index, text in
            guard let der = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw SecurityError(.malformedSignature, "X509Certificate \(index + 1) of KeyInfo is not base64")
            }
            do {
                return try Certificate(derEncoded: Array(der))
            } catch {
                throw SecurityError(.malformedSignature, "X509Certificate \(index + 1) of KeyInfo is not an X.509 certificate: \(error)")
            }
        }
        let signer = try VerifiedSigner(chain: try await buildChain(certificates))
        if cacheLimit > 0 { remember(signer, for: texts) }
        return signer
    }

    private func cached(_ texts: [String]) -> VerifiedSigner? {
        lock.lock()
        defer { lock.unlock() }
        return verifiedChains[texts]
    }

    private func remember(_ signer: VerifiedSigner, for texts: [String]) {
        lock.lock()
        defer { lock.unlock() }
        if verifiedChains.count >= cacheLimit { verifiedChains.removeAll(keepingCapacity: true) }
        verifiedChains[texts] = signer
    }

    /// Leaf first (cookbook 4.3.2); the issuers may come in any order, and a copy of the root
    /// may be among them. Dates are checked per use, not here.
    func buildChain(_ certificates: [Certificate]) async throws -> [Certificate] {
        guard let leaf = certificates.first else {
            throw SecurityError(.malformedSignature, "KeyInfo/X509Data holds no certificate")
        }
        do {
            return try await trust.validate(leaf, intermediates: Array(certificates.dropFirst()), validity: .notChecked, usage: .signature)
        } catch let error as SecurityError where error.code == .untrustedCertificate {
            throw SecurityError(.untrustedChain, "the signer's chain does not lead to a trusted root: \(error.reason)")
        }
    }
}

/// A signer whose chain has been checked up to a trust root, with its key ready for verifying.
struct VerifiedSigner: Sendable {
    enum Key: Sendable {
        /// Verified through OpenSSL, like software keys sign (see `EVPKey`).
        case rsa(EVPKey, modulusBytes: Int)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
    }

    let chain: [Certificate]
    let key: Key
    let algorithm: SignatureAlgorithm

    init(chain: [Certificate]) throws {
        let leaf = chain[0]
        if let usage = try? leaf.extensions.keyUsage, !usage.digitalSignature, !usage.nonRepudiation {
            throw SecurityError(.wrongKey, "the certificate \(leaf.subject) is not for signatures (its key usage allows neither digitalSignature nor nonRepudiation)")
        }
        if let rsa = _RSA.Signing.PublicKey(leaf.publicKey) {
            var serializer = DER.Serializer()
            try serializer.serialize(leaf.publicKey)
            key = .rsa(try EVPKey(subjectPublicKeyInfo: serializer.serializedBytes, digest: .sha256), modulusBytes: (rsa.keySizeInBits + 7) / 8)
        } else if let p384 = P384.Signing.PublicKey(leaf.publicKey) {
            key = .p384(p384)
        } else if let p256 = P256.Signing.PublicKey(leaf.publicKey) {
            key = .p256(p256)
        } else {
            throw SecurityError(.wrongKey, "the certificate \(leaf.subject) has neither an RSA nor an EC P-256/P-384 key")
        }
        algorithm = try SignatureAlgorithm(for: leaf.publicKey)
        self.chain = chain
    }

    /// Every certificate of the chain, the root included, must be valid at `time`.
    func checkValidity(at time: Date) throws {
        for certificate in chain {
            if time > certificate.notValidAfter {
                throw SecurityError(.certificateExpired, "the certificate \(certificate.subject) expired on \(certificate.notValidAfter)")
            }
            if time < certificate.notValidBefore {
                throw SecurityError(.certificateNotYetValid, "the certificate \(certificate.subject) is valid only from \(certificate.notValidBefore)")
            }
        }
    }
}
