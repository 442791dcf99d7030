import Generated

/// The request and the response of each of the 14 CertRA and EtkRA operations: 28 samples.
enum EHealthMessageSamples {
    typealias CertRA = CertRaV2Client.Operations
    typealias EtkRA = EtkRaV2Client.Operations

    static let operationNames = [
        "getActorQualities", "getGenericOrganizationTypes", "getExistingApplicationIds", "generateContract",
        "generateCertificate", "getCertificate", "getCertificateInfoForAuthenticationCertificate",
        "getCertificateInfoForCitizen", "generateRevocationContract", "revoke", "submitCSRForForeigner",
        "startETKRegistration", "completeETKRegistration", "activateETK",
    ]

    static let requests: [MessageSample] = [
        .request(CertRA.getActorQualities) { try SampleCertRARequests.getActorQualities() },
        .request(CertRA.getGenericOrganizationTypes) { SampleCertRARequests.getGenericOrganizationTypes() },
        .request(CertRA.getExistingApplicationIds) { SampleCertRARequests.getExistingApplicationIds() },
        .request(CertRA.generateContract) { SampleCertRARequests.generateContract() },
        .request(CertRA.generateCertificate) { try SampleCertRARequests.generateCertificate() },
        .request(CertRA.getCertificate) { try SampleCertRARequests.getCertificate() },
        .request(CertRA.getCertificateInfoForAuthenticationCertificate) { try SampleCertRARequests.getCertificateInfoForAuthenticationCertificate() },
        .request(CertRA.getCertificateInfoForCitizen) { try SampleCertRARequests.getCertificateInfoForCitizen() },
        .request(CertRA.generateRevocationContract) { try SampleCertRARequests.generateRevocationContract() },
        .request(CertRA.revoke) { try SampleCertRARequests.revoke() },
        .request(CertRA.submitCSRForForeigner) { SampleCertRARequests.submitCSRForForeigner() },
        .request(EtkRA.startETKRegistration) { try SampleEtkRAMessages.startETKRegistrationRequest() },
        .request(EtkRA.completeETKRegistration) { try SampleEtkRAMessages.completeETKRegistrationRequest() },
        .request(EtkRA.activateETK) { try SampleEtkRAMessages.activateETKRequest() },
    ]

    static let responses: [MessageSample] = [
        .response(CertRA.getActorQualities) { try SampleCertRAResponses.getActorQualities() },
        .response(CertRA.getGenericOrganizationTypes) { try SampleCertRAResponses.getGenericOrganizationTypes() },
        .response(CertRA.getExistingApplicationIds) { SampleCertRAResponses.getExistingApplicationIds() },
        .response(CertRA.generateContract) { try SampleCertRAResponses.generateContract() },
        .response(CertRA.generateCertificate) { try SampleCertRAResponses.generateCertificate() },
        .response(CertRA.getCertificate) { try SampleCertRAResponses.getCertificate() },
        .response(CertRA.getCertificateInfoForAuthenticationCertificate) { try SampleCertRAResponses.getCertificateInfoForAuthenticationCertificate() },
        .response(CertRA.getCertificateInfoForCitizen) { try SampleCertRAResponses.getCertificateInfoForCitizen() },
        .response(CertRA.generateRevocationContract) { try SampleCertRAResponses.generateRevocationContract() },
        .response(CertRA.revoke) { try SampleCertRAResponses.revoke() },
        .response(CertRA.submitCSRForForeigner) { SampleCertRAResponses.submitCSRForForeigner() },
        .response(EtkRA.startETKRegistration) { SampleEtkRAMessages.startETKRegistrationResponse() },
        .response(EtkRA.completeETKRegistration) { SampleEtkRAMessages.completeETKRegistrationResponse() },
        .response(EtkRA.activateETK) { try SampleEtkRAMessages.activateETKResponse() },
    ]

    static let all = requests + responses
}
