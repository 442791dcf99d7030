import COpenSSL

/// The only place the ETK code talks to OpenSSL: CMS SignedData (RFC 5652) reading, verifying and
/// signing through the system OpenSSL 3. swift-certificates' CMS is SPI only and parses less
/// (BUILD-NOTES "Crypto"); OpenSSL reads the BER the platform may send. Bytes in, bytes out: no
/// OpenSSL pointer leaves this file.
enum OpenSSLCMS {
    struct SignedData {
        /// The encapsulated content (id-data).
        var content: [UInt8]
        /// The DER certificate of each signer, in SignerInfo order.
        var signerCertificates: [[UInt8]]
        /// The DER certificates of the `certificates` field, in their order.
        var certificates: [[UInt8]]
        /// The dotted OID of the (first) signer's digest algorithm.
        var digestAlgorithm: String
        /// Whether the (first) signer signed attributes (contentType, messageDigest, signingTime…).
        var hasSignedAttributes: Bool
    }

    enum Digest {
        case sha1, sha256, sha384

        fileprivate var algorithm: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            }
        }
    }

    /// Parses a SignedData with id-data content and verifies every signature with the signer's
    /// certificate from the structure. The signer certificate's chain and validity are not
    /// checked (CMS_NO_SIGNER_CERT_VERIFY): ETK-RA certificates of real ETKs have been seen
    /// expired (protocol-facts "The ETK").
    static func verify(_ der: [UInt8]) throws -> SignedData {
        ERR_clear_error()
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var pointer = buffer.baseAddress
            return d2i_CMS_ContentInfo(nil, &pointer, buffer.count)
        }
        guard let cms = parsed else {
            throw SecurityError(.etkMalformed, "the ETK is not a CMS ContentInfo (\(errors()))")
        }
        defer { CMS_ContentInfo_free(cms) }
        guard OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_signed else {
            throw SecurityError(.etkMalformed, "the ETK is a CMS \(objectName(CMS_get0_type(cms))), not SignedData")
        }
        guard OBJ_obj2nid(CMS_get0_eContentType(cms)) == NID_pkcs7_data else {
            throw SecurityError(.etkMalformed, "the ETK encapsulates \(objectName(CMS_get0_eContentType(cms))), not id-data")
        }
        guard let content = CMS_get0_content(cms), content.pointee != nil else {
            throw SecurityError(.etkMalformed, "the ETK's SignedData has no encapsulated content (the encryption certificate)")
        }
        let signerInfos = CMS_get0_SignerInfos(cms)
        guard let signerInfos, OPENSSL_sk_num(signerInfos) > 0 else {
            throw SecurityError(.etkMalformed, "the ETK's SignedData has no signer")
        }
        guard let out = BIO_new(BIO_s_mem()) else { throw SecurityError(.etkMalformed, "out of memory (\(errors()))") }
        defer { BIO_free(out) }
        guard CMS_verify(cms, nil, nil, nil, out, UInt32(CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY)) == 1 else {
            throw SecurityError(.etkSignatureInvalid, "the ETK's signature does not verify with its signer's certificate (\(errors()))")
        }

        var digestAlgorithm = ""
        let firstSigner = OpaquePointer(OPENSSL_sk_value(signerInfos, 0))
        var digest: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(firstSigner, nil, nil, &digest, nil)
        if let digest {
            var object: OpaquePointer?
            X509_ALGOR_get0(&object, nil, nil, digest)
            digestAlgorithm = objectIdentifier(object)
        }

        let signers = CMS_get0_signers(cms)
        defer { OPENSSL_sk_free(signers) }
        let certificates = CMS_get1_certs(cms)
        defer { OPENSSL_sk_pop_free(certificates) { X509_free(OpaquePointer($0)) } }
        return SignedData(
            content: readAll(out),
            signerCertificates: try encodedCertificates(signers),
            certificates: try encodedCertificates(certificates),
            digestAlgorithm: digestAlgorithm,
            hasSignedAttributes: CMS_signed_get_attr_count(firstSigner) > 0)
    }

    /// A SignedData over `content` (id-data, encapsulated), one signer, `digest`; with signed
    /// attributes (contentType, messageDigest, signingTime; no S/MIME capabilities) unless
    /// `signedAttributes` is false, as in older ETKs. `certificates` go into the `certificates`
    /// field in this order; the signer's is not added unless it is among them.
    static func sign(content: [UInt8], signerCertificate: [UInt8], signerPrivateKey: [UInt8],
                     certificates: [[UInt8]], digest: Digest, signedAttributes: Bool) throws -> [UInt8] {
        ERR_clear_error()
        let signer = try certificate(signerCertificate)
        defer { X509_free(signer) }
        let parsedKey = signerPrivateKey.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var pointer = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &pointer, buffer.count)
        }
        guard let key = parsedKey else {
            throw SecurityError(.etkSigningFailed, "the ETK-RA private key is not a DER private key (\(errors()))")
        }
        defer { EVP_PKEY_free(key) }

        return try content.withUnsafeBufferPointer { buffer in
            guard let data = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                throw SecurityError(.etkSigningFailed, "out of memory (\(errors()))")
            }
            defer { BIO_free(data) }
            guard let cms = CMS_sign(nil, nil, nil, nil, UInt32(CMS_PARTIAL | CMS_BINARY)) else {
                throw SecurityError(.etkSigningFailed, "CMS_sign failed (\(errors()))")
            }
            defer { CMS_ContentInfo_free(cms) }
            var flags = CMS_BINARY | CMS_NOSMIMECAP | CMS_NOCERTS
            if !signedAttributes { flags |= CMS_NOATTR }
            guard CMS_add1_signer(cms, signer, key, digest.algorithm, UInt32(flags)) != nil else {
                throw SecurityError(.etkSigningFailed, "the ETK-RA key and certificate cannot sign (\(errors()))")
            }
            for der in certificates {
                let included = try certificate(der)
                defer { X509_free(included) }
                guard CMS_add1_cert(cms, included) == 1 else {
                    throw SecurityError(.etkSigningFailed, "a certificate cannot be included (\(errors()))")
                }
            }
            guard CMS_final(cms, data, nil, UInt32(CMS_BINARY)) == 1 else {
                throw SecurityError(.etkSigningFailed, "CMS_final failed (\(errors()))")
            }
            return try encode { i2d_CMS_ContentInfo(cms, $0) }
        }
    }

    // MARK: - Helpers

    private static func certificate(_ der: [UInt8]) throws -> OpaquePointer {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var pointer = buffer.baseAddress
            return d2i_X509(nil, &pointer, buffer.count)
        }
        guard let parsed else { throw SecurityError(.etkSigningFailed, "not a DER certificate (\(errors()))") }
        return parsed
    }

    private static func encodedCertificates(_ stack: OpaquePointer?) throws -> [[UInt8]] {
        guard let stack else { return [] }
        return try (0..<OPENSSL_sk_num(stack)).map { index in
            let certificate = OpaquePointer(OPENSSL_sk_value(stack, index))
            return try encode { i2d_X509(certificate, $0) }
        }
    }

    /// The i2d_ two-step: ask the length, then write into a buffer of that length.
    private static func encode(_ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws -> [UInt8] {
        let length = i2d(nil)
        guard length > 0 else { throw SecurityError(.etkMalformed, "DER encoding failed (\(errors()))") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var pointer = buffer.baseAddress
            return i2d(&pointer)
        }
        guard written == length else { throw SecurityError(.etkMalformed, "DER encoding failed (\(errors()))") }
        return bytes
    }

    private static func readAll(_ bio: OpaquePointer) -> [UInt8] {
        var pointer: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
        guard let pointer, length > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    private static func objectIdentifier(_ object: OpaquePointer?) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        return length > 0 ? text(buffer) : ""
    }

    private static func objectName(_ object: OpaquePointer?) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 0)
        return length > 0 ? text(buffer) : "an unknown type"
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// OpenSSL's error queue, emptied, as text.
    private static func errors() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(text(buffer))
        }
        return messages.isEmpty ? "no detail from OpenSSL" : messages.joined(separator: "; ")
    }
}
