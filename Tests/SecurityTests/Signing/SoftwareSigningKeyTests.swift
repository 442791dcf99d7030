import _CryptoExtras
import Crypto
import Foundation
import Security
import Testing
import X509

/// Software keys sign through OpenSSL; swift-crypto, an independent implementation, checks
/// what comes out.
@Suite("Software signing keys (OpenSSL)")
struct SoftwareSigningKeyTests {
    static let message = Data("<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">…</ds:SignedInfo>".utf8)

    @Test("an RSA signature is the PKCS#1 v1.5 SHA-256 value swift-crypto makes, byte for byte")
    func rsaMatchesSwiftCrypto() throws {
        let key = try TestPKI.eHealthAuthentication(dn: DistinguishedName { CountryName("BE"); CommonName("rsa signer") })
        guard case .rsa(let privateKey) = key.key else { Issue.record("not an RSA key"); return }
        let signature = try key.signSynchronously(Self.message)
        // PKCS#1 v1.5 is deterministic: both libraries must give the same bytes.
        let expected = try privateKey.signature(for: SHA256.hash(data: Self.message), padding: .insecurePKCS1v1_5).rawRepresentation
        #expect(signature.count == 256)
        #expect(signature == expected)
    }

    @Test("ECDSA signatures are r||s of the curve's size and verify with swift-crypto", arguments: [TestPKI.KeyKind.p256, .p384])
    func ecdsaIsConcatenated(kind: TestPKI.KeyKind) throws {
        let key = try TestPKI.eHealthAuthentication(dn: DistinguishedName { CountryName("BE"); CommonName("ec signer") }, keys: kind)
        for _ in 0..<8 { // r or s with leading zero bytes must still be padded to full size
            let signature = try key.signSynchronously(Self.message)
            #expect(signature.count == (kind == .p256 ? 64 : 96))
            #expect(KeystoreTesting.verify(signature, over: Self.message, with: key.certificate))
        }
    }

    @Test("a signature over other bytes does not verify")
    func otherBytesDoNotVerify() throws {
        for kind in [TestPKI.KeyKind.rsa2048, .p256, .p384] {
            let key = try TestPKI.eHealthAuthentication(dn: DistinguishedName { CountryName("BE"); CommonName("signer") }, keys: kind)
            let signature = try key.signSynchronously(Self.message)
            #expect(!KeystoreTesting.verify(signature, over: Self.message + Data([0x20]), with: key.certificate))
        }
    }

    @Test("many tasks can sign with one key at once")
    func concurrentSigning() async throws {
        let key = try TestPKI.eHealthAuthentication(dn: DistinguishedName { CountryName("BE"); CommonName("shared signer") })
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let message = Data("request \(index)".utf8)
                    return KeystoreTesting.verify(try key.signSynchronously(message), over: message, with: key.certificate)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }
}
