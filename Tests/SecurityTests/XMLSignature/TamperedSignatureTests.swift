import Crypto
import Foundation
import Generated
import SOAPRuntime
import SwiftASN1
import Testing
import X509
@testable import Security

/// The corpus of tampered and wrapped documents: each must be rejected, with its own code.
@Suite struct TamperedSignatureTests {
    static let id = "_5e0a8a7c-3f41-4bd3-9d4e-0c6f5d0b9a11"
    static let signer = EnvelopedSigner()
    static let key = TestPKI.rsaCitizen.authentication

    /// A GetActorQualitiesRequest signed with an RSA eID key: the document every case alters.
    static let signed: String = String(decoding: try! signer.signedDocumentSynchronously(XMLSignatureFixtures.getActorQualities(), with: key).xml, as: UTF8.self)

    /// The prefix the writer gave the XML-DSig namespace.
    static let ds: String = String(signed.firstMatch(of: /<([A-Za-z0-9_]+):Signature[ >]/)!.1)

    /// The whole ds:Signature element, as text.
    static var signatureText: String {
        let start = signed.range(of: "<\(ds):Signature")!.lowerBound
        let end = signed.range(of: "</\(ds):Signature>")!.upperBound
        return String(signed[start..<end])
    }

    static var unsigned: String { signed.replacingExactlyOnce(signatureText, with: "") }

    @discardableResult
    func expectRejected(_ xml: String, _ code: SecurityError.Code, element: SignatureVerifier.SignedElement = .documentElement,
                        at time: Date = Date(), verifier: SignatureVerifier = XMLSignatureFixtures.verifier,
                        sourceLocation: SourceLocation = #_sourceLocation) async -> SecurityError? {
        let error = await #expect(throws: SecurityError.self, sourceLocation: sourceLocation) {
            try await verifier.verify(Data(xml.utf8), element: element, at: time)
        }
        #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "no error")", sourceLocation: sourceLocation)
        return error
    }

    func verifies(_ xml: String) async throws -> VerifiedSignature {
        try await XMLSignatureFixtures.verifier.verify(Data(xml.utf8))
    }

    @Test func theUntamperedDocumentVerifies() async throws {
        #expect(try await verifies(Self.signed).signer == Self.key.certificate)
    }

    // MARK: content

    @Test func alteredText() async {
        await expectRejected(Self.signed.replacingExactlyOnce(">85210123617<", with: ">85210123618<"), .contentAltered)
    }

    @Test func alteredAttribute() async {
        await expectRejected(Self.signed.replacingExactlyOnce("IssueInstant=\"2026-03-02T10:15:30.125+01:00\"", with: "IssueInstant=\"2026-03-02T10:15:31.125+01:00\""), .contentAltered)
    }

    /// An attacker who alters the content and puts its new digest into SignedInfo breaks the
    /// signature value instead; the RSA key is shown to be the signer's, over other bytes.
    @Test func alteredContentWithRecomputedDigest() async throws {
        let altered = Self.signed.replacingExactlyOnce(">85210123617<", with: ">85210123618<")
        let document = try CanonicalizationDocument(parsing: altered)
        let root = document.documentElement
        let signature = try #require(root.firstDescendant(SignatureProfile.namespace, "Signature"))
        let digest = Data(SHA256.hash(data: try ExclusiveCanonicalization().canonicalize(root, excludingSignature: signature)))
        let old = try #require(Self.signed.firstMatch(of: /DigestValue>([^<]+)</)).1
        let forged = altered.replacingExactlyOnce(String(old), with: digest.base64EncodedString())
        await expectRejected(forged, .signedInfoAltered)
    }

    // MARK: where the signature is

    @Test func removedSignature() async {
        await expectRejected(Self.unsigned, .signatureMissing)
    }

    @Test func signatureMovedIntoAChild() async {
        let moved = Self.unsigned.replacingExactlyOnce("85210123617</", with: "85210123617" + Self.signatureText + "</")
        await expectRejected(moved, .signatureRelocated)
    }

    @Test func signatureFollowedByOtherContent() async {
        let followed = Self.signed.replacingExactlyOnce("</\(Self.ds):Signature>", with: "</\(Self.ds):Signature><extra/>")
        await expectRejected(followed, .signatureRelocated)
    }

    /// XML signature wrapping: the signed request is moved into the SOAP Header under a
    /// wrapper, and a forged request (other SSIN, other Id) takes its place in the Body.
    @Test func signedElementMovedUnderAWrapperWithAForgedSibling() async throws {
        let forged = Self.unsigned.replacingExactlyOnce(">85210123617<", with: ">71071012345<").replacingExactlyOnce(Self.id, with: "_forged")
        let envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Header><Wrapper>"
            + Self.signed + "</Wrapper></soapenv:Header><soapenv:Body>" + forged + "</soapenv:Body></soapenv:Envelope>"
        await expectRejected(envelope, .signatureWrapping, element: .soapBodyPayload)
        // The same with the bare document: the forged request wraps the signed one.
        let closing = try #require(forged.range(of: "</", options: .backwards))
        let wrapped = String(forged[..<closing.lowerBound]) + "<Wrapper>" + Self.signed + "</Wrapper>" + String(forged[closing.lowerBound...])
        await expectRejected(wrapped, .signatureWrapping)
    }

    @Test func duplicatedId() async {
        // A forged copy with the signed element's Id, in the Header: a reference to it is ambiguous.
        let forged = Self.unsigned.replacingExactlyOnce(">85210123617<", with: ">71071012345<")
        let envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Header>"
            + forged + "</soapenv:Header><soapenv:Body>" + Self.signed + "</soapenv:Body></soapenv:Envelope>"
        await expectRejected(envelope, .duplicateID, element: .soapBodyPayload)
        // Or an Id repeated inside the request itself.
        let inside = Self.signed.replacingExactlyOnce(">85210123617<", with: " Id=\"\(Self.id)\">85210123617<")
        await expectRejected(inside, .duplicateID)
    }

    /// A genuine signature (made by xmlsec1) whose one Reference names the signature's sibling,
    /// the SSIN element, instead of the request: valid XML-DSig, but not this profile.
    @Test func referenceToASiblingElement() async throws {
        var request = XMLSignatureFixtures.getActorQualities()
        request.signature = SignatureType(
            signedInfo: EnvelopedSigner.signedInfo(referencing: "_ssin", algorithm: .rsaSHA256, digest: Data()),
            signatureValue: SignatureValueType(value: Data()),
            keyInfo: KeyInfoType(choiceList: [.x509Data(X509DataType(choiceList: []))]))
        let template = try request.xmlDocument().replacingExactlyOnce(">85210123617<", with: " Id=\"_ssin\">85210123617<")
        let folder = try XMLSignatureFixtures.temporaryFolder()
        let templateFile = try XMLSignatureFixtures.write(template, to: folder, "template.xml")
        let keyFile = try XMLSignatureFixtures.write(TestPKI.privateKeyPEM(Self.key), to: folder, "key.pem")
        let chain = try Self.key.certificateChain.enumerated().map { try XMLSignatureFixtures.write(try TestPKI.pem($1), to: folder, "c\($0).pem").path }
        let output = folder.appendingPathComponent("signed.xml")
        let result = try XMLSignatureFixtures.run(XMLSignatureInteropTests.xmlsec1, [
            "--sign", "--privkey-pem", ([keyFile.path] + chain).joined(separator: ","),
            "--id-attr:Id", "urn:be:fgov:ehealth:certra:protocol:v2:SSIN", "--output", output.path, templateFile.path,
        ])
        try #require(result.succeeded, "xmlsec1 --sign: \(result.error)")
        await expectRejected(try String(contentsOf: output, encoding: .utf8), .referenceToOtherElement)
        // The same by editing a signature of ours.
        let edited = Self.signed.replacingExactlyOnce(">85210123617<", with: " Id=\"_ssin\">85210123617<")
            .replacingExactlyOnce("URI=\"#\(Self.id)\"", with: "URI=\"#_ssin\"")
        await expectRejected(edited, .referenceToOtherElement)
    }

    @Test func extraReference() async throws {
        let reference = try #require(Self.signed.firstMatch(of: try Regex("<\(Self.ds):Reference .*?</\(Self.ds):Reference>")))
        let doubled = Self.signed.replacingExactlyOnce(String(reference.output[0].substring!), with: String(reference.output[0].substring!) + String(reference.output[0].substring!))
        await expectRejected(doubled, .unexpectedReferences)
    }

    @Test func secondSignatureElsewhere() async {
        let second = Self.signed.replacingExactlyOnce("85210123617</", with: "85210123617" + Self.signatureText + "</")
        await expectRejected(second, .multipleSignatures)
    }

    // MARK: keys and chains

    @Test func wrongCertificateInKeyInfo() async throws {
        let theirs = try Self.base64(TestPKI.otherRSACitizen.authentication.certificate)
        let swapped = Self.signed.replacingExactlyOnce(try Self.base64(Self.key.certificate), with: theirs)
        await expectRejected(swapped, .wrongKey)
    }

    @Test func certificateOfAnotherKeyTypeInKeyInfo() async throws {
        let swapped = Self.signed.replacingExactlyOnce(try Self.base64(Self.key.certificate), with: try Self.base64(TestPKI.ecCitizen.authentication.certificate))
        await expectRejected(swapped, .wrongKey)
    }

    /// A chain that copies the real root's and CA's names, with other keys.
    @Test func untrustedRoot() async throws {
        let impostor = try Self.signer.signedDocumentSynchronously(XMLSignatureFixtures.getActorQualities(), with: TestPKI.impostorCitizenSignature)
        await expectRejected(String(decoding: impostor.xml, as: UTF8.self), .untrustedChain)
        // And a genuine chain the verifier does not trust.
        await expectRejected(Self.signed, .untrustedChain, verifier: SignatureVerifier(trustRoots: [TestPKI.eHealthRoot.certificate]))
        // The impostor's own root, once trusted, makes it verify: the check is the trust, nothing else.
        let trusting = SignatureVerifier(trustRoots: [TestPKI.impostorRoot.certificate])
        #expect(try await trusting.verify(impostor.xml).signerChain.last == TestPKI.impostorRoot.certificate)
    }

    /// The chain goes through swift-certificates' Verifier: a CA below the citizen CA (whose
    /// pathLen is 0) cannot issue a signer, however well it signs.
    @Test func pathLengthConstraintOfTheSignersChain() async throws {
        let subCA = try TestPKI.citizenCA.intermediate(name: try DistinguishedName { CountryName("BE"); CommonName("Sub CA Test") },
                                                      key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validity: TestPKI.validity)
        let key = P256.Signing.PrivateKey()
        let certificate = try subCA.issue(subject: try DistinguishedName { CountryName("BE"); CommonName("Too Deep") },
                                          publicKey: Certificate.PublicKey(key.publicKey), validity: TestPKI.validity,
                                          extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) })
        let signing = try SoftwareSigningKey(key: .p256(key), certificateChain: [certificate] + subCA.chainBelowRoot)
        let document = try Self.signer.signedDocumentSynchronously(XMLSignatureFixtures.getActorQualities(), with: signing)
        let error = await expectRejected(String(decoding: document.xml, as: UTF8.self), .untrustedChain)
        #expect(error?.reason.contains("path") == true || error?.reason.contains("Path") == true, "\(String(describing: error))")
    }

    @Test func expiredLeaf() async throws {
        let expired = try Self.signer.signedDocumentSynchronously(XMLSignatureFixtures.getActorQualities(), with: TestPKI.expiredCitizenSignature)
        await expectRejected(String(decoding: expired.xml, as: UTF8.self), .certificateExpired)
        // A valid chain verified after it expires, or before it starts.
        await expectRejected(Self.signed, .certificateExpired, at: Date(timeIntervalSinceNow: 86_400 * 365 * 6))
        await expectRejected(Self.signed, .certificateNotYetValid, at: Date(timeIntervalSinceNow: -86_400 * 60))
    }

    /// A remembered chain is remembered for its certificate signatures only: its validity is
    /// checked again on every verification.
    @Test func aRememberedChainIsStillCheckedForValidity() async throws {
        let verifier = SignatureVerifier(trustRoots: [TestPKI.eIDRoot.certificate], verifiedChainCacheSize: 4)
        #expect(try await verifier.verify(Data(Self.signed.utf8)).signer == Self.key.certificate)
        await expectRejected(Self.signed, .certificateExpired, at: Date(timeIntervalSinceNow: 86_400 * 365 * 6), verifier: verifier)
        #expect(try await verifier.verify(Data(Self.signed.utf8)).signer == Self.key.certificate)
        // And a verifier with other roots does not share it.
        await expectRejected(Self.signed, .untrustedChain, verifier: SignatureVerifier(trustRoots: [TestPKI.impostorRoot.certificate]))
    }

    @Test func signatureValueDamaged() async throws {
        let value = try #require(Self.signed.firstMatch(of: /SignatureValue>([^<]+)</)).1
        var bytes = try #require(Data(base64Encoded: String(value)))
        bytes[100] ^= 0x01
        await expectRejected(Self.signed.replacingExactlyOnce(String(value), with: bytes.base64EncodedString()), .wrongKey)
        await expectRejected(Self.signed.replacingExactlyOnce(String(value), with: bytes.dropLast().base64EncodedString()), .badSignatureValue)
    }

    @Test func ecdsaSignatureValueDamaged() async throws {
        let signed = String(decoding: try Self.signer.signedDocumentSynchronously(XMLSignatureFixtures.getActorQualities(), with: TestPKI.ecCitizen.authentication).xml, as: UTF8.self)
        _ = try await verifies(signed)
        let value = try #require(signed.firstMatch(of: /SignatureValue>([^<]+)</)).1
        var bytes = try #require(Data(base64Encoded: String(value)))
        bytes[10] ^= 0x01
        await expectRejected(signed.replacingExactlyOnce(String(value), with: bytes.base64EncodedString()), .badSignatureValue)
    }

    // MARK: algorithms and transforms

    @Test func rsaSHA1SignatureMethod() async {
        await expectRejected(Self.signed.replacingExactlyOnce("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", with: "http://www.w3.org/2000/09/xmldsig#rsa-sha1"), .weakAlgorithm)
    }

    @Test func hmacSignatureMethod() async {
        await expectRejected(Self.signed.replacingExactlyOnce("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", with: "http://www.w3.org/2000/09/xmldsig#hmac-sha1"), .weakAlgorithm)
    }

    @Test func sha1DigestMethod() async {
        await expectRejected(Self.signed.replacingExactlyOnce("http://www.w3.org/2001/04/xmlenc#sha256", with: "http://www.w3.org/2000/09/xmldsig#sha1"), .weakAlgorithm)
    }

    @Test func algorithmsOutsideTheProfile() async {
        await expectRejected(Self.signed.replacingExactlyOnce("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", with: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"), .unsupportedAlgorithm)
        await expectRejected(Self.signed.replacingExactlyOnce("http://www.w3.org/2001/04/xmlenc#sha256", with: "http://www.w3.org/2001/04/xmlenc#sha512"), .unsupportedAlgorithm)
    }

    @Test func extraXPathTransform() async {
        let ds = Self.ds
        let xpath = "<\(ds):Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><\(ds):XPath>not(ancestor-or-self::*[local-name()='SSIN'])</\(ds):XPath></\(ds):Transform></\(ds):Transforms>"
        await expectRejected(Self.signed.replacingExactlyOnce("</\(ds):Transforms>", with: xpath), .unexpectedTransforms)
    }

    @Test func otherTransformListsAndCanonicalizations() async {
        let ds = Self.ds
        let enveloped = "<\(ds):Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></\(ds):Transform>"
        let selfClosing = Self.signed.contains(enveloped) ? enveloped : "<\(ds):Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
        // Only exclusive C14N: the signature itself would be digested.
        await expectRejected(Self.signed.replacingExactlyOnce(selfClosing, with: ""), .unexpectedTransforms)
        // Inclusive C14N for SignedInfo, and the comment-keeping variant of exclusive C14N.
        let canonicalization = "CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\""
        await expectRejected(Self.signed.replacingExactlyOnce(canonicalization, with: "CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\""), .unexpectedTransforms)
        await expectRejected(Self.signed.replacingExactlyOnce(canonicalization, with: "CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#WithComments\""), .unexpectedTransforms)
    }

    // MARK: what canonicalization forgives, and what it does not

    @Test func commentsInSignedInfoAndInTheContentAreNotSigned() async throws {
        let ds = Self.ds
        let commented = Self.signed
            .replacingExactlyOnce("<\(ds):SignatureMethod", with: "<!-- a comment inside SignedInfo --><\(ds):SignatureMethod")
            .replacingExactlyOnce(">85210123617<", with: "><!-- in the content -->85210123617<")
        #expect(try await verifies(commented).signer == Self.key.certificate)
    }

    @Test func whitespaceInsideTagsIsNotSigned() async throws {
        let ds = Self.ds
        let spaced = Self.signed.replacingExactlyOnce("<\(ds):SignatureMethod Algorithm=", with: "<\(ds):SignatureMethod \n\t Algorithm=")
            .replacingExactlyOnce("URI=\"#\(Self.id)\"", with: "URI = '#\(Self.id)'  ")
        #expect(try await verifies(spaced).signer == Self.key.certificate)
    }

    @Test func whitespaceBetweenSignedInfoElementsIsSigned() async {
        let ds = Self.ds
        let spaced = Self.signed.replacingExactlyOnce("<\(ds):SignatureMethod", with: "\n  <\(ds):SignatureMethod")
        await expectRejected(spaced, .signedInfoAltered)
    }

    // MARK: documents

    @Test func doctypeInASignedDocument() async {
        await expectRejected("<!DOCTYPE x [<!ENTITY e \"85210123617\">]>" + Self.signed, .malformedXML)
    }

    @Test func unexpectedSignedElement() async {
        let error = await #expect(throws: SecurityError.self) {
            try await XMLSignatureFixtures.verifier.verify(Data(Self.signed.utf8), expectedName: GenerateCertificateRequestType.rootElementName)
        }
        #expect(error?.code == .unexpectedSignedElement)
        await expectRejected(Self.signed, .unexpectedSignedElement, element: .soapBodyPayload)
    }

    static func base64(_ certificate: Certificate) throws -> String {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return Data(serializer.serializedBytes).base64EncodedString()
    }
}
