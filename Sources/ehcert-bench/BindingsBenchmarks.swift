import CLibXML2
import Foundation
import Generated
import SOAPRuntime

/// Decoding a large response through the generated bindings, against a plain libxml2 parse of
/// the same bytes: the floor no decoder on libxml2 can go under.
enum BindingsBenchmarks {
    static func citizenResponse(entries: Int) throws -> Data {
        let identifierBytes = Data((0..<20).map { UInt8($0) })
        let info = try CertificateInfoType(
            requestedDate: XSDateTime(xmlText: "2026-03-01T10:15:30.125+01:00"),
            publicKeyIdentifier: PublicKeyIdentifier(HexBinary(identifierBytes)),
            certificateEntity: CertificateEntityType(
                entityType: .naturalPerson,
                certificateIdentifier: CertificateIdentifierType(
                    actor: ActorType(id: [IdType(type: "urn:be:fgov:person:ssin", value: "85210123617")],
                                     firstName: ["Jean"], name: "Dupont"))),
            authenticationCertificateStatus: .validActive,
            etkStatus: .validActive,
            automaticallyValidated: true,
            authenticationCertificateDetails: CertificateDetailsType(
                serialNumber: "1234567890123456789",
                dn: "CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN=85210123617,O=Federal Government,C=BE",
                issuerDN: "CN=eHealth issuing CA,O=Federal Government,C=BE",
                validNotBefore: XSDateTime(xmlText: "2026-03-02T00:00:00Z"),
                validNotAfter: XSDateTime(xmlText: "2029-03-02T00:00:00Z")),
            revocable: true,
            replaceable: false,
            replacementPeriodStartDate: XSDateTime(xmlText: "2028-12-02T00:00:00Z"),
            contactData: ContactDataType(emailPrivate: "jean.dupont@example.be", phonePrivate: "+32 2 123 45 67"),
            baseServiceUsage: ["ehbox", "recipe"])
        let response = GetCertificateInfoForCitizenResponseType(
            id: "_resp", inResponseTo: "_req", issueInstant: try XSDateTime(xmlText: "2026-11-29T06:00:00Z"),
            status: StatusType(statusCode: StatusCodeType(value: "urn:be:fgov:ehealth:2.0:status:Success")),
            certificateInfo: Array(repeating: info, count: entries))
        let envelope = try SOAPEnvelope.response(body: GetCertificateInfoForCitizenResponseType.rootElementName, response)
        return Data(envelope.utf8)
    }

    static func all() throws -> [Benchmark] {
        let bytes = try citizenResponse(entries: 1000)
        let limits = XMLParseLimits(maximumBytes: 64 * 1024 * 1024)
        // Sanity: the decode being measured really yields 1,000 entries.
        let check = try GetCertificateInfoForCitizenResponseType(xmlElement: SOAPEnvelope.parse(bytes, limits: limits).payload)
        precondition(check.certificateInfo.count == 1000)
        return [
            Benchmark("libxml2.parse.citizen1000") {
                let parsed: Bool = bytes.withUnsafeBytes { raw in
                    guard let document = xmlReadMemory(raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                                                       nil, nil, Int32(XML_PARSE_NONET.rawValue)) else { return false }
                    xmlFreeDoc(document)
                    return true
                }
                precondition(parsed)
            },
            // The share of decoding that is parsing (safe options, the envelope located).
            Benchmark("soap.parse.citizen1000") {
                let message = try SOAPEnvelope.parse(bytes, limits: limits)
                precondition(message.payload.localName == "GetCertificateInfoForCitizenResponse")
            },
            Benchmark("bindings.decode.citizen1000") {
                let message = try SOAPEnvelope.parse(bytes, limits: limits)
                let response = try GetCertificateInfoForCitizenResponseType(xmlElement: message.payload)
                precondition(response.certificateInfo.count == 1000)
            },
            Benchmark("bindings.encode.citizen1000") {
                _ = try SOAPEnvelope.response(body: GetCertificateInfoForCitizenResponseType.rootElementName, check)
            },
        ]
    }
}
