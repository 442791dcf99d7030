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
        try document(try await sign(request, with: key))
    }

    /// `sign(_:with:)` for keys in memory, without suspension.
    public func signSynchronously<Request: SignableRequest>(_ request: Request, with key: SoftwareSigningKey) throws -> Request {
        let prepared = try prepare(request, certificateChain: key.certificateChain, algorithm: key.signatureAlgorithm)
        let value: Data
        do {
            value = try key.signSynchronously(prepared.canonicalSignedInfo)
        } catch {
            throw SecurityError(.signingFailed, "the key could not sign the request's SignedInfo: \(error)")
        }
        return prepared.finish(signatureValue: value)
    }

    /// `signedDocument(_:with:)` for keys in memory, without suspension.
    public func signedDocumentSynchronously<Request: SignableRequest>(_ request: Request, with key: SoftwareSigningKey) throws -> SignedDocument<Request> {
        try document(try signSynchronously(request, with: key))
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
        request.attachSignature(SignatureType(signedInfo: signedInfo, signatureValue: SignatureValueType(value: Data()), keyInfo: keyInfo))

        // One encoding and one parse: digest the request without its Signature, write the digest
        // into the parsed SignedInfo, canonicalize that. The final encoding differs from this one
        // only inside DigestValue and SignatureValue.
        let document = try CanonicalizationDocument(parsing: try request.xmlDocument(preferredPrefixes: preferredPrefixes))
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
                                 canonicalSignedInfo: canonicalSignedInfo, algorithm: algorithm)
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

    private func document<Request: SignableRequest>(_ request: Request) throws -> SignedDocument<Request> {
        SignedDocument(request: request, xml: Data(try request.xmlDocument(preferredPrefixes: preferredPrefixes).utf8))
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

    /// The signed request, given the signature of `canonicalSignedInfo` (RSA: PKCS#1 v1.5 over
    /// SHA-256; ECDSA: r||s, each the size of the curve order).
    public func finish(signatureValue: Data) -> Request {
        var request = request
        request.attachSignature(SignatureType(signedInfo: signedInfo, signatureValue: SignatureValueType(value: signatureValue), keyInfo: keyInfo))
        return request
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
