import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// The PKCS#10 request for an eHealth authentication certificate (cookbook 4.3.4 step 6 and
/// 4.3.4.5): an RSA 2048 key, signed SHA256withRSA, whose subject is exactly the DN that
/// generateContract returned. Only such requests can be made or read.
public struct EHealthCertificateSigningRequest: Hashable, Sendable {
    public let request: CertificateSigningRequest
    public let subject: EHealthDistinguishedName
    /// What goes into GenerateCertificateRequest (DER, cookbook 4.3.4.5).
    public let derEncoded: [UInt8]

    /// The eHealth authentication key size (cookbook 4.3.4.5: "Key size = 2048").
    public static let keySizeInBits = 2048

    /// A new eHealth authentication key: RSA 2048 (cookbook 4.3.4 step 6a).
    public static func generatePrivateKey() throws -> _RSA.Signing.PrivateKey {
        try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    /// Signs a request for `subject` with the new key.
    public init(subject: EHealthDistinguishedName, privateKey: _RSA.Signing.PrivateKey) throws {
        try self.init(subject: subject, privateKey: Certificate.PrivateKey(privateKey))
    }

    /// Signs a request for `subject` with the new key, wherever it lives (a custom key can sit in
    /// an HSM). The key must be RSA 2048: EC keys (such as P-384) are refused, as the cookbook
    /// requires RSA for the eHealth authentication key.
    public init(subject: EHealthDistinguishedName, privateKey: Certificate.PrivateKey) throws {
        try Self.requireRSA2048(privateKey.publicKey, refusing: "the new eHealth authentication key")
        let request = try CertificateSigningRequest(
            version: .v1,
            subject: subject.distinguishedName,
            privateKey: privateKey,
            attributes: CertificateSigningRequest.Attributes(),
            signatureAlgorithm: .sha256WithRSAEncryption)
        self.request = request
        self.subject = subject
        var serializer = DER.Serializer()
        try serializer.serialize(request)
        derEncoded = serializer.serializedBytes
    }

    /// Signs a request whose subject is the contract's DN string (`Contract/DN` of the
    /// GenerateContractResponse), read faithfully: the CSR subject must equal it (cookbook 4.3.4.5).
    public init(contractDistinguishedName: String, privateKey: Certificate.PrivateKey) throws {
        try self.init(subject: EHealthDistinguishedName(contractDistinguishedName), privateKey: privateKey)
    }

    /// Reads and checks a request as the platform does (the sandbox's generateCertificate and
    /// submitCSRForForeigner): DER PKCS#10, signature SHA256withRSA that verifies, a subject that
    /// is an eHealth DN, an RSA 2048 key. Errors carry the platform's codes (cookbook 7.1).
    public init(derEncoded: some DataProtocol) throws {
        let bytes = Array(derEncoded)
        let request: CertificateSigningRequest
        do {
            request = try CertificateSigningRequest(derEncoded: bytes)
        } catch {
            // swift-crypto refuses RSA keys below 2048 bits while parsing: say so rather than "not a CSR".
            if let keySize = Self.rsaKeySize(inUnparsedRequest: bytes), keySize != Self.keySizeInBits {
                throw SecurityError(.csrPublicKeyInvalid, "the CSR's public key is RSA \(keySize), but eHealth authentication keys must be RSA 2048 (cookbook 4.3.4.5)")
            }
            throw SecurityError(.csrInputNotParseable, "the input is not a DER PKCS#10 certificate signing request (\(error))")
        }
        guard request.signatureAlgorithm == .sha256WithRSAEncryption else {
            throw SecurityError(.csrNotValid, "the CSR is signed \(request.signatureAlgorithm); eHealth requires SHA256withRSA (cookbook 4.3.4.5)")
        }
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw SecurityError(.csrSignatureNotValid, "the CSR's signature does not verify with its own public key")
        }
        guard !request.subject.isEmpty else {
            throw SecurityError(.csrNoSubjectPresent, "the CSR has no subject; it must be the DN generateContract returned")
        }
        try Self.requireRSA2048(request.publicKey, refusing: "the CSR's public key")
        subject = try EHealthDistinguishedName(request.subject)
        self.request = request
        self.derEncoded = bytes
    }

    /// The identifier generateCertificate answers with and getCertificate asks for (cookbook 4.3.4.5).
    public var publicKeyIdentifier: PublicKeyIdentifier {
        get throws { try PublicKeyIdentifier(csr: request) }
    }

    private static func requireRSA2048(_ publicKey: Certificate.PublicKey, refusing what: String) throws {
        guard let rsa = _RSA.Signing.PublicKey(publicKey) else {
            throw SecurityError(.csrPublicKeyInvalid, "\(what) is \(Self.describe(publicKey)), but eHealth authentication keys must be RSA 2048 (cookbook 4.3.4.5); generate one with generatePrivateKey()")
        }
        guard rsa.keySizeInBits == keySizeInBits else {
            throw SecurityError(.csrPublicKeyInvalid, "\(what) is RSA \(rsa.keySizeInBits), but eHealth authentication keys must be RSA 2048 (cookbook 4.3.4.5); generate one with generatePrivateKey()")
        }
    }

    /// The RSA key size in CertificationRequestInfo's SubjectPublicKeyInfo (its third field).
    private static func rsaKeySize(inUnparsedRequest bytes: [UInt8]) -> Int? {
        guard let request = try? DER.parse(bytes), case .constructed(let requestFields) = request.content,
              let information = requestFields.first(where: { _ in true }),
              case .constructed(let informationFields) = information.content
        else { return nil }
        let fields = Array(informationFields)
        guard fields.count >= 3 else { return nil }
        return (try? _RSA.Signing.PublicKey(unsafeDERRepresentation: fields[2].encodedBytes))?.keySizeInBits
    }

    private static func describe(_ publicKey: Certificate.PublicKey) -> String {
        if P384.Signing.PublicKey(publicKey) != nil { return "an EC P-384 key" }
        if P256.Signing.PublicKey(publicKey) != nil { return "an EC P-256 key" }
        if P521.Signing.PublicKey(publicKey) != nil { return "an EC P-521 key" }
        return "not an RSA key"
    }
}
