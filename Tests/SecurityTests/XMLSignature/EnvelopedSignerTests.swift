import Crypto
import Foundation
import Generated
import SOAPRuntime
import SwiftASN1
import Testing
import X509
@testable import Security

@Suite struct EnvelopedSignerTests {
    let signer = EnvelopedSigner()
    let verifier = XMLSignatureFixtures.verifier

    /// Decodes the signed document through the generated bindings and checks every element of
    /// the profile (cookbook 4.3.2).
    func expectProfile(_ signature: SignatureType, id: String, algorithm: SignatureAlgorithm, chain: [Certificate]) throws {
        let signedInfo = signature.signedInfo
        #expect(signedInfo.canonicalizationMethod.algorithm == "http://www.w3.org/2001/10/xml-exc-c14n#")
        #expect(signedInfo.canonicalizationMethod.anyElements.isEmpty)
        #expect(signedInfo.signatureMethod.algorithm == algorithm.uri)
        try #require(signedInfo.reference.count == 1)
        let reference = signedInfo.reference[0]
        #expect(reference.uri == "#" + id)
        #expect(reference.transforms?.transform.map(\.algorithm) == [
            "http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#",
        ])
        #expect(reference.digestMethod.algorithm == "http://www.w3.org/2001/04/xmlenc#sha256")
        #expect(reference.digestValue.count == 32)
        let certificates = try #require(signature.keyInfo?.choiceList.compactMap { choice -> [Data]? in
            guard case .x509Data(let data) = choice else { return nil }
            return data.choiceList.compactMap { if case .x509Certificate(let der) = $0 { return der } else { return nil } }
        }.first)
        let expected = try chain.map { certificate -> Data in
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return Data(serializer.serializedBytes)
        }
        // Leaf first, then its issuers, the root left out.
        #expect(certificates == expected)
    }

    @Test func signsGetActorQualitiesWithAnRSAeIDAuthenticationKey() async throws {
        let key = TestPKI.rsaCitizen.authentication
        let signed = try await signer.signedDocument(XMLSignatureFixtures.getActorQualities(), with: key)
        let request = try GetActorQualitiesRequestType(xmlDocument: String(decoding: signed.xml, as: UTF8.self))
        #expect(request == signed.request)
        try expectProfile(request.signature, id: "_5e0a8a7c-3f41-4bd3-9d4e-0c6f5d0b9a11", algorithm: .rsaSHA256, chain: key.certificateChain)
        #expect(request.signature.signatureValue.value.count == 256)

        let verified = try await verifier.verify(signed.xml, expectedName: GetActorQualitiesRequestType.rootElementName)
        #expect(verified.signer == key.certificate)
        #expect(verified.signerChain == key.certificateChain + [TestPKI.eIDRoot.certificate])
        #expect(verified.signedElementID == "_5e0a8a7c-3f41-4bd3-9d4e-0c6f5d0b9a11")
        #expect(verified.signatureAlgorithm == .rsaSHA256)
        // What was signed is the request without its signature.
        let content = String(decoding: verified.canonicalSignedElement, as: UTF8.self)
        #expect(content.contains("85210123617"))
        #expect(!content.contains("Signature"))
        #expect(try verified.signedElement().localName == "GetActorQualitiesRequest")
    }

    @Test func signsATenKilobyteGenerateCertificateRequestWithAP384eIDSignatureKey() async throws {
        let key = TestPKI.ecCitizen.signature
        let signed = try await signer.signedDocument(try XMLSignatureFixtures.generateCertificate(), with: key)
        #expect(signed.xml.count > 10_000)
        let request = try GenerateCertificateRequestType(xmlDocument: String(decoding: signed.xml, as: UTF8.self))
        try expectProfile(request.signature, id: "_c0ffee00-1111-4222-8333-444455556666", algorithm: .ecdsaSHA384, chain: key.certificateChain)
        #expect(request.signature.signatureValue.value.count == 96)
        #expect(request.eHealthCSR.contract.text.value[0].value == XMLSignatureFixtures.contractText)

        let verified = try await verifier.verify(signed.xml)
        #expect(verified.signatureAlgorithm == .ecdsaSHA384)
        #expect(verified.signerChain.first == key.certificate)
    }

    @Test func signsStartETKRegistrationWithAnEHealthKeyAndGivesItAnId() async throws {
        let key = TestPKI.eHealthOrganization
        let request = XMLSignatureFixtures.startETKRegistration()
        #expect(request.id == nil)
        let signed = try await signer.sign(request, with: key)
        let id = try #require(signed.id)
        // The connector's form: "_" and a lower-case UUID.
        #expect(id.hasPrefix("_"))
        #expect(UUID(uuidString: String(id.dropFirst())) != nil)
        #expect(id == id.lowercased())
        try expectProfile(signed.signature, id: id, algorithm: .rsaSHA256, chain: key.certificateChain)

        let xml = try signed.xmlDocument()
        let verified = try await verifier.verify(Data(xml.utf8), expectedName: StartETKRegistrationRequestType.rootElementName)
        #expect(verified.signerChain == key.certificateChain + [TestPKI.eHealthRoot.certificate])
        #expect(verified.signedElementID == id)
    }

    @Test func aRequestBuiltAroundItsSignatureIsSigned() async throws {
        let key = TestPKI.rsaCitizen.authentication
        let signed = try await signer.sign({ signature in
            GetActorQualitiesRequestType(id: "_built", issueInstant: XMLSignatureFixtures.issueInstant,
                                         ssin: IdType(type: "urn:be:fgov:person:ssin", value: "85210123617"), signature: signature)
        }, with: key)
        #expect(signed.signature.signedInfo.reference.first?.uri == "#_built")
        _ = try await verifier.verify(Data(try signed.xmlDocument().utf8))
    }

    @Test func theSignedRequestStillVerifiesInsideASOAPEnvelope() async throws {
        let key = TestPKI.rsaCitizen.signature
        let signed = try await signer.sign(try XMLSignatureFixtures.generateCertificate(), with: key)
        let envelope = try SOAPEnvelope.request(body: GenerateCertificateRequestType.rootElementName, signed)
        let verified = try await verifier.verify(Data(envelope.utf8), element: .soapBodyPayload)
        #expect(verified.signer == key.certificate)
        let (decoded, signature) = try await verifier.verifyAndDecode(Data(envelope.utf8), as: GenerateCertificateRequestType.self, element: .soapBodyPayload)
        #expect(decoded == signed)
        #expect(signature.signedElementID == signed.id)
        // The body payload is what is signed; the envelope as a document element is not.
        await #expect(throws: SecurityError.self) { try await verifier.verify(Data(envelope.utf8), element: .documentElement) }
    }

    /// Where the XML-DSig namespace is declared (on the request, as the bindings write it, or on
    /// the Signature) and which prefix the Signature uses do not change what the digest covers.
    @Test func theSignaturesNamespaceDeclarationsAndPrefixesDoNotChangeWhatTheDigestCovers() async throws {
        let key = TestPKI.rsaCitizen.authentication
        let signed = String(decoding: try await signer.signedDocument(XMLSignatureFixtures.getActorQualities(), with: key).xml, as: UTF8.self)
        // The same document with the declaration on the request element, and on the Signature.
        let ds = try #require(signed.firstMatch(of: /<(\w+):Signature[ >]/)).1
        let declaration = " xmlns:\(ds)=\"http://www.w3.org/2000/09/xmldsig#\""
        let bare = signed.replacingExactlyOnce(declaration, with: "")
        let rootTagEnd = try #require(bare.firstIndex(of: ">"))
        let onRequest = String(bare[..<rootTagEnd]) + declaration + String(bare[rootTagEnd...])
        let onSignature = bare.replacingExactlyOnce("<\(ds):Signature>", with: "<\(ds):Signature" + declaration + ">")
        #expect(try await verifier.verify(Data(onRequest.utf8)).signer == key.certificate)
        #expect(try await verifier.verify(Data(onSignature.utf8)).signer == key.certificate)
        // Another prefix: the rest canonicalizes to the same bytes (SignedInfo itself does not,
        // its prefix is part of what is signed).
        let renamed = onSignature.replacingOccurrences(of: "\(ds):", with: "dsig:").replacingOccurrences(of: "xmlns:\(ds)=", with: "xmlns:dsig=")
        #expect(renamed.contains("<dsig:SignedInfo>"))
        func rest(_ xml: String) throws -> Data {
            let document = try CanonicalizationDocument(parsing: xml)
            let signature = try #require(document.documentElement.firstDescendant(SignatureProfile.namespace, "Signature"))
            return try ExclusiveCanonicalization().canonicalize(document.documentElement, excludingSignature: signature)
        }
        #expect(try rest(renamed) == rest(signed))
        #expect(try rest(onRequest) == rest(signed))
    }

    /// The final document is the prepared encoding with the digest and signature value written
    /// in; it must be byte for byte what encoding the signed request gives.
    @Test(arguments: [TestPKI.rsaCitizen.signature, TestPKI.ecCitizen.signature])
    func theSignedDocumentIsTheEncodingOfTheSignedRequest(key: SoftwareSigningKey) async throws {
        let signed = try await signer.signedDocument(try XMLSignatureFixtures.generateCertificate(), with: key)
        #expect(String(decoding: signed.xml, as: UTF8.self) == (try signed.request.xmlDocument()))
        #expect(!String(decoding: signed.xml, as: UTF8.self).contains("AAAAAAAAAAAAAAAAAAAA"))
    }

    @Test func theDigestIsTheSHA256OfTheExclusiveCanonicalFormWithoutTheSignature() async throws {
        let key = TestPKI.eHealthOrganization
        let signed = try await signer.signedDocument(try XMLSignatureFixtures.generateCertificate(), with: key)
        // Independently: cut the Signature out of the text and canonicalize the whole document.
        let xml = String(decoding: signed.xml, as: UTF8.self)
        let start = try #require(xml.firstMatch(of: /<([A-Za-z0-9_]+):Signature[ >]/))
        let end = try #require(xml.range(of: ":Signature>", options: .backwards))
        let stripped = String(xml[..<start.range.lowerBound]) + String(xml[end.upperBound...])
        #expect(!stripped.contains("SignatureValue"))
        let canonical = try ExclusiveCanonicalization().canonicalize(document: Data(stripped.utf8))
        #expect(Data(SHA256.hash(data: canonical)) == signed.request.signature.signedInfo.reference[0].digestValue)
    }

    @Test func preparedSignaturesCanBeFinishedWithASignatureMadeElsewhere() async throws {
        let key = TestPKI.ecCitizen.authentication
        let prepared = try signer.prepare(XMLSignatureFixtures.getActorQualities(ssin: "90010112345"),
                                          certificateChain: key.certificateChain, algorithm: .ecdsaSHA384)
        // Exclusive C14N: SignedInfo carries the one namespace it uses, nothing inherited.
        let canonical = String(decoding: prepared.canonicalSignedInfo, as: UTF8.self)
        #expect(canonical.wholeMatch(of: /<(\w+):SignedInfo xmlns:\1="http:\/\/www.w3.org\/2000\/09\/xmldsig#"><\1:CanonicalizationMethod .*<\/\1:SignedInfo>/) != nil)
        #expect(prepared.request.id == "_5e0a8a7c-3f41-4bd3-9d4e-0c6f5d0b9a11")
        let value = try key.signSynchronously(prepared.canonicalSignedInfo)
        let signed = prepared.finish(signatureValue: value)
        _ = try await verifier.verify(Data(try signed.xmlDocument().utf8))
    }

    @Test func refusesAnIdThatIsNotAnXMLID() async throws {
        let key = TestPKI.rsaCitizen.authentication
        await #expect(throws: SecurityError(.signingFailed, "the request Id \"1 2\" is not an XML ID (NCName), so no Reference can point at it")) {
            try await signer.sign(XMLSignatureFixtures.getActorQualities(id: "1 2"), with: key)
        }
    }
}
