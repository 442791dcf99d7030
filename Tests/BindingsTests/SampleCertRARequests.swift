import Foundation
import Generated

/// One fully populated request of each CertRA v2 operation.
enum SampleCertRARequests {
    static let issued = SampleInstants.requestIssued

    static func getActorQualities() throws -> GetActorQualitiesRequestType {
        GetActorQualitiesRequestType(id: "request-actor-qualities", issueInstant: issued, ssin: SampleActors.ssin,
                                     signature: try SampleSignature.signing("request-actor-qualities"))
    }

    static func getGenericOrganizationTypes() -> GetGenericOrganizationTypesRequestType {
        GetGenericOrganizationTypesRequestType(id: "request-organization-types", issueInstant: issued)
    }

    static func getExistingApplicationIds() -> GetExistingApplicationIdsRequestType {
        GetExistingApplicationIdsRequestType(id: "request-application-ids", issueInstant: issued,
                                             organizationIdentifier: SampleActors.hospitalIdentifier)
    }

    static func generateContract() -> GenerateContractRequestType {
        GenerateContractRequestType(
            id: "request-contract", issueInstant: issued,
            contactData: SampleActors.contactData,
            signer: SampleActors.anne,
            certificateIdentifier: CertificateIdentifierType(actor: SampleActors.hospital, applicationId: "PACS-GATEWAY")
        )
    }

    static func generateCertificate() throws -> GenerateCertificateRequestType {
        GenerateCertificateRequestType(
            id: "request-certificate", issueInstant: issued,
            eHealthCSR: EHealthCertificateSigningRequestType(
                contactData: SampleActors.contactData,
                csr: SampleBytes.derCertificationRequest,
                contract: try SampleCertRAResponses.contract(),
                baseServiceUsage: ["ehbox", "recipe", "mycarenet"]
            ),
            signature: try SampleSignature.signing("request-certificate")
        )
    }

    static func getCertificate() throws -> GetCertificateRequestType {
        GetCertificateRequestType(id: "request-get-certificate", issueInstant: issued,
                                  publicKeyIdentifier: try PublicKeyIdentifier(HexBinary(SampleBytes.keyIdentifier)))
    }

    static func getCertificateInfoForAuthenticationCertificate() throws -> GetCertificateInfoForAuthenticationCertificateRequestType {
        GetCertificateInfoForAuthenticationCertificateRequestType(
            id: "request-info-authentication", issueInstant: issued,
            signature: try SampleSignature.signing("request-info-authentication"))
    }

    static func getCertificateInfoForCitizen() throws -> GetCertificateInfoForCitizenRequestType {
        GetCertificateInfoForCitizenRequestType(id: "request-info-citizen", issueInstant: issued,
                                                signature: try SampleSignature.signing("request-info-citizen"))
    }

    static func generateRevocationContract() throws -> GenerateRevocationContractRequestType {
        GenerateRevocationContractRequestType(
            id: "request-revocation-contract", issueInstant: issued,
            publicKeyIdentifier: try PublicKeyIdentifier(HexBinary(SampleBytes.keyIdentifier)),
            signer: SampleActors.anne,
            revocationReason: .keyCompromise
        )
    }

    static func revoke() throws -> RevokeRequestType {
        RevokeRequestType(
            id: "request-revoke", issueInstant: issued,
            publicKeyIdentifier: try PublicKeyIdentifier(HexBinary(SampleBytes.keyIdentifier)),
            contract: try SampleCertRAResponses.revocationContract(),
            signature: try SampleSignature.signing("request-revoke")
        )
    }

    static func submitCSRForForeigner() -> SubmitCSRForForeignerRequestType {
        SubmitCSRForForeignerRequestType(
            id: "request-foreigner",
            issueInstant: issued,
            // A BIS number is typed as an SSIN.
            foreignPerson: ActorType(id: [IdType(type: SampleActors.ssinType, value: "85410123645")], firstName: ["Jean-Luc", "Émile"], name: "Dupont-Müller"),
            contactData: ContactDataType(emailPrivate: "jl.dupont@example.fr", emailGeneral: "cabinet@example.fr",
                                         phonePrivate: "+33 6 12 34 56 78", phoneGeneral: "+33 1 23 45 67 89"),
            csr: SampleBytes.derCertificationRequest
        )
    }
}
