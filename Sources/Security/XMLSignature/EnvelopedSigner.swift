import _CryptoExtras
import CLibXML2
import Crypto
import Foundation
import Generated
import SOAPRuntime
import SwiftASN1
import X509

/// Signs eHealth requests with an enveloped XML signature exactly per the profile (cookbook
/// 4.3.2; see `SignatureProfile`).
///
/// The digest covers the exclusive canonical form of the request element as the generated
/// bindings encode it, without its `ds:Signature`. Exclusive C14N renders only the namespaces a
/// node visibly uses, so where the writer declares them (on the request, on the Signature, on a
/// SOAP envelope around it) does not change what is signed, but the prefixes do: send the
/// request with the same `preferredPrefixes` it was signed with.
public struct EnvelopedSigner: Sendable {
    /// Namespace URI → prefix, as given to the XML writer (`XMLRootElement.xmlDocument`,
    /// `SOAPEnvelope.request`, `SOAPClient.preferredPrefixes`).
    public var preferredPrefixes: [String: String]

    public init(preferredPrefixes: [String: String] = [:]) {
        self.preferredPrefixes = preferredPrefixes
    }

    // MARK: signing

    /// The request, signed: its `Id` (given `_` + a UUID when it has none) referenced by the
    /// signature put into its `ds:Signature`.
    public func sign<Request: SignableRequest>(_ request: Request, with key: some SigningKey) async throws -> Request {
        let prepared = try prepare(request, certificateChain: key.certificateChain, algorithm: key.signatureAlgorithm)
        return prepared.finish(signatureValue: try await signatureValue(prepared, key: key))
    }

    /// The same, for requests built around their signature: `build` is called once, with a
    /// placeholder, and the request it returns is signed.
    public func sign<Request: SignableRequest>(_ build: (SignatureType) throws -> Request,
                                               with key: some SigningKey) async throws -> Request {
        try await sign(try build(SignatureType.placeholder), with: key)
    }

    /// The signed request and its XML document (UTF-8, no XML declaration), as sent on its own.
    public func signedDocument<Request: SignableRequest>(_ request: Request, with key: some SigningKey) async throws -> SignedDocument<Request> {
        let prepared = try prepare(request, certificateChain: key.certificateChain, algorithm: key.signatureAlgorithm)
        return try prepared.finishDocument(signatureValue: try await signatureValue(prepared, key: key))
    }

    /// `sign(_:with:)` for keys in memory, without suspension.
    public func signSynchronously<Request: SignableRequest>(_ request: Request, with key: SoftwareSigningKey) throws -> Request {
        let prepared = try prepare(request, certificateChain: key.certificateChain, algorithm: key.signatureAlgorithm)
        return prepared.finish(signatureValue: try Self.signatureValue(prepared, key: key))
    }

    /// `signedDocument(_:with:)` for keys in memory, without suspension.
    public func signedDocumentSynchronously<Request: SignableRequest>(_ request: Request, with key: SoftwareSigningKey) throws -> SignedDocument<Request> {
        let prepared = try prepare(request, certificateChain: key.certificateChain, algorithm: key.signatureAlgorithm)
        return try prepared.finishDocument(signatureValue: try Self.signatureValue(prepared, key: key))
    }

    /// The first half of signing, for keys that sign elsewhere (a card reader, an HSM, another
    /// process): the request with its Id and the exact SignedInfo bytes to sign. Sign them with
    /// `algorithm` (RSA PKCS#1 v1.5 SHA-256, or ECDSA as r||s) and call `finish`.
    public func prepare<Request: SignableRequest>(_ request: Request, certificateChain: [Certificate],
                                                 algorithm: SignatureAlgorithm) throws -> PreparedSignature<Request> {
        guard !certificateChain.isEmpty else {
            throw SecurityError(.signingFailed, "signing needs the signer's certificate chain (cookbook 4.3.2: KeyInfo/X509Data)")
        }
        var request = request
        let id: String
        if let existing = request.id, !existing.isEmpty {
            guard Self.isNCName(existing) else {
                throw SecurityError(.signingFailed, "the request Id \"\(existing)\" is not an XML ID (NCName), so no Reference can point at it")
            }
            id = existing
        } else {
            // The connector's form: `_` and a UUID (an xs:ID cannot start with a digit).
            id = "_" + UUID().uuidString.lowercased()
            request.id = id
        }
        let keyInfo = try Self.keyInfo(certificateChain)
        var signedInfo = Self.signedInfo(referencing: id, algorithm: algorithm, digest: Data(count: SHA256.byteCount))
        // Placeholder values of the final sizes, so that the final document is this encoding with
        // two runs of "AAAA" overwritten (see PreparedSignature.finishDocument).
        let placeholderValue = Data(count: Self.signatureLength(of: certificateChain[0]) ?? 0)
        request.attachSignature(SignatureType(signedInfo: signedInfo, signatureValue: SignatureValueType(value: placeholderValue), keyInfo: keyInfo))

        // One encoding and one parse: digest the request without its Signature, write the digest
        // into the parsed SignedInfo, canonicalize that. The final encoding differs from this one
        // only inside DigestValue and SignatureValue.
        let encoded = try request.xmlDocument(preferredPrefixes: preferredPrefixes)
        let document = try CanonicalizationDocument(parsing: encoded)
        let root = document.documentElement.node
        guard let signature = XMLTree.lastChildElement(root), XMLTree.hasName(signature, SignatureProfile.namespace, "Signature") else {
            throw SecurityError(.signingFailed, "\(Request.rootElementName) does not encode ds:Signature as its last child, as the profile requires")
        }
        let canonicalization = ExclusiveCanonicalization()
        let digest = try canonicalization.withCanonicalBytes(document, subtree: root, excluding: signature) { bytes in
            Data(SHA256.hash(data: bytes))
        }
        guard let signedInfoNode = XMLTree.firstChildElement(signature),
              XMLTree.hasName(signedInfoNode, SignatureProfile.namespace, "SignedInfo"),
              let reference = XMLTree.lastChildElement(signedInfoNode),
              let digestValue = XMLTree.lastChildElement(reference),
              XMLTree.hasName(digestValue, SignatureProfile.namespace, "DigestValue")
        else {
            throw SecurityError(.signingFailed, "the encoded ds:Signature does not have the profile's shape")
        }
        XMLTree.setText(digestValue, digest.xmlText)
        let canonicalSignedInfo = try canonicalization.canonicalBytes(document, subtree: signedInfoNode, excluding: nil)
        signedInfo.reference[0].digestValue = digest
        return PreparedSignature(request: request, signedInfo: signedInfo, keyInfo: keyInfo,
                                 canonicalSignedInfo: canonicalSignedInfo, algorithm: algorithm,
                                 encodedRequest: encoded, placeholderSignatureValue: placeholderValue,
                                 preferredPrefixes: preferredPrefixes)
    }

    // MARK: pieces

    private func signatureValue<Request>(_ prepared: PreparedSignature<Request>, key: some SigningKey) async throws -> Data {
        do {
            return try await key.sign(prepared.canonicalSignedInfo)
        } catch let error as SecurityError {
            throw error
        } catch {
            throw SecurityError(.signingFailed, "the key could not sign the request's SignedInfo: \(error)")
        }
    }

    private static func signatureValue<Request>(_ prepared: PreparedSignature<Request>, key: SoftwareSigningKey) throws -> Data {
        do {
            return try key.signSynchronously(prepared.canonicalSignedInfo)
        } catch {
            throw SecurityError(.signingFailed, "the key could not sign the request's SignedInfo: \(error)")
        }
    }

    /// The size of the signature values the certificate's key makes, when it is known up front.
    static func signatureLength(of certificate: Certificate) -> Int? {
        if let rsa = _RSA.Signing.PublicKey(certificate.publicKey) { return (rsa.keySizeInBits + 7) / 8 }
        if P384.Signing.PublicKey(certificate.publicKey) != nil { return 96 }
        if P256.Signing.PublicKey(certificate.publicKey) != nil { return 64 }
        return nil
    }

    static func signedInfo(referencing id: String, algorithm: SignatureAlgorithm, digest: Data) -> SignedInfoType {
        SignedInfoType(
            canonicalizationMethod: CanonicalizationMethodType(algorithm: SignatureProfile.canonicalization),
            signatureMethod: SignatureMethodType(algorithm: algorithm.uri),
            reference: [ReferenceType(
                uri: "#" + id,
                transforms: TransformsType(transform: SignatureProfile.transforms.map { TransformType(algorithm: $0) }),
                digestMethod: DigestMethodType(algorithm: SignatureProfile.digestMethod),
                digestValue: digest)])
    }

    /// KeyInfo/X509Data: the chain leaf first, then its issuers, the root left out (cookbook 4.3.2).
    static func keyInfo(_ chain: [Certificate]) throws -> KeyInfoType {
        let certificates = try chain.map { certificate -> X509DataTypeChoice in
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return .x509Certificate(Data(serializer.serializedBytes))
        }
        return KeyInfoType(choiceList: [.x509Data(X509DataType(choiceList: certificates))])
    }

    /// xs:ID is an NCName; a Reference `#id` to anything else could not be resolved.
    static func isNCName(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return value.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || scalar == "-" || scalar == "." || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar.properties.generalCategory == .nonspacingMark
        }
    }
}

/// A request whose SignedInfo is ready to be signed.
public struct PreparedSignature<Request: SignableRequest>: Sendable {
    /// The request with its Id set and a placeholder signature.
    public let request: Request
    /// SignedInfo with the real digest.
    public let signedInfo: SignedInfoType
    let keyInfo: KeyInfoType
    /// The exclusive canonical form of SignedInfo: the bytes the key signs.
    public let canonicalSignedInfo: Data
    public let algorithm: SignatureAlgorithm

    /// The encoding the digest was computed over, with placeholder DigestValue and SignatureValue.
    let encodedRequest: String
    let placeholderSignatureValue: Data
    let preferredPrefixes: [String: String]

    /// The signed request, given the signature of `canonicalSignedInfo` (RSA: PKCS#1 v1.5 over
    /// SHA-256; ECDSA: r||s, each the size of the curve order).
    public func finish(signatureValue: Data) -> Request {
        var request = request
        request.attachSignature(SignatureType(signedInfo: signedInfo, signatureValue: SignatureValueType(value: signatureValue), keyInfo: keyInfo))
        return request
    }

    /// The signed request and its document. The writer is deterministic, so the document is the
    /// prepared encoding with the digest and the signature value written over their
    /// placeholders (base64 of zero bytes, the same lengths); the request is not encoded again.
    public func finishDocument(signatureValue: Data) throws -> SignedDocument<Request> {
        let signed = finish(signatureValue: signatureValue)
        let digest = signedInfo.reference[0].digestValue
        if signatureValue.count == placeholderSignatureValue.count,
           let xml = Self.overwrite(encodedRequest, [
               (placeholderSignatureValue.xmlText, signatureValue.xmlText, "SignatureValue>"),
               (Data(count: digest.count).xmlText, digest.xmlText, "DigestValue>"),
           ]) {
            return SignedDocument(request: signed, xml: xml)
        }
        return SignedDocument(request: signed, xml: Data(try signed.xmlDocument(preferredPrefixes: preferredPrefixes).utf8))
    }

    /// Overwrites, searching from the end, the last `tag + placeholder + "<"` of each
    /// replacement (the Signature is the document's last child, so the last occurrence is in it).
    private static func overwrite(_ text: String, _ replacements: [(placeholder: String, value: String, tag: String)]) -> Data? {
        var bytes = Array(text.utf8)
        var searchEnd = bytes.count
        for replacement in replacements {
            let needle = Array((replacement.tag + replacement.placeholder + "<").utf8)
            let value = Array(replacement.value.utf8)
            guard value.count == replacement.placeholder.utf8.count,
                  let start = lastIndex(of: needle, in: bytes, before: searchEnd) else { return nil }
            let valueStart = start + replacement.tag.utf8.count
            bytes.replaceSubrange(valueStart..<valueStart + value.count, with: value)
            searchEnd = start
        }
        return Data(bytes)
    }

    private static func lastIndex(of needle: [UInt8], in bytes: [UInt8], before end: Int) -> Int? {
        guard let last = needle.last, needle.count <= end else { return nil }
        var position = end - 1
        while position >= needle.count - 1 {
            if bytes[position] == last {
                let start = position - needle.count + 1
                if bytes[start...position].elementsEqual(needle) { return start }
            }
            position -= 1
        }
        return nil
    }
}

/// A signed request and the document it encodes to.
public struct SignedDocument<Request: SignableRequest>: Sendable {
    public let request: Request
    /// The request element as a standalone UTF-8 document.
    public let xml: Data
}

extension SignatureType {
    /// A stand-in to build a request with before it is signed; the signer replaces it.
    public static let placeholder = SignatureType(
        signedInfo: SignedInfoType(
            canonicalizationMethod: CanonicalizationMethodType(algorithm: SignatureProfile.canonicalization),
            signatureMethod: SignatureMethodType(algorithm: SignatureAlgorithm.rsaSHA256.uri)),
        signatureValue: SignatureValueType(value: Data()))
}
