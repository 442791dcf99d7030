import Foundation

extension SandboxEngine {
    /// Records `count` more certificates like the one `publicKeyIdentifier` names, each under a
    /// fresh identifier, serial number and DN, in one transaction: a large state in seconds
    /// instead of hours of key generation, for `ehcert-bench`'s rows that compare a request's cost
    /// with few and with many certificates on record. The copies go through the same table and
    /// indexes as every request's.
    package func recordCopies(of publicKeyIdentifier: String, count: Int) async throws {
        try await store.transaction { state in
            guard let original = try state.certificate(publicKeyIdentifier) else {
                throw SandboxError.state("no certificate request with PublicKeyIdentifier \(publicKeyIdentifier.uppercased())")
            }
            for index in 0..<count {
                let identifier = (0..<20).map { _ in String(format: "%02X", UInt8.random(in: 0...255)) }.joined()
                let copy = StoredCertificate(
                    publicKeyIdentifier: identifier, subjectPublicKeyInfoHash: "COPY" + identifier, dn: "CN=COPY \(index)," + original.dn,
                    identifierType: original.identifierType, identifierValue: original.identifierValue,
                    applicationID: "COPY-\(index)", actorFirstNames: original.actorFirstNames, actorName: original.actorName,
                    isPerson: original.isPerson, csr: original.csr, contactData: original.contactData,
                    baseServiceUsage: original.baseServiceUsage, requestedAt: original.requestedAt, deliverAt: original.deliverAt,
                    automaticallyValidated: original.automaticallyValidated, approved: original.approved, status: original.status,
                    chain: original.chain, serialNumber: original.serialNumber.map { "\($0):copy:\(index)" }, replaces: nil,
                    etkStatus: original.etkStatus, pendingEncryptionKey: nil, pendingChallengeSerial: nil, etk: original.etk)
                try state.insert(copy, managers: [])
            }
        }
    }
}
