import Foundation
import Generated
import SOAPRuntime
import Testing
import X509
@testable import Security

/// Interoperability with the C reference implementation, xmlsec1 (libxmlsec1 over OpenSSL):
/// it verifies what we sign, and we verify what it signs.
@Suite struct XMLSignatureInteropTests {
    static let xmlsec1 = "/usr/bin/xmlsec1"

    /// `--id-attr:Id <namespace>:<name>` tells xmlsec1 that `Id` is an ID attribute there, which
    /// it needs to resolve `URI="#..."` without a DTD.
    func idAttributeArguments(_ name: XMLName) -> [String] {
        ["--id-attr:Id", (name.namespace.map { $0 + ":" } ?? "") + name.localName]
    }

    func xmlsecVerify(_ xml: Data, name: XMLName, root: Certificate, extra: [String] = []) throws -> XMLSignatureFixtures.ToolResult {
        let folder = try XMLSignatureFixtures.temporaryFolder()
        let rootFile = try XMLSignatureFixtures.write(try TestPKI.pem(root), to: folder, "root.pem")
        let file = try XMLSignatureFixtures.write(xml, to: folder, "signed.xml")
        return try XMLSignatureFixtures.run(Self.xmlsec1, ["--verify", "--trusted-pem", rootFile.path] + idAttributeArguments(name) + extra + [file.path])
    }

    @Test(arguments: [InteropSigner.rsaEID, .p384EID, .p256, .eHealthRSA])
    func xmlsec1VerifiesOurSignatures(_ signer: InteropSigner) async throws {
        let signed = try await EnvelopedSigner().signedDocument(try XMLSignatureFixtures.generateCertificate(), with: signer.key)
        let result = try xmlsecVerify(signed.xml, name: GenerateCertificateRequestType.rootElementName, root: signer.root)
        #expect(result.succeeded, "xmlsec1: \(result.error)")
        #expect(result.error.contains("OK"))

        // Negative control: the same tool rejects the document once one character changed.
        let tampered = String(decoding: signed.xml, as: UTF8.self).replacingExactlyOnce("jean.dupont@example.be", with: "jean.dupond@example.be")
        let rejected = try xmlsecVerify(Data(tampered.utf8), name: GenerateCertificateRequestType.rootElementName, root: signer.root)
        #expect(!rejected.succeeded)
    }

    @Test func xmlsec1VerifiesSignedGetActorQualitiesAndStartETKRegistration() async throws {
        let signer = EnvelopedSigner()
        let actor = try await signer.signedDocument(XMLSignatureFixtures.getActorQualities(), with: TestPKI.rsaCitizen.authentication)
        let actorResult = try xmlsecVerify(actor.xml, name: GetActorQualitiesRequestType.rootElementName, root: TestPKI.eIDRoot.certificate)
        #expect(actorResult.succeeded, "xmlsec1: \(actorResult.error)")
        let etk = try await signer.signedDocument(XMLSignatureFixtures.startETKRegistration(), with: TestPKI.eHealthOrganization)
        let etkResult = try xmlsecVerify(etk.xml, name: StartETKRegistrationRequestType.rootElementName, root: TestPKI.eHealthRoot.certificate)
        #expect(etkResult.succeeded, "xmlsec1: \(etkResult.error)")
        // Trusting the wrong root, xmlsec1 refuses the chain: it really checked it.
        let wrongRoot = try xmlsecVerify(etk.xml, name: StartETKRegistrationRequestType.rootElementName, root: TestPKI.eIDRoot.certificate)
        #expect(!wrongRoot.succeeded)
    }

    /// xmlsec1 prints the bytes it digested for the Reference: they must be ours, byte for byte.
    @Test func xmlsec1DigestsExactlyOurCanonicalForm() async throws {
        let signed = try await EnvelopedSigner().signedDocument(try XMLSignatureFixtures.generateCertificate(), with: TestPKI.rsaCitizen.signature)
        let result = try xmlsecVerify(signed.xml, name: GenerateCertificateRequestType.rootElementName, root: TestPKI.eIDRoot.certificate,
                                      extra: ["--store-references", "--print-debug"])
        try #require(result.succeeded, "xmlsec1: \(result.error)")
        let verified = try await XMLSignatureFixtures.verifier.verify(signed.xml)
        let ours = String(decoding: verified.canonicalSignedElement, as: UTF8.self)
        #expect(ours.count > 10_000)
        #expect(result.output.contains(ours), "xmlsec1's pre-digest buffer differs from our canonical form")
    }

    @Test(arguments: [InteropSigner.rsaEID, .p384EID, .p256])
    func weVerifyWhatXmlsec1Signs(_ signer: InteropSigner) async throws {
        // A template over one of our requests, with the same profile; xmlsec1 fills in the
        // digest, the signature value and the certificates.
        var request = try XMLSignatureFixtures.generateCertificate()
        let id = try #require(request.id)
        request.signature = SignatureType(
            signedInfo: EnvelopedSigner.signedInfo(referencing: id, algorithm: try signer.key.signatureAlgorithm, digest: Data()),
            signatureValue: SignatureValueType(value: Data()),
            keyInfo: KeyInfoType(choiceList: [.x509Data(X509DataType(choiceList: []))]))
        let folder = try XMLSignatureFixtures.temporaryFolder()
        let template = try XMLSignatureFixtures.write(try request.xmlDocument(), to: folder, "template.xml")
        let keyFile = try XMLSignatureFixtures.write(TestPKI.privateKeyPEM(signer.key), to: folder, "key.pem")
        let chainFiles = try signer.key.certificateChain.enumerated().map { index, certificate in
            try XMLSignatureFixtures.write(try TestPKI.pem(certificate), to: folder, "chain-\(index).pem").path
        }
        let output = folder.appendingPathComponent("signed.xml")
        let result = try XMLSignatureFixtures.run(Self.xmlsec1, ["--sign", "--privkey-pem", ([keyFile.path] + chainFiles).joined(separator: ",")]
            + idAttributeArguments(GenerateCertificateRequestType.rootElementName) + ["--output", output.path, template.path])
        try #require(result.succeeded, "xmlsec1 --sign: \(result.error)")
        let signedBytes = try Data(contentsOf: output)

        let verified = try await XMLSignatureFixtures.verifier.verify(signedBytes, expectedName: GenerateCertificateRequestType.rootElementName)
        #expect(verified.signer == signer.key.certificate)
        #expect(verified.signatureAlgorithm == (try signer.key.signatureAlgorithm))
        #expect(verified.signerChain.last == signer.root)
        // The generated bindings read xmlsec1's document too.
        let decoded = try GenerateCertificateRequestType(xmlDocument: String(decoding: signedBytes, as: UTF8.self))
        #expect(decoded.eHealthCSR == request.eHealthCSR)

        // And a change after xmlsec1 signed is caught.
        let tampered = String(decoding: signedBytes, as: UTF8.self).replacingExactlyOnce("+32 2 123 45 67", with: "+32 2 765 43 21")
        await #expect(throws: SecurityError(.contentAltered, "the signed element #\(id) was changed after it was signed: its SHA-256 digest does not match the signed DigestValue")) {
            try await XMLSignatureFixtures.verifier.verify(Data(tampered.utf8))
        }
    }
}

extension XMLSignatureInteropTests {
    /// The profile allows InclusiveNamespaces on both exclusive C14N steps; a signature xmlsec1
    /// makes with PrefixList="#default cc" verifies, so the verifier canonicalizes as xmlsec1 does.
    @Test func weVerifyXmlsec1SignaturesWithInclusiveNamespaces() async throws {
        let key = TestPKI.rsaCitizen.authentication
        var request = XMLSignatureFixtures.getActorQualities()
        let inclusive = try AnyXMLElement(xml: "<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"#default cc\"/>")
        var signedInfo = EnvelopedSigner.signedInfo(referencing: try #require(request.id), algorithm: .rsaSHA256, digest: Data())
        signedInfo.canonicalizationMethod.anyElements = [inclusive]
        signedInfo.reference[0].transforms?.transform[1].choiceList = [.anyElement(inclusive)]
        request.signature = SignatureType(signedInfo: signedInfo, signatureValue: SignatureValueType(value: Data()),
                                          keyInfo: KeyInfoType(choiceList: [.x509Data(X509DataType(choiceList: []))]))
        let folder = try XMLSignatureFixtures.temporaryFolder()
        let template = try XMLSignatureFixtures.write(try request.xmlDocument(), to: folder, "template.xml")
        let keyFile = try XMLSignatureFixtures.write(TestPKI.privateKeyPEM(key), to: folder, "key.pem")
        let chain = try key.certificateChain.enumerated().map { try XMLSignatureFixtures.write(try TestPKI.pem($1), to: folder, "c\($0).pem").path }
        let output = folder.appendingPathComponent("signed.xml")
        let result = try XMLSignatureFixtures.run(Self.xmlsec1, ["--sign", "--privkey-pem", ([keyFile.path] + chain).joined(separator: ",")]
            + idAttributeArguments(GetActorQualitiesRequestType.rootElementName) + ["--output", output.path, template.path])
        try #require(result.succeeded, "xmlsec1 --sign: \(result.error)")
        let signed = try Data(contentsOf: output)
        #expect(String(decoding: signed, as: UTF8.self).contains("PrefixList=\"#default cc\""))
        let verified = try await XMLSignatureFixtures.verifier.verify(signed)
        #expect(verified.signer == key.certificate)
        // "cc" is in scope at the request, so the included prefix shows in what was signed.
        #expect(String(decoding: verified.canonicalSignedElement, as: UTF8.self).contains("xmlns:cc="))
    }
}

/// The signers the interop tests run with, named for the test report.
struct InteropSigner: Sendable, CustomTestStringConvertible {
    let name: String
    let key: SoftwareSigningKey
    let root: Certificate

    var testDescription: String { name }

    static let rsaEID = InteropSigner(name: "eID RSA 2048 (applet 1.7)", key: TestPKI.rsaCitizen.signature, root: TestPKI.eIDRoot.certificate)
    static let p384EID = InteropSigner(name: "eID EC P-384 (applet 1.8)", key: TestPKI.ecCitizen.signature, root: TestPKI.eIDRoot.certificate)
    static let p256 = InteropSigner(name: "EC P-256", key: TestPKI.p256Citizen.authentication, root: TestPKI.eIDRoot.certificate)
    static let eHealthRSA = InteropSigner(name: "eHealth RSA 2048", key: TestPKI.eHealthOrganization, root: TestPKI.eHealthRoot.certificate)
}
