import COpenSSL
import Foundation
import X509

/// The OpenSSL values the CRL and the OCSP responder are built from; each caller frees what it gets.
extension OpenSSLLibrary {
    /// An `EVP_PKEY` from a DER private key (PKCS#8, PKCS#1 or SEC1).
    static func privateKey(_ der: Data) throws -> OpaquePointer {
        try der.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard let key = d2i_AutoPrivateKey(nil, &cursor, raw.count) else {
                throw SecurityError(.unsupportedKey, "OpenSSL cannot read the CA's private key (\(drainErrors()))")
            }
            return key
        }
    }

    /// An `ASN1_TIME` (UTCTime until 2049, GeneralizedTime after, as RFC 5280 asks).
    static func time(_ date: Date) throws -> UnsafeMutablePointer<ASN1_TIME> {
        guard let time = ASN1_TIME_set(nil, time_t(date.timeIntervalSince1970.rounded(.down))) else {
            throw SecurityError(.signingFailed, "OpenSSL cannot represent the date \(date) (\(drainErrors()))")
        }
        return time
    }

    /// An `ASN1_INTEGER` holding a certificate's serial number.
    static func integer(_ serialNumber: Certificate.SerialNumber) throws -> UnsafeMutablePointer<ASN1_INTEGER> {
        let bytes = Array(serialNumber.bytes)
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else {
            throw SecurityError(.signingFailed, "OpenSSL cannot read the serial number \(serialNumber) (\(drainErrors()))")
        }
        defer { BN_free(number) }
        guard let integer = BN_to_ASN1_INTEGER(number, nil) else {
            throw SecurityError(.signingFailed, "OpenSSL cannot encode the serial number \(serialNumber) (\(drainErrors()))")
        }
        return integer
    }

    /// The magnitude of an `ASN1_INTEGER` (big-endian, no leading zeros), nil when it is negative
    /// or cannot be read.
    static func magnitude(_ integer: UnsafePointer<ASN1_INTEGER>) -> [UInt8]? {
        guard let number = ASN1_INTEGER_to_BN(integer, nil) else {
            ERR_clear_error()
            return nil
        }
        defer { BN_free(number) }
        guard BN_is_negative(number) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: (Int(BN_num_bits(number)) + 7) / 8)
        _ = BN_bn2bin(number, &bytes)
        return bytes
    }
}

extension Certificate.SerialNumber {
    /// The serial number's value as big-endian bytes without leading zeros (DER adds one before
    /// a high bit): what two encodings of the same serial number have in common.
    public var magnitude: [UInt8] { Array(bytes.drop { $0 == 0 }) }
}
