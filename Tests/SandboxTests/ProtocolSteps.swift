import _CryptoExtras
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing
import X509

/// A citizen of the sandbox world with their software eID.
struct CitizenEID: Sendable {
    let ssin: String
    let authentication: SoftwareSigningKey
    let signature: SoftwareSigningKey
    /// The person as the protocol names them (Signer of a contract, Actor of a certificate).
    let actor: ActorType
}

/// An eHealth authentication certificate the sandbox issued, with its private key.
struct IssuedCertificate: Sendable {
    let contract: ContractType
    let privateKey: _RSA.Signing.PrivateKey
    let publicKeyIdentifier: Generated.PublicKeyIdentifier
    let chain: [Certificate]
    let generated: GenerateCertificateResponseType

    var certificate: Certificate { chain[0] }
    /// The key that signs EtkRA requests and getCertificateInfoForAuthenticationCertificate.
    var signingKey: SoftwareSigningKey { get throws { try SoftwareSigningKey(key: .rsa(privateKey), certificateChain: chain) } }
}

/// A registered ETK with its encryption key.
struct RegisteredETK {
    let encryptionKey: _RSA.Encryption.PrivateKey
    let response: CompleteETKRegistrationResponseType
    let etk: ETK
}

/// The people and organizations of `SandboxWorld.people` the tests use.
enum Sandboxed {
    /// Manages CBE=0412345614 and NIHII-HOSPITAL=71000436; automatic validation.
    static let jean = "85073003328"
    /// A name with diacritics; manages no organization.
    static let eleonore = "90021512766"
    /// An EC P-384 eID (applet 1.8).
    static let an = "77041228431"
    /// No health-care quality.
    static let lucas = "05010101202"
    /// Manages CBE=0876543270; her requests need an operator's approval.
    static let marie = "68112235109"
    /// A foreigner's BIS number (month + 40).
    static let foreignerBIS = "92471004573"

    static let dupontCBE = IdType(type: "CBE", value: "0412345614")
    static let dupontName = "Cabinet médical Dupont SRL"
    static let lambertCBE = IdType(type: "CBE", value: "0876543270")
    static let lambertName = "Pharmacie Lambert"

    static let contact = ContactDataType(emailPrivate: "someone@example.be", phonePrivate: "+32 2 123 45 67")
    static let signer = EnvelopedSigner()
}

/// The steps of cookbook 4.3.4 (create a new ETK), one helper a step, against a fixture.
extension SandboxFixture {
    func citizen(_ ssin: String) throws -> CitizenEID {
        let person = try require(sandbox.world.citizen(ssin: ssin), "citizen \(ssin)")
        let keys = try eID(ssin)
        return CitizenEID(ssin: ssin, authentication: keys.authentication, signature: keys.signature,
                          actor: ActorType(id: [IdType(type: "SSIN", value: ssin)], firstName: [person.firstName], name: person.lastName))
    }

    /// Step 1: getActorQualities signed with the eID Authentication key.
    func actorQualities(of citizen: CitizenEID, ssin: String? = nil, signedWith key: SoftwareSigningKey? = nil) async throws -> GetActorQualitiesResponseType {
        try await certRA.getActorQualities(try await Sandboxed.signer.sign({ signature in
            GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: ssin ?? citizen.ssin), signature: signature)
        }, with: key ?? citizen.authentication))
    }

    /// Step 5: the contract for the citizen's own certificate, or an organization's.
    func contract(signedBy citizen: CitizenEID, organization: IdType? = nil, organizationName: String = "",
                  applicationId: String? = nil) async throws -> ContractType {
        let subject = organization.map { ActorType(id: [$0], name: organizationName) } ?? citizen.actor
        let response = try await certRA.generateContract(GenerateContractRequestType(
            issueInstant: .now, contactData: Sandboxed.contact, signer: citizen.actor,
            certificateIdentifier: CertificateIdentifierType(actor: subject, applicationId: applicationId)))
        return try require(response.contract, "Contract")
    }

    /// Steps 6-7: generateCertificate with a CSR for the contract's DN (or `csr`), signed with the
    /// eID Signature key (or `key`).
    func generateCertificate(contract: ContractType, privateKey: _RSA.Signing.PrivateKey, signedBy citizen: CitizenEID,
                             with key: SoftwareSigningKey? = nil, csr: Data? = nil) async throws -> GenerateCertificateResponseType {
        let request = try csr ?? Data(EHealthCertificateSigningRequest(
            contractDistinguishedName: contract.dn, privateKey: Certificate.PrivateKey(privateKey)).derEncoded)
        return try await certRA.generateCertificate(try await Sandboxed.signer.sign({ signature in
            GenerateCertificateRequestType(issueInstant: .now, eHealthCSR: EHealthCertificateSigningRequestType(
                contactData: Sandboxed.contact, csr: request, contract: contract), signature: signature)
        }, with: key ?? citizen.signature))
    }

    /// Step 9: getCertificate, polling while the answer is CERT_NOT_YET_DELIVERED (for a sandbox
    /// whose delivery delay is short; at most `attempts` times, 50 ms apart).
    func certificateChain(_ publicKeyIdentifier: Generated.PublicKeyIdentifier, attempts: Int = 100) async throws -> [Certificate] {
        let request = GetCertificateRequestType(issueInstant: .now, publicKeyIdentifier: publicKeyIdentifier)
        var attempt = 1
        while true {
            do {
                return try await certRA.getCertificate(request).x509Certificate.map { try Certificate(derEncoded: Array($0)) }
            } catch let error as EHealthStatusError where error.isNotYetDelivered && attempt < attempts {
                attempt += 1
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Steps 1-9 for the citizen's own certificate, or an organization's.
    func obtainCertificate(for citizen: CitizenEID, organization: IdType? = nil, organizationName: String = "",
                           applicationId: String? = nil) async throws -> IssuedCertificate {
        let contract = try await contract(signedBy: citizen, organization: organization, organizationName: organizationName,
                                          applicationId: applicationId)
        let privateKey = try EHealthCertificateSigningRequest.generatePrivateKey()
        let generated = try await generateCertificate(contract: contract, privateKey: privateKey, signedBy: citizen)
        let publicKeyIdentifier = try require(generated.publicKeyIdentifier, "PublicKeyIdentifier")
        return IssuedCertificate(contract: contract, privateKey: privateKey, publicKeyIdentifier: publicKeyIdentifier,
                                 chain: try await certificateChain(publicKeyIdentifier), generated: generated)
    }

    /// Steps 10-11: startETKRegistration signed with `key`; the decrypted challenge.
    func startETKRegistration(encryptionKey: _RSA.Encryption.PrivateKey, signedWith key: some SigningKey) async throws -> Challenge {
        let started = try await etkRA.startETKRegistration(try await Sandboxed.signer.sign({ signature in
            StartETKRegistrationRequestType(issueInstant: .now, publicEncryptionKey: encryptionKey.publicKey.derRepresentation, signature: signature)
        }, with: key))
        return try Challenge(try require(started.challenge, "Challenge"), encryptionKey: encryptionKey)
    }

    /// Step 13: completeETKRegistration with `toBeRegistered`, signed with `key`.
    func completeETKRegistration(_ toBeRegistered: [UInt8], signedWith key: some SigningKey) async throws -> CompleteETKRegistrationResponseType {
        try await etkRA.completeETKRegistration(try await Sandboxed.signer.sign(
            CompleteETKRegistrationRequestType(issueInstant: .now, toBeRegistered: Data(toBeRegistered)), with: key))
    }

    /// Steps 10-13 with the issued certificate's key.
    func registerETK(_ issued: IssuedCertificate) async throws -> RegisteredETK {
        try await registerETK(with: try issued.signingKey)
    }

    /// Steps 10-13 with an eHealth authentication key.
    func registerETK(with key: SoftwareSigningKey) async throws -> RegisteredETK {
        let encryptionKey = try EncryptionCertificate.generatePrivateKey()
        let challenge = try await startETKRegistration(encryptionKey: encryptionKey, signedWith: key)
        let encryptionCertificate = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey,
                                                                    authenticationKey: key)
        let response = try await completeETKRegistration(encryptionCertificate.derEncoded, signedWith: key)
        return RegisteredETK(encryptionKey: encryptionKey, response: response, etk: try ETK(derEncoded: try require(response.etk, "ETK")))
    }

    /// getCertificateInfoForAuthenticationCertificate signed with the certificate's own key.
    func certificateInfo(_ issued: IssuedCertificate) async throws -> CertificateInfoType {
        let response = try await certRA.getCertificateInfoForAuthenticationCertificate(try await Sandboxed.signer.sign({ signature in
            GetCertificateInfoForAuthenticationCertificateRequestType(issueInstant: .now, signature: signature)
        }, with: try issued.signingKey))
        return try require(response.certificateInfo, "CertificateInfo")
    }

    /// getCertificateInfoForCitizen signed with `key` (the eID Authentication key by default).
    func certificateInfo(forCitizen citizen: CitizenEID, signedWith key: SoftwareSigningKey? = nil) async throws -> [CertificateInfoType] {
        try await certRA.getCertificateInfoForCitizen(try await Sandboxed.signer.sign({ signature in
            GetCertificateInfoForCitizenRequestType(issueInstant: .now, signature: signature)
        }, with: key ?? citizen.authentication)).certificateInfo
    }

    func getCertificate(_ publicKeyIdentifier: Generated.PublicKeyIdentifier) async throws -> GetCertificateResponseType {
        try await certRA.getCertificate(GetCertificateRequestType(issueInstant: .now, publicKeyIdentifier: publicKeyIdentifier))
    }
}

/// Expects `body` to fail with an eHealth status whose one error has `code`; returns the error.
@discardableResult
func expectRefusal<Result>(_ code: String, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () async throws -> Result) async -> EHealthStatusError? {
    do {
        let result = try await body()
        Issue.record("expected a refusal with \(code), got \(result)", sourceLocation: sourceLocation)
        return nil
    } catch let error as EHealthStatusError {
        #expect(error.errors.map(\.code) == [code], "\(error)", sourceLocation: sourceLocation)
        #expect(error.statusCode != EHealthStatus.successCode, sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record(error, "expected a refusal with \(code)", sourceLocation: sourceLocation)
        return nil
    }
}

extension Generated.PublicKeyIdentifier {
    var hex: String { value.xmlText.uppercased() }
}
