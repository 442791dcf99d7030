import Foundation
import Generated
import SOAPRuntime
import Testing

/// Where zeep 4.3 and our schemas do not get along. These pin zeep's behaviour, not
/// ours: if one starts failing, zeep changed and `ZeepShape` (which works around it) needs a look.
@Suite("zeep limitations with our schemas", .enabled(if: ZeepHarness.isAvailable, ZeepHarness.unavailableReason))
struct ZeepKnownIssueTests {
    /// ds:X509DataType is `<sequence maxOccurs="unbounded"><choice>…<any namespace="##other"/>`.
    /// zeep decodes all children as one pass through the choice and, ignoring `##other`, puts the
    /// second ds:X509Certificate of a chain in the wildcard slot, so the chain's order and the
    /// certificates' typing are lost. Our envelope is fine: zeep itself writes the same shape.
    @Test("zeep folds a certificate chain in ds:X509Data into one item")
    func certificateChainIsFolded() throws {
        var request = StartETKRegistrationRequestType(
            id: "request-chain", issueInstant: InteropSamples.issued, publicEncryptionKey: InteropSamples.derPublicKey,
            signature: try InteropSamples.signature(over: "request-chain"))
        request.signature.keyInfo = KeyInfoType(choiceList: [
            .x509Data(X509DataType(choiceList: [
                .x509Certificate(InteropSamples.derCertificate),
                .x509Certificate(InteropSamples.derIssuerCertificate),
            ])),
        ])
        let envelope = try SOAPEnvelope.request(body: EtkRaV2Client.Operations.startETKRegistration.inputElement, request)

        let decoded = try ZeepHarness.parse(wsdl: ZeepHarness.etkRAWSDL, operation: "startETKRegistration", envelope: envelope)

        let items = decoded["value"]["Signature"]["KeyInfo"]["_value_1"][0]["X509Data"]["_value_1"].arrayValue
        try #require(items.count == 1, "zeep now reports \(items.count) X509Data items: \(items)")
        #expect(items[0]["X509Certificate"] == .bytes(InteropSamples.derCertificate))
        let issuerAsWildcard = try AnyXMLElement(xml: try #require(items[0]["_value_1"][JSONValue.xmlTag].stringValue))
        #expect(issuerAsWildcard.name == XMLName("http://www.w3.org/2000/09/xmldsig#", "X509Certificate"))
        #expect(try Data(xmlElement: issuerAsWildcard.element()) == InteropSamples.derIssuerCertificate)
    }

    /// ds:TransformType is a repeated choice of `<any namespace="##other"/>` and ds:XPath; zeep
    /// hands an XPath item to the wildcard's renderer, which fails. eHealth signatures use no
    /// XPath transform, so this only limits what zeep can send, not what we exchange.
    @Test("zeep cannot write a ds:Transform with an XPath child")
    func xPathTransformCannotBeWritten() throws {
        var request = GetCertificateInfoForCitizenRequestType(
            id: "request-xpath", issueInstant: InteropSamples.issued,
            signature: try InteropSamples.signature(over: "request-xpath"))
        request.signature.signedInfo.reference[0].transforms = TransformsType(transform: [
            TransformType(algorithm: "http://www.w3.org/TR/1999/REC-xpath-19991116",
                          choiceList: [.xPath("not(ancestor-or-self::ds:Signature)")]),
        ])

        let error = #expect(throws: ZeepHarnessError.self) {
            try ZeepHarness.serialize(wsdl: ZeepHarness.certRAWSDL, operation: "getCertificateInfoForCitizen",
                                      values: request.zeepValue(.arguments))
        }
        #expect(error?.standardError.contains("AttributeError") == true, "\(error?.description ?? "")")
    }

    /// GetGenericOrganizationTypesRequestType extends cp:RequestType (attributes only) and adds
    /// nothing. zeep gives it a phantom content element `_value_1` of the base type and renders
    /// that element's attributes too; left unset, its required IssueInstant crashes the renderer.
    /// `ZeepShape` works around it by repeating the attributes under `_value_1`.
    @Test("zeep cannot build GetGenericOrganizationTypesRequest from its own attributes alone")
    func emptyExtensionNeedsPhantomValue() throws {
        let request = GetGenericOrganizationTypesRequestType(id: "request-organization-types", issueInstant: InteropSamples.issued)
        guard case .object(var attributesOnly) = request.zeepValue(.arguments) else {
            Issue.record("the zeep arguments of a request are an object")
            return
        }
        #expect(attributesOnly.removeValue(forKey: "_value_1") != nil)

        let error = #expect(throws: ZeepHarnessError.self) {
            try ZeepHarness.serialize(wsdl: ZeepHarness.certRAWSDL, operation: "getGenericOrganizationTypes",
                                      values: .object(attributesOnly))
        }
        #expect(error?.standardError.contains("isoformat") == true, "\(error?.description ?? "")")
    }
}
