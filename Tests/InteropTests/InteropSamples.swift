import Foundation
import Generated
import SOAPRuntime

/// Values for the interop requests: every optional element filled in, non-ASCII and markup in
/// the texts, bytes that are not text.
///
/// dateTimes carry six fraction digits because Python's datetime holds microseconds and zeep
/// writes exactly six: with fewer, zeep's envelope would denote the same instant with other
/// digits and a field-by-field comparison would fail on lexical form alone.
enum InteropSamples {
    static let issued = XSDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53,
                                   fractionDigits: "589120", timeZoneOffsetMinutes: 60)
    static let issuedInUTC = XSDateTime(year: 2026, month: 11, day: 2, hour: 23, minute: 59, second: 7,
                                        fractionDigits: "000310", timeZoneOffsetMinutes: 0)

    static let ssinType = "urn:be:fgov:person:ssin"
    static let nihiiHospitalType = "urn:be:fgov:ehealth:1.0:certificateholder:hospital:nihii-number"
    static let cbeType = "urn:be:fgov:ehealth:1.0:certificateholder:enterprise:cbe-number"

    /// A made-up SSIN whose check digits are valid.
    static let ssin = IdType(type: ssinType, value: "85210123617")
    static let signer = ActorType(id: [ssin], firstName: ["Anne", "Marie"], name: "Peeters")
    static let hospitalIdentifier = IdType(type: nihiiHospitalType, value: "71000436")
    static let hospital = ActorType(id: [hospitalIdentifier, IdType(type: cbeType, value: "0256482436")],
                                    name: "AZ Sint-Jan Brugge-Oostende")
    static let foreigner = ActorType(id: [IdType(type: ssinType, value: "85410123645")],
                                     firstName: ["Jean-Luc", "Émile"], name: "Dupont-Müller")

    static let contactData = ContactDataType(emailPrivate: "anne.peeters@example.be", emailGeneral: "ict@azsintjan.example.be",
                                             phonePrivate: "+32 470 12 34 56", phoneGeneral: "+32 50 45 21 11")
    /// The optional members left out, to see absence survive too.
    static let minimalContactData = ContactDataType(emailPrivate: "jl.dupont@example.fr", phonePrivate: "+33 6 12 34 56 78")

    static let subjectDN = "CN=\"SSIN=85210123617\", OU=eHealth-platform Belgium, OU=Anne Peeters, OU=\"SSIN=85210123617\", O=Federal Government, C=BE"

    static func pattern(count: Int, seed: UInt8) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ Int(seed)) })
    }

    static let derCertificate = Data([0x30, 0x82, 0x04, 0xD2, 0x30, 0x82, 0x03, 0xBA, 0xA0, 0x03, 0x02, 0x01, 0x02])
        + pattern(count: 1222, seed: 3)
    static let derIssuerCertificate = Data([0x30, 0x82, 0x03, 0x8E, 0x30, 0x82, 0x02, 0x76, 0xA0, 0x03, 0x02, 0x01, 0x02])
        + pattern(count: 902, seed: 201)
    static let derCertificationRequest = Data([0x30, 0x82, 0x02, 0x9A, 0x30, 0x82, 0x01, 0x82, 0x02, 0x01, 0x00])
        + pattern(count: 655, seed: 5)
    static let derPublicKey = Data([0x30, 0x82, 0x01, 0x22, 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01])
        + pattern(count: 277, seed: 9)

    static func keyIdentifier() throws -> PublicKeyIdentifier {
        try PublicKeyIdentifier(HexBinary(Data([0x5F, 0x0C, 0x3B, 0xA1, 0x9E, 0x42, 0x77, 0xD0, 0x16, 0xC8,
                                                0x2B, 0xE4, 0x91, 0x0A, 0x6D, 0x38, 0xF5, 0x83, 0x24, 0xBE])))
    }

    static func text(fr: String, nl: String) throws -> TextType {
        TextType(value: [
            LocalizedString(language: try Lang(xmlText: "fr"), value: fr),
            LocalizedString(language: try Lang(xmlText: "nl-BE"), value: nl),
        ])
    }

    static func contract() throws -> ContractType {
        ContractType(dn: subjectDN, signer: signer, text: try text(
            fr: "<p>Je soussignée, Anne Peeters, demande un certificat eHealth & j'accepte les conditions.</p>",
            nl: "<p>Ik, ondergetekende Anne Peeters, vraag een eHealth-certificaat aan & aanvaard de voorwaarden.</p>"))
    }

    static func revocationContract() throws -> RevocationContractType {
        RevocationContractType(dn: subjectDN, signer: signer, revocationReason: .affiliationChanged, text: try text(
            fr: "<p>Révocation du certificat : changement d'affiliation.</p>",
            nl: "<p>Intrekking van het certificaat: gewijzigde affiliatie.</p>"))
    }

    static let exclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"

    /// An enveloped signature as eHealth expects it: exclusive C14N with InclusiveNamespaces,
    /// RSA-SHA256, one reference to the request's Id, the signer's certificate in KeyInfo.
    static func signature(over requestId: String, signatureId: String = "signature-1") throws -> SignatureType {
        let inclusiveNamespaces = try AnyXMLElement(
            xml: #"<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="ds soapenv"/>"#)
        return SignatureType(
            id: signatureId,
            signedInfo: SignedInfoType(
                id: signatureId + "-signed-info",
                canonicalizationMethod: CanonicalizationMethodType(algorithm: exclusiveC14N, anyElements: [inclusiveNamespaces]),
                signatureMethod: SignatureMethodType(algorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
                reference: [
                    ReferenceType(
                        id: signatureId + "-reference",
                        uri: "#" + requestId,
                        transforms: TransformsType(transform: [
                            TransformType(algorithm: "http://www.w3.org/2000/09/xmldsig#enveloped-signature"),
                            TransformType(algorithm: exclusiveC14N, choiceList: [.anyElement(inclusiveNamespaces)]),
                        ]),
                        digestMethod: DigestMethodType(algorithm: "http://www.w3.org/2001/04/xmlenc#sha256"),
                        digestValue: pattern(count: 32, seed: 7)
                    ),
                ]
            ),
            signatureValue: SignatureValueType(id: signatureId + "-value", value: pattern(count: 256, seed: 11)),
            keyInfo: KeyInfoType(id: signatureId + "-key-info", choiceList: [
                .keyName("Anne Peeters (Signature)"),
                .x509Data(X509DataType(choiceList: [
                    .x509SubjectName("SERIALNUMBER=85210123617, GIVENNAME=Anne, SURNAME=Peeters, CN=Anne Peeters (Signature), C=BE"),
                    .x509Certificate(derCertificate),
                ])),
            ])
        )
    }
}

/// The operations the interop tests exchange requests for, each with one populated request.
enum InteropOperation: String, CaseIterable, Sendable, CustomStringConvertible {
    case getActorQualities
    case getGenericOrganizationTypes
    case getExistingApplicationIds
    case generateContract
    case generateCertificate
    case getCertificate
    case getCertificateInfoForAuthenticationCertificate
    case getCertificateInfoForCitizen
    case generateRevocationContract
    case revoke
    case submitCSRForForeigner
    case startETKRegistration
    case completeETKRegistration
    case activateETK

    var description: String { rawValue }

    func sample() throws -> InteropCase {
        typealias Samples = InteropSamples
        let certRA = ZeepHarness.certRAWSDL
        let etkRA = ZeepHarness.etkRAWSDL
        switch self {
        case .getActorQualities:
            return InteropCase(CertRaV2Client.Operations.getActorQualities, wsdl: certRA, GetActorQualitiesRequestType(
                id: "request-actor-qualities", issueInstant: Samples.issued, ssin: Samples.ssin,
                signature: try Samples.signature(over: "request-actor-qualities")))
        case .getGenericOrganizationTypes:
            return InteropCase(CertRaV2Client.Operations.getGenericOrganizationTypes, wsdl: certRA,
                               GetGenericOrganizationTypesRequestType(id: "request-organization-types", issueInstant: Samples.issued))
        case .getExistingApplicationIds:
            return InteropCase(CertRaV2Client.Operations.getExistingApplicationIds, wsdl: certRA, GetExistingApplicationIdsRequestType(
                id: "request-application-ids", issueInstant: Samples.issuedInUTC, organizationIdentifier: Samples.hospitalIdentifier))
        case .generateContract:
            return InteropCase(CertRaV2Client.Operations.generateContract, wsdl: certRA, GenerateContractRequestType(
                id: "request-contract", issueInstant: Samples.issued, contactData: Samples.contactData, signer: Samples.signer,
                certificateIdentifier: CertificateIdentifierType(actor: Samples.hospital, applicationId: "PACS-GATEWAY")))
        case .generateCertificate:
            return InteropCase(CertRaV2Client.Operations.generateCertificate, wsdl: certRA, GenerateCertificateRequestType(
                id: "request-certificate", issueInstant: Samples.issued,
                eHealthCSR: EHealthCertificateSigningRequestType(
                    contactData: Samples.contactData, csr: Samples.derCertificationRequest, contract: try Samples.contract(),
                    baseServiceUsage: ["ehbox", "recipe", "mycarenet"]),
                signature: try Samples.signature(over: "request-certificate")))
        case .getCertificate:
            return InteropCase(CertRaV2Client.Operations.getCertificate, wsdl: certRA, GetCertificateRequestType(
                id: "request-get-certificate", issueInstant: Samples.issuedInUTC, publicKeyIdentifier: try Samples.keyIdentifier()))
        case .getCertificateInfoForAuthenticationCertificate:
            return InteropCase(CertRaV2Client.Operations.getCertificateInfoForAuthenticationCertificate, wsdl: certRA,
                               GetCertificateInfoForAuthenticationCertificateRequestType(
                                   id: "request-info-authentication", issueInstant: Samples.issued,
                                   signature: try Samples.signature(over: "request-info-authentication")))
        case .getCertificateInfoForCitizen:
            return InteropCase(CertRaV2Client.Operations.getCertificateInfoForCitizen, wsdl: certRA,
                               GetCertificateInfoForCitizenRequestType(
                                   id: "request-info-citizen", issueInstant: Samples.issued,
                                   signature: try Samples.signature(over: "request-info-citizen")))
        case .generateRevocationContract:
            return InteropCase(CertRaV2Client.Operations.generateRevocationContract, wsdl: certRA, GenerateRevocationContractRequestType(
                id: "request-revocation-contract", issueInstant: Samples.issued, publicKeyIdentifier: try Samples.keyIdentifier(),
                signer: Samples.signer, revocationReason: .cessationOfOperation))
        case .revoke:
            return InteropCase(CertRaV2Client.Operations.revoke, wsdl: certRA, RevokeRequestType(
                id: "request-revoke", issueInstant: Samples.issued, publicKeyIdentifier: try Samples.keyIdentifier(),
                contract: try Samples.revocationContract(), signature: try Samples.signature(over: "request-revoke")))
        case .submitCSRForForeigner:
            return InteropCase(CertRaV2Client.Operations.submitCSRForForeigner, wsdl: certRA, SubmitCSRForForeignerRequestType(
                id: "request-foreigner", issueInstant: Samples.issuedInUTC, foreignPerson: Samples.foreigner,
                contactData: Samples.minimalContactData, csr: Samples.derCertificationRequest))
        case .startETKRegistration:
            return InteropCase(EtkRaV2Client.Operations.startETKRegistration, wsdl: etkRA, StartETKRegistrationRequestType(
                id: "request-start-etk", issueInstant: Samples.issued, publicEncryptionKey: Samples.derPublicKey,
                signature: try Samples.signature(over: "request-start-etk")))
        case .completeETKRegistration:
            return InteropCase(EtkRaV2Client.Operations.completeETKRegistration, wsdl: etkRA, CompleteETKRegistrationRequestType(
                id: "request-complete-etk", issueInstant: Samples.issued, toBeRegistered: Samples.derCertificate,
                signature: try Samples.signature(over: "request-complete-etk")))
        case .activateETK:
            return InteropCase(EtkRaV2Client.Operations.activateETK, wsdl: etkRA, ActivateETKRequestType(
                id: "request-activate-etk", issueInstant: Samples.issuedInUTC,
                signature: try Samples.signature(over: "request-activate-etk")))
        }
    }
}
