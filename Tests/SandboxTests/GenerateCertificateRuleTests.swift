import _CryptoExtras
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import SwiftASN1
import Testing
import X509

/// generateCertificate (cookbook 4.3.4.5) and its chapter-7 CSR_* errors; organizations and
/// getExistingApplicationIds (4.3.4.3).
@Suite struct GenerateCertificateRuleTests {
    @Test func aContractWhoseTextWasChangedIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            var contract = try await fixture.contract(signedBy: jean)
            contract.text.value[0].value = contract.text.value[0].value.replacingOccurrences(of: "Je m'engage", with: "Je ne m'engage pas")
            await expectRefusal("CONTRACT_NOT_VALID") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
        }
    }

    @Test func aContractWhoseDNWasChangedIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            var contract = try await fixture.contract(signedBy: jean)
            let otherDN = try EHealthDistinguishedName.Builder().person(ssin: Sandboxed.jean).name("DUPONT JEAN-PIERRE").build().description
            #expect(otherDN != contract.dn)
            contract.dn = otherDN
            // The CSR follows the changed DN, so only the contract check can catch it.
            await expectRefusal("CONTRACT_NOT_VALID") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
        }
    }

    @Test func aContractNeverIssuedIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let genuine = try await fixture.contract(signedBy: jean)
            let forged = ContractType(dn: genuine.dn, signer: jean.actor, text: TextType(value: [
                LocalizedString(language: try Lang(xmlText: "fr"), value: "<html>rien</html>"),
            ]))
            await expectRefusal("CONTRACT_NOT_VALID") {
                try await fixture.generateCertificate(contract: forged, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
        }
    }

    @Test func aCSRForAnotherDNIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            let otherDN = try EHealthDistinguishedName.Builder().person(ssin: Sandboxed.eleonore).name("MULLER-LEFEVRE ELEONORE").build()
            let csr = try EHealthCertificateSigningRequest(subject: otherDN, privateKey: key)
            await expectRefusal("CSR_INVALID_DN_INVALID") {
                try await fixture.generateCertificate(contract: contract, privateKey: key, signedBy: jean, csr: Data(csr.derEncoded))
            }
        }
    }

    @Test func aCSRWhoseSubjectIsNoEHealthDNIsRefusedWithCSRInvalidDNInvalid() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            let csr = try CertificateSigningRequest(
                version: .v1, subject: try DistinguishedName { CountryName("BE"); CommonName("Jean Dupont") },
                privateKey: Certificate.PrivateKey(key), attributes: CertificateSigningRequest.Attributes(),
                signatureAlgorithm: .sha256WithRSAEncryption)
            var serializer = DER.Serializer()
            try serializer.serialize(csr)
            // Chapter 7.1: "The distinguished name in the CSR is not according to the eHealth policy."
            await expectRefusal("CSR_INVALID_DN_INVALID") {
                try await fixture.generateCertificate(contract: contract, privateKey: key, signedBy: jean, csr: Data(serializer.serializedBytes))
            }
        }
    }

    @Test func theSameKeyTwiceIsRefused() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 3600)) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            let personal = try await fixture.contract(signedBy: jean)
            _ = try await fixture.generateCertificate(contract: personal, privateKey: key, signedBy: jean)
            // The same key for another DN (the organization's), so only uniqueness is at stake.
            let organization = try await fixture.contract(signedBy: jean, organization: Sandboxed.dupontCBE, organizationName: Sandboxed.dupontName)
            await expectRefusal("CSR_PUB_KEY_NOT_UNIQUE") {
                try await fixture.generateCertificate(contract: organization, privateKey: key, signedBy: jean)
            }
        }
    }

    @Test func aSecondRequestWhileTheFirstIsInProgressIsRefused() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 3600)) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let first = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            await expectRefusal(EHealthStatusError.notYetDeliveredCode) {
                try await fixture.getCertificate(try require(first.publicKeyIdentifier))
            }
            await expectRefusal("CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
        }
    }

    @Test func aNewRequestForADeliveredDNIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean)
            #expect(issued.generated.replacesCertificate == nil)
            let contract = try await fixture.contract(signedBy: jean)
            await expectRefusal("CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
        }
    }

    @Test(arguments: [
        ("garbage", Data("not a CSR".utf8)),
        ("a truncated CSR", Data([0x30, 0x82, 0x02, 0x00, 0x30])),
    ])
    func aCSRThatIsNoPKCS10IsRefusedWithACSRCode(_ what: String, _ csr: Data) async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            do {
                _ = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                          signedBy: jean, csr: csr)
                Issue.record("\(what) was accepted as a CSR")
            } catch let error as EHealthStatusError {
                #expect(error.errors.count == 1)
                #expect(error.errors.allSatisfy { $0.code.hasPrefix("CSR_") }, "\(error)")
            }
        }
    }

    @Test func aCSRWithA1024BitKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
            let csr = try CertificateSigningRequest(
                version: .v1, subject: try EHealthDistinguishedName(contract.dn).distinguishedName,
                privateKey: Certificate.PrivateKey(small), attributes: CertificateSigningRequest.Attributes(),
                signatureAlgorithm: .sha256WithRSAEncryption)
            var serializer = DER.Serializer()
            try serializer.serialize(csr)
            await expectRefusal("CSR_INVALID_PUBLIC_KEY_INVALID") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                      signedBy: jean, csr: Data(serializer.serializedBytes))
            }
        }
    }

    @Test func aCitizenWithoutQualitiesGetsNoPersonalCertificate() async throws {
        try await SandboxFixture.with { fixture in
            let lucas = try fixture.citizen(Sandboxed.lucas)
            #expect(try await fixture.actorQualities(of: lucas).naturalPersonAuthorization == false)
            let contract = try await fixture.contract(signedBy: lucas)
            await expectRefusal("NO_QUALITY_FOUND") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: lucas)
            }
        }
    }

    @Test func anOrganizationCertificateWithAnApplicationIdIsIssuedAndListed() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let listBefore = try await fixture.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: Sandboxed.dupontCBE))
            #expect(listBefore.applicationId.isEmpty)

            let issued = try await fixture.obtainCertificate(for: jean, organization: Sandboxed.dupontCBE,
                                                             organizationName: Sandboxed.dupontName, applicationId: "BACKOFFICE_1")
            // The cookbook's form by default: the `=` bare, the `,` before the application id escaped.
            #expect(issued.contract.dn == #"CN=CBE=0412345614\, BACKOFFICE_1,OU=eHealth-platform Belgium,OU=CABINET MEDICAL DUPONT SRL,OU=CBE=0412345614,OU=BACKOFFICE_1,O=Federal Government,C=BE"#)
            #expect(issued.generated.automaticallyValidated == true)
            #expect(issued.certificate.subject == (try EHealthDistinguishedName(issued.contract.dn).distinguishedName))

            let listAfter = try await fixture.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: Sandboxed.dupontCBE))
            #expect(listAfter.applicationId == ["BACKOFFICE_1"])
            // Another organization's list is not affected.
            let other = try await fixture.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: IdType(type: "NIHII-HOSPITAL", value: "71000436")))
            #expect(other.applicationId.isEmpty)
        }
    }

    @Test func anOrganizationCertificateWithoutApplicationIdIsListedAsNil() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            _ = try await fixture.obtainCertificate(for: jean, organization: Sandboxed.dupontCBE, organizationName: Sandboxed.dupontName)
            let list = try await fixture.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: Sandboxed.dupontCBE))
            #expect(list.applicationId == [nil])
        }
    }

    @Test func anOrganizationIdentifierWithWrongCheckDigitsIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            await expectRefusal("CSR_INVALID_DN_INVALID") {
                try await fixture.contract(signedBy: jean, organization: IdType(type: "CBE", value: "0412345615"), organizationName: Sandboxed.dupontName)
            }
        }
    }

    /// The rules getGenericOrganizationTypes hands out (cookbook 4.3.4.2) accept the sandbox's own organizations.
    @Test func theOrganizationTypesRulesAcceptTheSandboxsOrganizations() async throws {
        try await SandboxFixture.with { fixture in
            let types = try await fixture.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now)).organizationType
            #expect(Set(types.map(\.identifierType)).isSuperset(of: ["CBE", "NIHII-HOSPITAL"]))
            #expect(types.first { $0.identifierType == "CBE" }?.checkDigitAlgorithm.isEmpty == false)
            for organization in fixture.sandbox.world.organizations {
                let type = try #require(types.first { $0.identifierType == organization.type }, "\(organization.type)")
                let pattern = try #require(type.validationRegEx)
                #expect(organization.id.wholeMatch(of: try Regex(pattern)) != nil, "\(organization.id) against \(pattern)")
                #expect(type.name.value.map(\.language.xmlText).sorted() == ["fr", "nl"])
            }
        }
    }

    @Test func anExpiredCertificatesApplicationIdIsFreeAgain() async throws {
        let lifetime: TimeInterval = 10 * 86_400
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, certificateLifetime: lifetime)) { today in
            let jean = try today.citizen(Sandboxed.jean)
            _ = try await today.obtainCertificate(for: jean, organization: Sandboxed.dupontCBE, organizationName: Sandboxed.dupontName, applicationId: "SHORT")
            let later = try await today.restarted(SandboxConfiguration(deliveryDelay: 0, clockOffset: lifetime + 86_400, certificateLifetime: lifetime))
            // The list holds "all currently active certificates" (XSD, GetExistingApplicationIdsResponseType).
            let list = try await later.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: Sandboxed.dupontCBE))
            #expect(list.applicationId.isEmpty)
        }
    }

    /// The delivery delay stands for the CA's work: once it has passed, the certificate exists,
    /// whether or not its owner fetched it yet (cookbook 4.3.4 step 8-9: a mail says it is there).
    @Test func aCertificateIsIssuedWhenDueEvenBeforeItIsFetched() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            _ = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            let info = try #require(try await fixture.certificateInfo(forCitizen: jean).first)
            #expect(info.authenticationCertificateStatus == .validActive)
            #expect(EHealthDistinguishedName.sameName(info.authenticationCertificateDetails?.dn ?? "", contract.dn))
            await expectRefusal("CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
        }
    }

    /// Cookbook 4.3.4 step 3 and 4.3.4.2: someone without an authorization for an organization
    /// "can still request a certificate for an organization and follow the manual approval
    /// process". The request is accepted, not automatically validated, and waits for an operator.
    @Test func anOrganizationTheSignerDoesNotManageGoesToManualValidation() async throws {
        try await SandboxFixture.with { fixture in
            let eleonore = try fixture.citizen(Sandboxed.eleonore)
            #expect(try await fixture.actorQualities(of: eleonore).organizationAuthorization.isEmpty)
            let contract = try await fixture.contract(signedBy: eleonore, organization: Sandboxed.dupontCBE, organizationName: Sandboxed.dupontName)
            let generated = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                                  signedBy: eleonore)
            #expect(generated.automaticallyValidated == false)
            let publicKeyIdentifier = try require(generated.publicKeyIdentifier)
            await expectRefusal(EHealthStatusError.notYetDeliveredCode) { try await fixture.getCertificate(publicKeyIdentifier) }
            try await fixture.engine.approve(publicKeyIdentifier: publicKeyIdentifier.hex)
            #expect(try await fixture.certificateChain(publicKeyIdentifier).count == 2)
        }
    }
}
