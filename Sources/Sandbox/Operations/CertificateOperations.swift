import Foundation
import Generated
import Security
import SOAPRuntime
import SwiftASN1
import X509

/// generateCertificate and getCertificate: the CSR checks of cookbook chapter 7, validation
/// (automatic or by an operator), and delivery after the configured delay.
extension SandboxEngine {
    func generateCertificate(_ request: GenerateCertificateRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GenerateCertificateResponseType {
        let ehCSR = request.eHealthCSR
        let contract = ehCSR.contract
        let world = self.world
        let configuration = self.configuration
        let now = self.now
        // One transaction, in the platform's order of checks: the contract first.
        let (answeredIdentifier, automatic, replaces): (String, Bool, String?) = try await store.transaction { state in
            try Self.checkContractUnmodified(contract, in: state)
            guard let signerSSIN = signer?.ssin, contract.signer.id.first?.value == signerSSIN else {
                throw EHealthFailure("SIGNER_IS_NOT_THE_CONTRACT_SIGNER", "the request must be signed with the eID of the contract's Signer (\(contract.signer.id.first?.value ?? "?")), not \(signer?.ssin ?? "an unknown signer")")
            }
            let csr: EHealthCertificateSigningRequest
            do {
                csr = try EHealthCertificateSigningRequest(derEncoded: ehCSR.csr)
            } catch let error as SecurityError {
                throw EHealthFailure(error.code.rawValue.hasPrefix("CSR") ? error.code.rawValue : "CSR_NOT_VALID", error.reason)
            }
            guard (try? EHealthDistinguishedName(contract.dn)) == csr.subject else {
                throw EHealthFailure("CSR_INVALID_DN_INVALID", "the CSR's subject \(csr.subject) is not the contract's DN \(contract.dn): use the DN generateContract returned, unchanged")
            }
            let dn = csr.subject
            let identifierType = dn.identifier.type.rawValue
            let identifierValue = dn.identifier.value
            var managers = [signerSSIN]
            // Cookbook 4.3.4.2: personal certificates are validated automatically; an organization's
            // are too when the signer is authorized for it in the authentic sources, and otherwise go
            // to the platform's manual approval (4.3.4 step 3), like every request of a citizen whose
            // organizations need manual validation.
            var automatic = true
            if !dn.isPerson {
                let key = "\(identifierType)=\(identifierValue)"
                let authorized = world.citizen(ssin: signerSSIN)?.organizations.contains(key) == true
                automatic = authorized && (world.citizen(ssin: signerSSIN)?.automaticValidation ?? false)
                managers = Array(Set([signerSSIN] + world.citizens.filter { $0.organizations.contains(key) }.map(\.ssin))).sorted()
            } else if world.citizen(ssin: signerSSIN)?.hasQualities == false {
                throw EHealthFailure("NO_QUALITY_FOUND", "\(signerSSIN) has no health-care quality in the authentic sources, so cannot get a natural-person eHealth certificate")
            }
            let publicKeyIdentifier = try csr.publicKeyIdentifier.hex
            let subjectPublicKeyInfoHash = try PlatformVariations.subjectPublicKeyInfoHash(csr.request.publicKey)
            let replacementPeriod = configuration.replacementPeriod
            let deliverAt = now.addingTimeInterval(configuration.deliveryDelay)
            guard try state.certificate(publicKeyIdentifier) == nil else {
                throw EHealthFailure("CSR_PUB_KEY_NOT_UNIQUE", "a request for this public key (\(publicKeyIdentifier)) exists already: generate a new key pair")
            }
            let sameDN = try state.certificates(dn: dn.description)
            if sameDN.contains(where: { $0.status == .inProgress }) {
                throw EHealthFailure("CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED", "a request for \(dn) is already being certified: wait for it (getCertificate) instead of asking again")
            }
            var replaced: String?
            for existing in sameDN where existing.status == .validActive {
                guard let der = existing.certificate, let certificate = try? Certificate(derEncoded: Array(der)) else { continue }
                // An expired certificate is not replaced: the new one is simply a new one.
                guard now <= certificate.notValidAfter else { continue }
                guard now >= certificate.notValidAfter.addingTimeInterval(-replacementPeriod) else {
                    throw EHealthFailure("CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS", "a valid certificate for \(dn) exists until \(certificate.notValidAfter); a replacement can be requested from \(certificate.notValidAfter.addingTimeInterval(-replacementPeriod))")
                }
                replaced = existing.publicKeyIdentifier
            }
            let actor = contract.signer
            try state.insert(StoredCertificate(
                publicKeyIdentifier: publicKeyIdentifier, subjectPublicKeyInfoHash: subjectPublicKeyInfoHash, dn: dn.description,
                identifierType: identifierType, identifierValue: identifierValue, applicationID: dn.applicationID?.rawValue,
                actorFirstNames: dn.isPerson ? actor.firstName : [], actorName: dn.isPerson ? actor.name : dn.name,
                isPerson: dn.isPerson, csr: Data(csr.derEncoded), contactData: StoredContactData(ehCSR.contactData),
                baseServiceUsage: ehCSR.baseServiceUsage, requestedAt: now, deliverAt: deliverAt, automaticallyValidated: automatic,
                approved: automatic, status: .inProgress, replaces: replaced), managers: managers)
            return (try configuration.variations.answeredIdentifier(for: csr.request.publicKey), automatic, replaced)
        }
        return GenerateCertificateResponseType(
            id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant, status: EHealthFailure.success,
            publicKeyIdentifier: try PublicKeyIdentifier(xmlText: answeredIdentifier),
            automaticallyValidated: automatic,
            replacesCertificate: try replaces.map { try PublicKeyIdentifier(xmlText: $0) })
    }

    func getCertificate(_ request: GetCertificateRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GetCertificateResponseType {
        let now = self.now
        let variations = configuration.variations
        let world = self.world
        let lifetime = configuration.certificateLifetime
        let profile = address.certificateProfile
        let identifier = request.publicKeyIdentifier.value.xmlText
        let chain: [Data] = try await store.transaction { state in
            guard var stored = try state.certificate(answeredAs: identifier) else {
                throw EHealthFailure("AUTH_CERT_NOT_FOUND", "no certificate request with PublicKeyIdentifier \(identifier.uppercased())")
            }
            switch stored.status {
            case .refused: throw EHealthFailure("CSR_REFUSED", "the request for \(stored.dn) was refused")
            case .inProgress:
                guard stored.approved, now >= stored.deliverAt else {
                    throw EHealthFailure("CERT_NOT_YET_DELIVERED", "Your certificate is not yet delivered. Try to get it later.")
                }
                try Self.deliver(&stored, at: now, world: world, lifetime: lifetime, profile: profile, variations: variations)
                try state.save(stored)
            default: break
            }
            return stored.chain
        }
        try Self.checkDeliverable(chain, at: now, variations: variations)
        return GetCertificateResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                          status: EHealthFailure.success, x509Certificate: chain)
    }

    /// Issues every approved request whose delivery time has passed, as the platform's CA does
    /// whether or not anyone asks for the certificate yet.
    static func deliverDueCertificates(in state: StateTransaction, at now: Date, world: SandboxWorld, lifetime: TimeInterval,
                                       profile: EHealthCertificateProfile, variations: PlatformVariations = PlatformVariations()) throws {
        for var stored in try state.certificatesDue(at: now) {
            try deliver(&stored, at: now, world: world, lifetime: lifetime, profile: profile, variations: variations)
            try state.save(stored)
        }
    }

    /// Issues the request's certificate: its chain, serial number and status.
    static func deliver(_ stored: inout StoredCertificate, at now: Date, world: SandboxWorld, lifetime: TimeInterval,
                        profile: EHealthCertificateProfile, variations: PlatformVariations) throws {
        let issued = try issueCertificate(for: stored, at: now, world: world, lifetime: lifetime, profile: profile, variations: variations)
        stored.chain = issued.chain
        stored.serialNumber = String(describing: issued.serialNumber)
        stored.status = .validActive
    }

    /// The eHealth CA signs the CSR's key for the request's DN, with the platform's certificate
    /// profile (its CRL and OCSP on this sandbox); the chain excludes the root.
    static func issueCertificate(for stored: StoredCertificate, at now: Date, world: SandboxWorld, lifetime: TimeInterval,
                                 profile: EHealthCertificateProfile,
                                 variations: PlatformVariations = PlatformVariations()) throws -> (chain: [Data], serialNumber: Certificate.SerialNumber) {
        let csr = try EHealthCertificateSigningRequest(derEncoded: stored.csr)
        let start = variations.certificateValidityDelay > 0 ? now.addingTimeInterval(variations.certificateValidityDelay) : now.addingTimeInterval(-60)
        let validity = start...now.addingTimeInterval(lifetime)
        let certificate = try world.pki.eHealthCA.issue(
            subject: csr.subject.distinguishedName, publicKey: csr.request.publicKey, validity: validity,
            extensions: try profile.extensions(), signatureAlgorithm: variations.certificateSignatureAlgorithm)
        return (try ([certificate] + world.pki.eHealthCA.chainBelowRoot).map { Data(try Self.der($0)) }, certificate.serialNumber)
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// Cookbook 7.1 AUTH_CERT_NOT_YET_VALID: "The authentication certificate has been delivered but
    /// is not yet valid. The certificate is valid from {0}." (only when the variation asks for it).
    static func checkDeliverable(_ chain: [Data], at now: Date, variations: PlatformVariations) throws {
        guard variations.withholdsCertificateUntilValid, let leaf = chain.first,
              let certificate = try? Certificate(derEncoded: Array(leaf)), now < certificate.notValidBefore else { return }
        let validFrom = ISO8601DateFormatter().string(from: certificate.notValidBefore)
        throw EHealthFailure("AUTH_CERT_NOT_YET_VALID", "The authentication certificate has been delivered but is not yet valid. The certificate is valid from \(validFrom).",
                             parameters: [("validFrom", validFrom)])
    }
}
