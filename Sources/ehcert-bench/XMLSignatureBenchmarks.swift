import _CryptoExtras
import CLibXML2
import COpenSSL
import Crypto
import Foundation
import Generated
import Security
import SOAPRuntime
import SwiftASN1
import X509

/// Signing and verifying a 10 KB GenerateCertificateRequest (RSA 2048, the cookbook's profile),
/// each against its floor: the bare RSA operation that no signer can avoid, and for verifying,
/// a plain libxml2 parse of the same bytes plus that RSA verification.
enum XMLSignatureBenchmarks {
    static let names = ["rsa2048.sign.floor", "rsa2048.sign.openssl", "xmldsig.sign", "libxml2.parse.request", "rsa2048.verify.openssl",
                        "xmldsig.verify.floor", "xmldsig.verify", "xmldsig.verify.uncached"]

    struct Fixture {
        let key: SoftwareSigningKey
        let privateKey: _RSA.Signing.PrivateKey
        let root: Certificate
        let request: GenerateCertificateRequestType
    }

    static func fixture() throws -> Fixture {
        let validity = Date(timeIntervalSinceNow: -86_400)...Date(timeIntervalSinceNow: 86_400 * 365)
        let root = try CertificateAuthority.root(
            name: try DistinguishedName { CountryName("BE"); CommonName("Belgium Root CA Bench") },
            key: Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048)), validity: validity)
        let citizenCA = try root.intermediate(
            name: try DistinguishedName { CountryName("BE"); CommonName("Citizen CA Bench") },
            key: Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048)), validity: validity)
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let certificate = try citizenCA.issue(
            subject: try DistinguishedName { CountryName("BE"); CommonName("Jean DUPONT (Signature)") },
            publicKey: Certificate.PrivateKey(privateKey).publicKey, validity: validity,
            extensions: try Certificate.Extensions { Critical(KeyUsage(nonRepudiation: true)) })
        let key = try SoftwareSigningKey(key: .rsa(privateKey), certificateChain: [certificate] + citizenCA.chainBelowRoot)

        let paragraph = "<p>Je soussigné, Jean DUPONT, demande un certificat eHealth & accepte les conditions d'utilisation générales.</p>\n"
        let text = String(repeating: paragraph, count: 10_240 / paragraph.utf8.count + 1)
        let request = GenerateCertificateRequestType(
            id: "_c0ffee00-1111-4222-8333-444455556666",
            issueInstant: try XSDateTime(xmlText: "2026-03-02T10:15:30.125+01:00"),
            eHealthCSR: EHealthCertificateSigningRequestType(
                contactData: ContactDataType(emailPrivate: "jean.dupont@example.be", phonePrivate: "+32 2 123 45 67"),
                csr: Data((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7) }),
                contract: ContractType(
                    dn: "CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN=85210123617,O=Federal Government,C=BE",
                    signer: ActorType(id: [IdType(type: "urn:be:fgov:person:ssin", value: "85210123617")], firstName: ["Jean"], name: "DUPONT"),
                    text: TextType(value: [LocalizedString(language: try Lang(xmlText: "fr"), value: text)])),
                baseServiceUsage: ["ehbox"]),
            signature: .placeholder)
        return Fixture(key: key, privateKey: privateKey, root: root.certificate, request: request)
    }

    static func all() throws -> [Benchmark] {
        let fixture = try fixture()
        let signer = EnvelopedSigner()
        let verifier = SignatureVerifier(trustRoots: [fixture.root])
        let uncachedVerifier = SignatureVerifier(trustRoots: [fixture.root], verifiedChainCacheSize: 0)
        let signed = try signer.signedDocumentSynchronously(fixture.request, with: fixture.key)
        // Sanity: what is measured really is a verifying 10 KB request.
        precondition(signed.xml.count > 10_000)
        let check = try FlowBenchmarks.blocking { try await verifier.verify(signed.xml) }
        precondition(check.signer == fixture.key.certificate)

        let digest = SHA256.hash(data: Data("a 32-byte digest is what the floor signs".utf8))
        let publicKey = fixture.privateKey.publicKey
        let signatureValue = _RSA.Signing.RSASignature(rawRepresentation: signed.request.signature.signatureValue.value)
        let prepared = try signer.prepare(signed.request, certificateChain: fixture.key.certificateChain, algorithm: .rsaSHA256)
        let signedInfoDigest = SHA256.hash(data: prepared.canonicalSignedInfo)
        precondition(publicKey.isValidSignature(signatureValue, for: signedInfoDigest, padding: .insecurePKCS1v1_5))
        let bytes = signed.xml

        var serializer = DER.Serializer()
        try serializer.serialize(fixture.key.certificate.publicKey)
        let openSSL = try OpenSSLFloor(privateKeyDER: fixture.privateKey.derRepresentation, subjectPublicKeyInfo: serializer.serializedBytes)
        let digestBytes = Array(digest)
        var openSSLSignature = [UInt8](repeating: 0, count: 256)
        precondition(openSSL.sign(digest: digestBytes, into: &openSSLSignature) && openSSL.verify(openSSLSignature, digest: digestBytes))
        let signedInfoDigestBytes = Array(signedInfoDigest)
        let signatureValueBytes = Array(signatureValue.rawRepresentation)
        precondition(openSSL.verify(signatureValueBytes, digest: signedInfoDigestBytes))

        func parse() -> Bool {
            bytes.withUnsafeBytes { raw in
                guard let document = xmlReadMemory(raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                                                   nil, nil, Int32(XML_PARSE_NONET.rawValue)) else { return false }
                xmlFreeDoc(document)
                return true
            }
        }

        return [
            Benchmark("rsa2048.sign.floor") {
                _ = try fixture.privateKey.signature(for: digest, padding: .insecurePKCS1v1_5)
            },
            Benchmark("rsa2048.sign.openssl") {
                precondition(openSSL.sign(digest: digestBytes, into: &openSSLSignature))
            },
            Benchmark("xmldsig.sign") {
                let document = try signer.signedDocumentSynchronously(fixture.request, with: fixture.key)
                precondition(document.xml.count > 10_000)
            },
            // The verification floors: parsing the signed request, and the bare RSA verification.
            Benchmark("libxml2.parse.request") {
                precondition(parse())
            },
            Benchmark("rsa2048.verify.openssl") {
                precondition(openSSL.verify(signatureValueBytes, digest: signedInfoDigestBytes))
            },
            Benchmark("xmldsig.verify.floor") {
                precondition(parse() && publicKey.isValidSignature(signatureValue, for: signedInfoDigest, padding: .insecurePKCS1v1_5))
            },
            Benchmark("xmldsig.verify") {
                let verified = try FlowBenchmarks.blocking { try await verifier.verify(bytes) }
                precondition(verified.signerChain.count == 3)
            },
            // The same with the signer's chain checked from scratch every time (two more RSA
            // verifications and two certificate parses), as on a signer's first request.
            Benchmark("xmldsig.verify.uncached") {
                let verified = try FlowBenchmarks.blocking { try await uncachedVerifier.verify(bytes) }
                precondition(verified.signerChain.count == 3)
            },
        ]
    }
}
