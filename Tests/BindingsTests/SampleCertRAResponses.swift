import Foundation
import Generated

/// One fully populated response of each CertRA v2 operation.
enum SampleCertRAResponses {
    static let issued = SampleInstants.responseIssued

    static func contract() throws -> ContractType {
        ContractType(
            dn: SampleActors.subjectDN,
            signer: SampleActors.anne,
            text: try SampleActors.text(
                fr: "<p>Je soussignée, Anne Peeters, demande un certificat eHealth & j'accepte les conditions.</p>",
                nl: "<p>Ik, ondergetekende Anne Peeters, vraag een eHealth-certificaat aan & aanvaard de voorwaarden.</p>")
        )
    }

    static func revocationContract() throws -> RevocationContractType {
        RevocationContractType(
            dn: SampleActors.subjectDN,
            signer: SampleActors.anne,
            revocationReason: .keyCompromise,
            text: try SampleActors.text(fr: "<p>Révocation du certificat : la clé est compromise.</p>",
                                        nl: "<p>Intrekking van het certificaat: de sleutel is gecompromitteerd.</p>")
        )
    }

    static func certificateInfo(applicationId: String, etkStatus: ETKStatusType) throws -> CertificateInfoType {
        CertificateInfoType(
            requestedDate: SampleInstants.certificateRequested,
            publicKeyIdentifier: try PublicKeyIdentifier(HexBinary(SampleBytes.keyIdentifier)),
            certificateEntity: CertificateEntityType(
                entityType: .organization,
                certificateIdentifier: CertificateIdentifierType(actor: SampleActors.hospital, applicationId: applicationId)),
            authenticationCertificateStatus: .validActive,
            etkStatus: etkStatus,
            automaticallyValidated: true,
            authenticationCertificateDetails: CertificateDetailsType(
                serialNumber: "0A3F9C21D4E5", dn: SampleActors.subjectDN, issuerDN: SampleActors.issuerDN,
                validNotBefore: SampleInstants.validNotBefore, validNotAfter: SampleInstants.validNotAfter),
            revocable: true,
            replaceable: false,
            replacementPeriodStartDate: SampleInstants.replacementPeriodStart,
            contactData: SampleActors.contactData,
            baseServiceUsage: ["ehbox", "recipe"]
        )
    }

    static func getActorQualities() throws -> GetActorQualitiesResponseType {
        GetActorQualitiesResponseType(
            id: "response-actor-qualities", inResponseTo: "request-actor-qualities", issueInstant: issued,
            status: SampleStatus.success,
            naturalPersonAuthorization: true,
            organizationAuthorization: [
                OrganizationType(name: try SampleActors.hospitalName(), identifier: SampleActors.hospitalIdentifier),
                OrganizationType(name: try SampleActors.text(fr: "Laboratoire Biolab", nl: "Laboratorium Biolab"),
                                 identifier: SampleActors.laboratoryIdentifier),
            ]
        )
    }

    static func getGenericOrganizationTypes() throws -> GetGenericOrganizationTypesResponseType {
        GetGenericOrganizationTypesResponseType(
            id: "response-organization-types", inResponseTo: "request-organization-types", issueInstant: issued,
            status: SampleStatus.success,
            organizationType: [
                OrganizationIdentifierType(
                    name: try SampleActors.text(fr: "Hôpital", nl: "Ziekenhuis"),
                    identifierType: SampleActors.nihiiHospitalType,
                    validationRegEx: "[0-9]{8}",
                    checkDigitAlgorithm: ["NIHII", "MOD97"],
                    availableBaseService: ["ehbox", "mycarenet"]),
                OrganizationIdentifierType(
                    name: try SampleActors.text(fr: "Entreprise", nl: "Onderneming"),
                    identifierType: SampleActors.cbeType,
                    validationRegEx: "0[0-9]{9}",
                    checkDigitAlgorithm: ["CBE"],
                    availableBaseService: ["ehbox", "timestamping"]),
            ]
        )
    }

    static func getExistingApplicationIds() -> GetExistingApplicationIdsResponseType {
        GetExistingApplicationIdsResponseType(
            id: "response-application-ids", inResponseTo: "request-application-ids", issueInstant: issued,
            applicationId: ["PACS-GATEWAY", nil, "LAB RESULTS"]
        )
    }

    static func generateContract() throws -> GenerateContractResponseType {
        GenerateContractResponseType(id: "response-contract", inResponseTo: "request-contract", issueInstant: issued,
                                     status: SampleStatus.success, contract: try contract())
    }

    static func generateCertificate() throws -> GenerateCertificateResponseType {
        GenerateCertificateResponseType(
            id: "response-certificate", inResponseTo: "request-certificate", issueInstant: issued,
            status: SampleStatus.success,
            publicKeyIdentifier: try PublicKeyIdentifier(HexBinary(SampleBytes.keyIdentifier)),
            automaticallyValidated: false,
            replacesCertificate: try PublicKeyIdentifier(HexBinary(SampleBytes.previousKeyIdentifier))
        )
    }

    static func getCertificate() throws -> GetCertificateResponseType {
        GetCertificateResponseType(
            id: "response-get-certificate", inResponseTo: "request-get-certificate", issueInstant: issued,
            status: SampleStatus.success,
            x509Certificate: [SampleBytes.derCertificate, SampleBytes.pattern(count: 1100, seed: 42)]
        )
    }

    static func getCertificateInfoForAuthenticationCertificate() throws -> GetCertificateInfoForAuthenticationCertificateResponseType {
        GetCertificateInfoForAuthenticationCertificateResponseType(
            id: "response-info-authentication", inResponseTo: "request-info-authentication", issueInstant: issued,
            status: SampleStatus.success,
            certificateInfo: try certificateInfo(applicationId: "PACS-GATEWAY", etkStatus: .waitForActivation)
        )
    }

    static func getCertificateInfoForCitizen() throws -> GetCertificateInfoForCitizenResponseType {
        GetCertificateInfoForCitizenResponseType(
            id: "response-info-citizen", inResponseTo: "request-info-citizen", issueInstant: issued,
            status: SampleStatus.success,
            certificateInfo: [
                try certificateInfo(applicationId: "PACS-GATEWAY", etkStatus: .validActive),
                try certificateInfo(applicationId: "LAB RESULTS", etkStatus: .notRequested),
            ]
        )
    }

    static func generateRevocationContract() throws -> GenerateRevocationContractResponseType {
        GenerateRevocationContractResponseType(
            id: "response-revocation-contract", inResponseTo: "request-revocation-contract", issueInstant: issued,
            status: SampleStatus.success, contract: try revocationContract())
    }

    /// A refusal, to carry a nested status code and the eHealth error detail.
    static func revoke() throws -> RevokeResponseType {
        RevokeResponseType(id: "response-revoke", inResponseTo: "request-revoke", issueInstant: issued,
                           status: try SampleStatus.requesterError())
    }

    static func submitCSRForForeigner() -> SubmitCSRForForeignerResponseType {
        SubmitCSRForForeignerResponseType(
            id: "response-foreigner", inResponseTo: "request-foreigner", issueInstant: issued,
            status: SampleStatus.success,
            validationUrl: "https://www.ehealth.fgov.be/certra/confirm?request=5f0c3ba1&lang=fr",
            expirationDate: SampleInstants.confirmationDeadline
        )
    }
}
