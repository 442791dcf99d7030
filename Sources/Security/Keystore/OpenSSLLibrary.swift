import COpenSSL
import Foundation

/// Process-wide OpenSSL 3 set-up and the small conversions the keystore wrappers share.
enum OpenSSLLibrary {
    /// Loads OpenSSL's "legacy" provider (RC2-40, the certificate encryption of the keystores the
    /// platform's Java tools write) and, because loading one provider explicitly stops the
    /// implicit one, the "default" provider. Once per process; harmless for other OpenSSL users.
    private static let providersLoaded: Bool = {
        let legacy = OSSL_PROVIDER_load(nil, "legacy")
        let standard = OSSL_PROVIDER_load(nil, "default")
        ERR_clear_error()
        return legacy != nil && standard != nil
    }()

    static func loadProviders() {
        _ = providersLoaded
    }

    /// Whether RC2-40 files can be read and written on this machine.
    static var legacyProviderAvailable: Bool { providersLoaded }

    struct ErrorReason: Equatable {
        let library: Int32
        let reason: Int32
    }

    /// OpenSSL's thread-local error queue, emptied, as text for an error's reason.
    static func drainErrors() -> String {
        drainErrorsWithReasons().message
    }

    static func drainErrorsWithReasons() -> (message: String, reasons: [ErrorReason]) {
        var messages: [String] = []
        var reasons: [ErrorReason] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            reasons.append(ErrorReason(library: ERR_GET_LIB(code), reason: ERR_GET_REASON(code)))
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(string(fromNulTerminated: buffer))
        }
        return (messages.isEmpty ? "no OpenSSL detail" : messages.joined(separator: "; "), reasons)
    }

    /// A C string from a fixed buffer, up to its first NUL.
    static func string(fromNulTerminated buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func nid(of algorithm: UnsafePointer<X509_ALGOR>?) -> Int32 {
        guard let algorithm else { return NID_undef }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        return object.map { OBJ_obj2nid($0) } ?? NID_undef
    }

    static func x509(_ der: Data) throws -> OpaquePointer {
        try der.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard let certificate = d2i_X509(nil, &cursor, raw.count) else {
                throw SecurityError(.invalidCertificate, "a certificate cannot be decoded by OpenSSL (\(drainErrors()))")
            }
            return certificate
        }
    }

    static func der(of certificate: OpaquePointer) throws -> Data {
        try encode { i2d_X509(certificate, $0) }
    }

    /// Runs an OpenSSL `i2d_*` function twice: once for the length, once into the buffer.
    static func encode(_ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws -> Data {
        let length = i2d(nil)
        guard length > 0 else {
            throw SecurityError(.invalidPrivateKey, "OpenSSL cannot encode the value (\(drainErrors()))")
        }
        var output = Data(count: Int(length))
        let written = output.withUnsafeMutableBytes { raw -> Int32 in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return i2d(&cursor)
        }
        guard written == length else {
            throw SecurityError(.invalidPrivateKey, "OpenSSL cannot encode the value (\(drainErrors()))")
        }
        return output
    }
}
