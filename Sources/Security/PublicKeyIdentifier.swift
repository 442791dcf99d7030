import Crypto
import Foundation
import SwiftASN1
import X509

/// The identifier eHealth gives a key pair: RFC 5280 section 4.2.1.2 method 1, the SHA-1 of the
/// subjectPublicKey BIT STRING's value (no tag, length or unused-bits byte). 20 bytes.
public struct PublicKeyIdentifier: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count == 20 else {
            throw SecurityError(.invalidPublicKeyIdentifier, "a PublicKeyIdentifier has 20 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// From the DER SubjectPublicKeyInfo of a key.
    public init(subjectPublicKeyInfoDER der: [UInt8]) throws {
        let node = try DER.parse(der)
        guard case .constructed(let children) = node.content else {
            throw SecurityError(.invalidPublicKey, "SubjectPublicKeyInfo is not a SEQUENCE")
        }
        var iterator = children.makeIterator()
        _ = iterator.next()
        guard let bitString = iterator.next(), bitString.identifier == .bitString,
              case .primitive(let value) = bitString.content, let unusedBits = value.first, unusedBits == 0
        else {
            throw SecurityError(.invalidPublicKey, "SubjectPublicKeyInfo has no whole-byte subjectPublicKey BIT STRING")
        }
        bytes = Array(Insecure.SHA1.hash(data: value.dropFirst()))
    }

    public init(publicKey: Certificate.PublicKey) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(publicKey)
        try self.init(subjectPublicKeyInfoDER: serializer.serializedBytes)
    }

    public init(certificate: Certificate) throws {
        try self.init(publicKey: certificate.publicKey)
    }

    public init(csr: CertificateSigningRequest) throws {
        try self.init(publicKey: csr.publicKey)
    }

    /// Upper-case hex, as on the wire (xs:hexBinary).
    public var hex: String { bytes.map { String(format: "%02X", $0) }.joined() }

    public init(hex: String) throws {
        var result: [UInt8] = []
        var iterator = hex.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let byte = UInt8(String([high, low]), radix: 16) else {
                throw SecurityError(.invalidPublicKeyIdentifier, "\"\(hex)\" is not hexadecimal")
            }
            result.append(byte)
        }
        try self.init(bytes: result)
    }

    public var description: String { hex }
}
