import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing

/// Revoking an ETK (cookbook 4.3.6): getCertificateInfoForCitizen, generateRevocationContract,
/// revoke with the contract unmodified, signed with the eID Signature key of someone allowed.
@Suite struct RevocationTests {
    @Test func aCitizenSeesTheirOwnAndTheirOrganizationsCertificates() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let eleonore = try fixture.citizen(Sandboxed.eleonore)
            #expect(try await fixture.certificateInfo(forCitizen: jean).isEmpty)

            let personal = try await fixture.obtainCertificate(for: jean)
            let organization = try await fixture.obtainCertificate(for: jean, organization: Sandboxed.dupontCBE,
                                                                   organizationName: Sandboxed.dupontName, applicationId: "APP")
            let hers = try await fixture.obtainCertificate(for: eleonore)

            let infos = try await fixture.certificateInfo(forCitizen: jean)
            #expect(infos.map(\.publicKeyIdentifier) == [personal.publicKeyIdentifier, organization.publicKeyIdentifier])
            let own = try #require(infos.first)
            #expect(own.certificateEntity.entityType == .naturalPerson)
            #expect(own.certificateEntity.certificateIdentifier.actor.id == [IdType(type: "SSIN", value: Sandboxed.jean)])
            #expect(own.authenticationCertificateStatus == .validActive)
            #expect(own.etkStatus == .notRequested)
            #expect(own.revocable == true)
            #expect(EHealthDistinguishedName.sameName(own.authenticationCertificateDetails?.dn ?? "", personal.contract.dn))
            #expect(own.contactData == Sandboxed.contact)
            let theirs = try #require(infos.last)
            #expect(theirs.certificateEntity.entityType == .organization)
            #expect(theirs.certificateEntity.certificateIdentifier.actor.id == [Sandboxed.dupontCBE])
            #expect(theirs.certificateEntity.certificateIdentifier.applicationId == "APP")

            #expect(try await fixture.certificateInfo(forCitizen: eleonore).map(\.publicKeyIdentifier) == [hers.publicKeyIdentifier])
        }
    }

    @Test func getCertificateInfoForCitizenSignedWithTheSignatureKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            await expectRefusal("SIGNATURE_KEY_NOT_ALLOWED") {
                try await fixture.certificateInfo(forCitizen: jean, signedWith: jean.signature)
            }
        }
    }

    @Test func anAllowedPersonRevokesWithTheUnmodifiedContract() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean)
            _ = try await fixture.registerETK(issued)

            let contract = try await revocationContract(fixture, for: issued, signer: jean)
            #expect(EHealthDistinguishedName.sameName(contract.dn, issued.contract.dn))
            #expect(contract.revocationReason == .keyCompromise)
            #expect(contract.text.value.map(\.language.xmlText).sorted() == ["fr", "nl"])
            let revoked = try await fixture.certRA.revoke(try await revokeRequest(issued, contract, signedWith: jean.signature))
            #expect(revoked.status.statusCode.value == EHealthStatus.successCode)

            let info = try #require(try await fixture.certificateInfo(forCitizen: jean).first)
            #expect(info.authenticationCertificateStatus == .revoked)
            #expect(info.etkStatus == .revoked)
            #expect(info.revocable == false)
            #expect(info.replaceable == false)

            // What follows a revocation.
            await expectRefusal("CERTIFICATE_NOT_REVOCABLE") {
                try await fixture.certRA.revoke(try await revokeRequest(issued, contract, signedWith: jean.signature))
            }
            await expectRefusal("ETK_REQUESTED_FOR_AUTH_CERT_REVOKED") {
                try await fixture.startETKRegistration(encryptionKey: try EncryptionCertificate.generatePrivateKey(), signedWith: try issued.signingKey)
            }
            let again = try await fixture.obtainCertificate(for: jean)
            #expect(again.generated.replacesCertificate == nil, "a revoked certificate is not replaced, a new one is made")
        }
    }

    @Test func anOrganizationsCertificateIsRevokedByItsManager() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean, organization: Sandboxed.dupontCBE,
                                                             organizationName: Sandboxed.dupontName, applicationId: "OLD")
            let contract = try await revocationContract(fixture, for: issued, signer: jean, reason: .cessationOfOperation)
            _ = try await fixture.certRA.revoke(try await revokeRequest(issued, contract, signedWith: jean.signature))
            let list = try await fixture.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: Sandboxed.dupontCBE))
            #expect(list.applicationId.isEmpty, "a revoked certificate's application id is free again")
        }
    }

    @Test func someoneNotAllowedCannotRevoke() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let eleonore = try fixture.citizen(Sandboxed.eleonore)
            let issued = try await fixture.obtainCertificate(for: jean)
            let contract = try await revocationContract(fixture, for: issued, signer: eleonore)
            await expectRefusal("SIGNER_NOT_ALLOWED_TO_REVOKE") {
                try await fixture.certRA.revoke(try await revokeRequest(issued, contract, signedWith: eleonore.signature))
            }
            // Jean's contract, signed by Éléonore.
            let jeans = try await revocationContract(fixture, for: issued, signer: jean)
            await expectRefusal("SIGNER_IS_NOT_THE_CONTRACT_SIGNER") {
                try await fixture.certRA.revoke(try await revokeRequest(issued, jeans, signedWith: eleonore.signature))
            }
            #expect(try await fixture.certificateInfo(forCitizen: jean).first?.authenticationCertificateStatus == .validActive)
        }
    }

    @Test func aModifiedRevocationContractIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean)
            let contract = try await revocationContract(fixture, for: issued, signer: jean)
            var otherReason = contract
            otherReason.revocationReason = .superseded
            await expectRefusal("CONTRACT_NOT_VALID") {
                try await fixture.certRA.revoke(try await revokeRequest(issued, otherReason, signedWith: jean.signature))
            }
            var otherText = contract
            otherText.text.value[1].value += " "
            await expectRefusal("CONTRACT_NOT_VALID") {
                try await fixture.certRA.revoke(try await revokeRequest(issued, otherText, signedWith: jean.signature))
            }
            #expect(try await fixture.certificateInfo(forCitizen: jean).first?.authenticationCertificateStatus == .validActive)
        }
    }

    @Test func revokeSignedWithTheAuthenticationKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean)
            let contract = try await revocationContract(fixture, for: issued, signer: jean)
            await expectRefusal("SIGNATURE_KEY_NOT_ALLOWED") {
                try await fixture.certRA.revoke(try await revokeRequest(issued, contract, signedWith: jean.authentication))
            }
        }
    }

    @Test func aRevocationContractForAnUnknownCertificateIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            await expectRefusal("AUTH_CERT_NOT_FOUND") {
                try await fixture.certRA.generateRevocationContract(GenerateRevocationContractRequestType(
                    issueInstant: .now, publicKeyIdentifier: try Generated.PublicKeyIdentifier(xmlText: String(repeating: "0A", count: 20)),
                    signer: jean.actor, revocationReason: .keyCompromise))
            }
        }
    }

    func revocationContract(_ fixture: SandboxFixture, for issued: IssuedCertificate, signer: CitizenEID,
                            reason: RevocationReasonType = .keyCompromise) async throws -> RevocationContractType {
        try require(try await fixture.certRA.generateRevocationContract(GenerateRevocationContractRequestType(
            issueInstant: .now, publicKeyIdentifier: issued.publicKeyIdentifier, signer: signer.actor, revocationReason: reason)).contract, "Contract")
    }

    func revokeRequest(_ issued: IssuedCertificate, _ contract: RevocationContractType, signedWith key: SoftwareSigningKey) async throws -> RevokeRequestType {
        try await Sandboxed.signer.sign({ signature in
            RevokeRequestType(issueInstant: .now, publicKeyIdentifier: issued.publicKeyIdentifier, contract: contract, signature: signature)
        }, with: key)
    }
}
