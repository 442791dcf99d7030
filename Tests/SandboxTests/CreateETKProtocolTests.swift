import _CryptoExtras
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing
import X509

/// The create-new-ETK exchange of cookbook 4.3.4 against the sandbox over HTTP, step by step with
/// the bare bindings and the Security module: what any client must be able to do.
@Suite(.serialized) struct CreateETKProtocolTests {
    static let ssin = "85073003328"

    @Test func aCitizenObtainsACertificateAndAnETK() async throws {
        // A delay long enough that the first getCertificate comes before it even on a loaded machine.
        let fixture = try await SandboxFixture.start(deliveryDelay: 20)
        defer { Task { await fixture.stop() } }
        let eID = try fixture.eID(Self.ssin)
        let signer = EnvelopedSigner()

        // Step 1: actor qualities, signed with the eID Authentication key.
        let qualities = try await fixture.certRA.getActorQualities(try await signer.sign({ signature in
            GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: Self.ssin), signature: signature)
        }, with: eID.authentication))
        #expect(qualities.naturalPersonAuthorization == true)
        #expect(qualities.organizationAuthorization.map(\.identifier.value).contains("0412345614"))

        // Step 3: the contract.
        let actor = ActorType(id: [IdType(type: "SSIN", value: Self.ssin)], firstName: ["Jean"], name: "DUPONT")
        let contact = ContactDataType(emailPrivate: "jean.dupont@example.be", phonePrivate: "+32 2 123 45 67")
        let contractResponse = try await fixture.certRA.generateContract(GenerateContractRequestType(
            id: "_c1", issueInstant: .now, contactData: contact, signer: actor,
            certificateIdentifier: CertificateIdentifierType(actor: actor)))
        let contract = try require(contractResponse.contract, "contract")
        // The cookbook's own form (4.3.4.3) by default; `--contract-dn-form escaped` gives `SSIN\\=`.
        #expect(contract.dn == "CN=SSIN=85073003328,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN=85073003328,O=Federal Government,C=BE")
        #expect(contract.text.value.map(\.language.xmlText).sorted() == ["fr", "nl"])

        // Steps 4-5: key, CSR with the contract's DN, generateCertificate signed with the eID Signature key.
        let authenticationKey = try EHealthCertificateSigningRequest.generatePrivateKey()
        let csr = try EHealthCertificateSigningRequest(contractDistinguishedName: contract.dn, privateKey: Certificate.PrivateKey(authenticationKey))
        let generated = try await fixture.certRA.generateCertificate(try await signer.sign({ signature in
            GenerateCertificateRequestType(issueInstant: .now, eHealthCSR: EHealthCertificateSigningRequestType(
                contactData: contact, csr: Data(csr.derEncoded), contract: contract), signature: signature)
        }, with: eID.signature))
        let publicKeyIdentifier = try require(generated.publicKeyIdentifier, "PublicKeyIdentifier")
        #expect(publicKeyIdentifier.value.xmlText == (try csr.publicKeyIdentifier.hex))
        #expect(generated.automaticallyValidated == true)

        // Step 6: not delivered at once, then delivered.
        let getCertificate = GetCertificateRequestType(issueInstant: .now, publicKeyIdentifier: publicKeyIdentifier)
        let early = await #expect(throws: EHealthStatusError.self) { try await fixture.certRA.getCertificate(getCertificate) }
        #expect(early?.isNotYetDelivered == true)
        var delivered: GetCertificateResponseType?
        for _ in 0..<90 where delivered == nil {
            try await Task.sleep(for: .seconds(1))
            do { delivered = try await fixture.certRA.getCertificate(getCertificate) } catch let error as EHealthStatusError where error.isNotYetDelivered {}
        }
        let chainDER = try require(delivered, "delivered within 90 s").x509Certificate
        #expect(chainDER.count == 2)
        let chain = try chainDER.map { try Certificate(derEncoded: Array($0)) }
        #expect(chain[0].subject == (try EHealthDistinguishedName(contract.dn).distinguishedName))
        #expect(chain[0].issuer == chain[1].subject)
        #expect(chain[1].issuer == fixture.sandbox.world.eHealthRoot.subject)

        // Steps 7-11: the ETK.
        let eHealthKey = try SoftwareSigningKey(key: .rsa(authenticationKey), certificateChain: chain)
        let encryptionKey = try EncryptionCertificate.generatePrivateKey()
        let started = try await fixture.etkRA.startETKRegistration(try await signer.sign({ signature in
            StartETKRegistrationRequestType(issueInstant: .now, publicEncryptionKey: encryptionKey.publicKey.derRepresentation, signature: signature)
        }, with: eHealthKey))
        let challenge = try Challenge(try require(started.challenge, "challenge"), encryptionKey: encryptionKey)
        let encryptionCertificate = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: eHealthKey)
        let completed = try await fixture.etkRA.completeETKRegistration(try await signer.sign(
            CompleteETKRegistrationRequestType(issueInstant: .now, toBeRegistered: Data(encryptionCertificate.derEncoded)), with: eHealthKey))
        #expect(completed.toBeActivated == false)
        let etk = try ETK(derEncoded: try require(completed.etk, "ETK"))
        #expect(etk.encryptionCertificate == encryptionCertificate)
        #expect(etk.hasEncryptionKey(encryptionKey))

        // The platform knows the result.
        let info = try await fixture.certRA.getCertificateInfoForAuthenticationCertificate(try await signer.sign({ signature in
            GetCertificateInfoForAuthenticationCertificateRequestType(issueInstant: .now, signature: signature)
        }, with: eHealthKey))
        #expect(info.certificateInfo?.authenticationCertificateStatus == .validActive)
        #expect(info.certificateInfo?.etkStatus == .validActive)
        await fixture.stop()
    }
}
