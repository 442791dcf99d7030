import X509

/// Orders certificates into a chain: from a certificate up through its issuers found in a pool.
/// This is arrangement, not trust (that is `CertificateTrust`): keystores and ETKs hold their
/// certificates in no meaningful order, and readers want them leaf first.
public enum IssuerChain {
    /// From `leaf` up through the issuers in `pool`, matched by name and preferring the one whose
    /// key verifies the signature (`requireSignature`: only those); stops at a self-issued
    /// certificate, when no issuer is found, or after 16 links.
    public static func build(from leaf: Certificate, pool: [Certificate], requireSignature: Bool) -> [Certificate] {
        var chain = [leaf]
        var current = leaf
        while current.subject != current.issuer, chain.count < 16 {
            let candidates = pool.filter { $0.subject == current.issuer && !chain.contains($0) }
            let verified = candidates.first { $0.publicKey.isValidSignature(current.signature, for: current) }
            guard let issuer = verified ?? (requireSignature ? nil : candidates.first) else { break }
            chain.append(issuer)
            current = issuer
        }
        return chain
    }
}
