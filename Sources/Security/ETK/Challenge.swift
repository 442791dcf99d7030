import _CryptoExtras
import Crypto
import Foundation
import X509

/// The proof-of-possession challenge of StartETKRegistrationResponse (cookbook 4.3.4.7,
/// protocol-facts "The ETK challenge"): `challenge = C || H`, `C` the serial number bytes `S`
/// encrypted RSA/ECB/PKCS1Padding with the registered encryption key, `H = SHA-256(S)`.
///
/// A `Challenge` exists only once `C` decrypted and `H` matched: holding one means the serial
/// number is the one the platform chose.
public struct Challenge: Hashable, Sendable {
    /// `S`: the 16 bytes the platform chose.
    public let serialNumberBytes: [UInt8]

    /// The length of `S` (protocol-facts: "the first 16 bytes of the plaintext").
    public static let serialNumberLength = 16
    /// The length of `H`, a SHA-256 digest.
    public static let digestLength = SHA256.byteCount

    /// The encryption certificate's serial number: `S` read as an unsigned big-endian integer.
    /// Always positive: its DER INTEGER gets a leading 0x00 when the top bit of `S` is set.
    public var serialNumber: Certificate.SerialNumber { Certificate.SerialNumber(bytes: serialNumberBytes) }

    /// The serial number in decimal: the alias of the encryption key in the keystore (cookbook 4.1).
    public var keystoreAlias: String { Self.decimal(serialNumberBytes) }

    /// The client side (cookbook 4.3.4 step 11): decrypts `C` with the encryption private key,
    /// takes the first 16 bytes of the plaintext as `S`, and requires `SHA-256(S) == H`.
    public init(_ challenge: some DataProtocol, encryptionKey: _RSA.Encryption.PrivateKey) throws {
        let bytes = Array(challenge)
        guard bytes.count > Self.digestLength else {
            throw SecurityError(.challengeMalformed, "the challenge has \(bytes.count) bytes; it must be the encrypted serial number followed by its 32-byte SHA-256")
        }
        let encrypted = bytes.dropLast(Self.digestLength)
        let digest = bytes.suffix(Self.digestLength)
        let plaintext: Data
        do {
            plaintext = try encryptionKey.decrypt(encrypted, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        } catch {
            throw SecurityError(.challengeDecryptionFailed, "the challenge does not decrypt with this encryption key (RSA PKCS#1 v1.5, \(encrypted.count) bytes): answer it with the private key of the PublicEncryptionKey sent in StartETKRegistration")
        }
        guard plaintext.count >= Self.serialNumberLength else {
            throw SecurityError(.challengeMalformed, "the challenge decrypts to \(plaintext.count) bytes; a serial number needs \(Self.serialNumberLength)")
        }
        let serialNumberBytes = Array(plaintext.prefix(Self.serialNumberLength))
        guard Array(SHA256.hash(data: serialNumberBytes)) == Array(digest) else {
            throw SecurityError(.challengeDigestMismatch, "the SHA-256 of the decrypted serial number is not the challenge's last 32 bytes: the challenge is corrupt or not meant for this key; reject it and start the ETK registration again")
        }
        self.serialNumberBytes = serialNumberBytes
    }

    private init(verifiedSerialNumberBytes: [UInt8]) {
        serialNumberBytes = verifiedSerialNumberBytes
    }

    // MARK: - The sandbox's side

    /// A challenge as StartETKRegistration answers it.
    public struct Issued: Sendable {
        /// What the client must answer with: the serial number of its encryption certificate.
        public let challenge: Challenge
        /// `C || H`, for StartETKRegistrationResponse/Challenge.
        public let bytes: [UInt8]
    }

    /// Makes a challenge for a registered encryption key: a random 16-byte serial number
    /// (or `serialNumberBytes`, for tests), encrypted RSA PKCS#1 v1.5, followed by its SHA-256.
    /// The key must be RSA 2048 (cookbook 4.3.4.7).
    public static func issue(for publicKey: _RSA.Encryption.PublicKey, serialNumberBytes: [UInt8]? = nil) throws -> Issued {
        guard publicKey.keySizeInBits == 2048 else {
            throw SecurityError(.encryptionKeyInvalid, "the encryption key is RSA \(publicKey.keySizeInBits); StartETKRegistration takes a 2048-bit RSA key (cookbook 4.3.4.7)")
        }
        let serial: [UInt8]
        if let serialNumberBytes {
            guard serialNumberBytes.count == serialNumberLength else {
                throw SecurityError(.challengeMalformed, "a challenge's serial number has \(serialNumberLength) bytes, got \(serialNumberBytes.count)")
            }
            serial = serialNumberBytes
        } else {
            var generator = SystemRandomNumberGenerator()
            serial = (0..<serialNumberLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        let encrypted = try publicKey.encrypt(serial, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        return Issued(
            challenge: Challenge(verifiedSerialNumberBytes: serial),
            bytes: Array(encrypted) + Array(SHA256.hash(data: serial)))
    }

    /// The same for the DER SubjectPublicKeyInfo sent as StartETKRegistrationRequest/PublicEncryptionKey.
    public static func issue(forPublicEncryptionKey subjectPublicKeyInfo: some DataProtocol) throws -> Issued {
        let publicKey: _RSA.Encryption.PublicKey
        do {
            publicKey = try _RSA.Encryption.PublicKey(derRepresentation: Array(subjectPublicKeyInfo))
        } catch {
            throw SecurityError(.encryptionKeyInvalid, "PublicEncryptionKey is not a DER RSA public key (SubjectPublicKeyInfo); it must be a 2048-bit RSA key (cookbook 4.3.4.7)")
        }
        return try issue(for: publicKey)
    }

    /// Unsigned big-endian bytes in decimal (the keystore alias is the decimal serial number).
    static func decimal(_ bytes: some Collection<UInt8>) -> String {
        var number = Array(bytes.drop { $0 == 0 })
        var digits: [UInt8] = []
        while !number.isEmpty {
            var remainder = 0
            var quotient: [UInt8] = []
            for byte in number {
                let value = remainder << 8 | Int(byte)
                let digit = value / 10
                remainder = value % 10
                if !quotient.isEmpty || digit != 0 { quotient.append(UInt8(digit)) }
            }
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
            number = quotient
        }
        return digits.isEmpty ? "0" : String(decoding: digits.reversed(), as: UTF8.self)
    }
}
