import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import Security

@Suite struct EHealthCertificateSigningRequestTests {
    static let key: _RSA.Signing.PrivateKey = try! EHealthCertificateSigningRequest.generatePrivateKey()

    @Test func generatesRSA2048Keys() {
        #expect(Self.key.keySizeInBits == 2048)
    }

    @Test(arguments: [
        (IdentityFixtures.personDN,
         "subject=CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN=85210123617,O=Federal Government,C=BE"),
        (IdentityFixtures.organizationDN,
         "subject=CN=CBE=0123456749\\, APPID,OU=eHealth-platform Belgium,OU=SOCIETE GENERALE,OU=CBE=0123456749,OU=APPID,O=Federal Government,C=BE"),
    ])
    func opensslVerifiesTheRequestAndShowsTheContractsDN(contractDN: String, opensslSubject: String) throws {
        let request = try EHealthCertificateSigningRequest(contractDistinguishedName: contractDN, privateKey: Certificate.PrivateKey(Self.key))
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try IdentityFixtures.write(request.derEncoded, to: "request.der", in: folder)

        let verify = try IdentityFixtures.openssl(["req", "-inform", "DER", "-in", file.path, "-verify", "-noout"], in: folder)
        #expect(verify.status == 0, "\(verify.error)")
        #expect((verify.text + verify.error).contains("verify OK"))

        // RFC 2253 order is the string order: a DER order mistake would print the DN reversed.
        let subject = try IdentityFixtures.openssl(["req", "-inform", "DER", "-in", file.path, "-noout", "-subject", "-nameopt", "RFC2253"], in: folder)
        #expect(subject.status == 0, "\(subject.error)")
        let printed = subject.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed == opensslSubject)
        // And what openssl prints reads back as the same eHealth DN.
        #expect(try EHealthDistinguishedName(String(printed.dropFirst("subject=".count))) == (try EHealthDistinguishedName(contractDN)))

        // Signature algorithm and key, as the cookbook asks (4.3.4.5).
        let text = try IdentityFixtures.openssl(["req", "-inform", "DER", "-in", file.path, "-noout", "-text"], in: folder)
        #expect(text.text.contains("Signature Algorithm: sha256WithRSAEncryption"))
        #expect(text.text.contains("Public-Key: (2048 bit)"))
    }

    @Test func readsBackWhatItWrote() throws {
        let subject = try EHealthDistinguishedName(IdentityFixtures.personDN)
        let request = try EHealthCertificateSigningRequest(subject: subject, privateKey: Self.key)
        let reread = try EHealthCertificateSigningRequest(derEncoded: request.derEncoded)
        #expect(reread.subject == subject)
        #expect(reread == request)
        #expect(try reread.publicKeyIdentifier == (try PublicKeyIdentifier(publicKey: Certificate.PublicKey(Self.key.publicKey))))
        #expect(reread.request.subject == subject.distinguishedName)
    }

    @Test func readsARequestTheOpenSSLCLIMade() throws {
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = try IdentityFixtures.write(Data(Self.key.pkcs8PEMRepresentation.utf8), to: "key.pem", in: folder)
        let run = try IdentityFixtures.openssl([
            "req", "-new", "-key", keyFile.path, "-sha256", "-outform", "DER", "-out", "request.der",
            "-subj", "/C=BE/O=Federal Government/OU=SSIN=85210123617/OU=DUPONT DUPOND/OU=eHealth-platform Belgium/CN=SSIN=85210123617",
        ], in: folder)
        #expect(run.status == 0, "\(run.error)")
        let request = try EHealthCertificateSigningRequest(derEncoded: Data(contentsOf: folder.appendingPathComponent("request.der")))
        #expect(request.subject == (try EHealthDistinguishedName(IdentityFixtures.personDN)))
    }

    // MARK: - Keys the cookbook does not allow

    @Test func refusesAP384KeyForTheEHealthKey() throws {
        let subject = try EHealthDistinguishedName(IdentityFixtures.personDN)
        let error = #expect(throws: SecurityError.self) {
            try EHealthCertificateSigningRequest(subject: subject, privateKey: Certificate.PrivateKey(P384.Signing.PrivateKey()))
        }
        #expect(error?.code == .csrPublicKeyInvalid)
        #expect(error?.reason.contains("P-384") == true)
        #expect(error?.reason.contains("RSA 2048") == true)
    }

    @Test func refusesRSAKeysOfAnotherSize() throws {
        let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        let error = #expect(throws: SecurityError.self) {
            try EHealthCertificateSigningRequest(subject: try EHealthDistinguishedName(IdentityFixtures.personDN), privateKey: small)
        }
        #expect(error?.code == .csrPublicKeyInvalid)
        #expect(error?.reason.contains("RSA 1024") == true)
    }

    @Test func refusesAContractDNThatIsNoEHealthDN() {
        let error = #expect(throws: SecurityError.self) {
            try EHealthCertificateSigningRequest(contractDistinguishedName: "CN=Someone,O=Acme,C=BE", privateKey: Certificate.PrivateKey(Self.key))
        }
        #expect(error?.code == .distinguishedNameInvalid)
    }

    // MARK: - The sandbox's checks, with the platform's codes

    @Test func refusesBytesThatAreNoRequest() {
        let error = #expect(throws: SecurityError.self) { try EHealthCertificateSigningRequest(derEncoded: [0x30, 0x03, 0x02, 0x01, 0x00]) }
        #expect(error?.code == .csrInputNotParseable)
    }

    @Test func refusesATamperedRequest() throws {
        let request = try EHealthCertificateSigningRequest(subject: try EHealthDistinguishedName(IdentityFixtures.personDN), privateKey: Self.key)
        var bytes = request.derEncoded
        // The last byte belongs to the signature.
        bytes[bytes.count - 1] ^= 0x01
        let error = #expect(throws: SecurityError.self) { try EHealthCertificateSigningRequest(derEncoded: bytes) }
        #expect(error?.code == .csrSignatureNotValid)
        // A changed subject (DUPONT -> DUPONS) breaks the signature too.
        var renamed = request.derEncoded
        let name = Array("DUPONT".utf8)
        let offset = try #require((0..<(renamed.count - name.count)).first { Array(renamed[$0..<($0 + name.count)]) == name })
        renamed[offset + 5] = UInt8(ascii: "S")
        let renamedError = #expect(throws: SecurityError.self) { try EHealthCertificateSigningRequest(derEncoded: renamed) }
        #expect(renamedError?.code == .csrSignatureNotValid)
    }

    @Test func refusesRequestsThePlatformWouldRefuse() throws {
        let ehealthDN = try EHealthDistinguishedName(IdentityFixtures.personDN).distinguishedName
        func der(_ request: CertificateSigningRequest) throws -> [UInt8] {
            var serializer = DER.Serializer()
            try serializer.serialize(request)
            return serializer.serializedBytes
        }
        func code(_ request: CertificateSigningRequest) throws -> SecurityError.Code? {
            let bytes = try der(request)
            return #expect(throws: SecurityError.self) { try EHealthCertificateSigningRequest(derEncoded: bytes) }?.code
        }
        let rsa = Certificate.PrivateKey(Self.key)
        #expect(try code(CertificateSigningRequest(version: .v1, subject: ehealthDN, privateKey: rsa, attributes: .init(), signatureAlgorithm: .sha384WithRSAEncryption)) == .csrNotValid)
        #expect(try code(CertificateSigningRequest(version: .v1, subject: DistinguishedName(), privateKey: rsa, attributes: .init(), signatureAlgorithm: .sha256WithRSAEncryption)) == .csrNoSubjectPresent)
        #expect(try code(CertificateSigningRequest(version: .v1, subject: try DistinguishedName { CountryName("BE"); CommonName("Someone") }, privateKey: rsa, attributes: .init(), signatureAlgorithm: .sha256WithRSAEncryption)) == .distinguishedNameInvalid)
        // An EC key signed "SHA256withRSA" cannot exist; an EC request is refused on its algorithm.
        #expect(try code(CertificateSigningRequest(version: .v1, subject: ehealthDN, privateKey: Certificate.PrivateKey(P384.Signing.PrivateKey()), attributes: .init(), signatureAlgorithm: .ecdsaWithSHA384)) == .csrNotValid)
        let small = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)))
        #expect(try code(CertificateSigningRequest(version: .v1, subject: ehealthDN, privateKey: small, attributes: .init(), signatureAlgorithm: .sha256WithRSAEncryption)) == .csrPublicKeyInvalid)
    }
}
