import _CryptoExtras
import CLibXML2
import Crypto
import Foundation
import SOAPRuntime
import SwiftASN1
import X509

/// Verifies enveloped eHealth signatures strictly, resisting signature wrapping: the element the
/// application reads must be the signed one, signed exactly per the profile (cookbook 4.3.2),
/// by a key whose chain leads to a configured trust root and is valid at the given time.
///
/// What is checked, in order, each failure with its own `SecurityError.Code`:
/// 1. the element to verify: the document element, or the one payload of a SOAP 1.1 Body;
/// 2. no `Id` value occurs twice anywhere in the document (`duplicateID`);
/// 3. exactly one `ds:Signature` in the document, the verified element's last child
///    (`signatureMissing`, `signatureRelocated`, `signatureWrapping`, `multipleSignatures`);
/// 4. SignedInfo: exclusive C14N, an allowed SignatureMethod and DigestMethod (`weakAlgorithm`,
///    `unsupportedAlgorithm`), exactly one Reference (`unexpectedReferences`) whose transforms are
///    exactly enveloped-signature then exclusive C14N (`unexpectedTransforms`) and whose URI is
///    `#` + the verified element's Id (`referenceToOtherElement`);
/// 5. the KeyInfo chain leads to a trust root (`untrustedChain`), each certificate valid at the
///    time (`certificateExpired`, `certificateNotYetValid`);
/// 6. the signature value over the canonical SignedInfo, with the leaf's key (`wrongKey`,
///    `signedInfoAltered`, `badSignatureValue`) — before any reference processing, as the XML
///    Signature best practices advise;
/// 7. the digest of the verified element without its signature (`contentAltered`).
public final class SignatureVerifier: Sendable {
    /// Which element of the document the application reads, and so must be the signed one.
    public enum SignedElement: Sendable, Equatable {
        /// The document element (a request on its own).
        case documentElement
        /// The one element inside the Body of a SOAP 1.1 envelope.
        case soapBodyPayload
    }

    public var trustRoots: [Certificate] { chains.trustRoots }
    private let chains: SignerChainValidator

    /// `trustRoots`: the root CAs signers may chain to (e.g. the Belgian eID roots, the eHealth
    /// root). `verifiedChainCacheSize`: how many signer chains to remember once their
    /// certificate signatures have been checked (0: check every time). A certificate's signature
    /// is a fact about its bytes, so only identical KeyInfo certificates hit the memory; validity
    /// dates depend on the time and are checked on every verification.
    public init(trustRoots: [Certificate], verifiedChainCacheSize: Int = 256) {
        chains = SignerChainValidator(trustRoots: trustRoots, cacheLimit: verifiedChainCacheSize)
    }

    /// Verifies the signature of `element` in `bytes`; `expectedName`, when given, is the
    /// element's required name (e.g. `GenerateCertificateRequestType.rootElementName`).
    public func verify(_ bytes: some DataProtocol, element: SignedElement = .documentElement, expectedName: XMLName? = nil,
                       at time: Date = Date(), limits: XMLParseLimits = .default) async throws -> VerifiedSignature {
        try await verify(CanonicalizationDocument(parsing: bytes, limits: limits), element: element, expectedName: expectedName, at: time)
    }

    /// The same, over a document already parsed.
    public func verify(_ document: CanonicalizationDocument, element: SignedElement = .documentElement,
                       expectedName: XMLName? = nil, at time: Date = Date()) async throws -> VerifiedSignature {
        let target = try Self.locate(element, in: document)
        if let expectedName, !XMLTree.hasName(target, expectedName.namespace, expectedName.localName) {
            throw SecurityError(.unexpectedSignedElement, "the signed element is \(CanonicalizationDocument.Element(node: target, document: document).name), expected \(expectedName)")
        }
        let survey = try DocumentSurvey(document)
        let signatureNode = try Self.locateSignature(of: target, survey: survey)
        let signature = try SignatureElements(signatureNode)

        // 4. SignedInfo against the profile.
        let reference = signature.reference
        guard let targetID = XMLTree.attributeValue(target, "Id") else {
            throw SecurityError(.referenceToOtherElement, "the signed element has no Id, so the Reference \"\(reference.uri)\" cannot point at it")
        }
        guard reference.uri == "#" + targetID else {
            let other = reference.uri.hasPrefix("#") ? survey.elementsByID[String(reference.uri.dropFirst())] : nil
            let described = other.map { "the element \(CanonicalizationDocument.Element(node: $0, document: document).name)" } ?? "no element of this document"
            throw SecurityError(.referenceToOtherElement, "the Reference URI \"\(reference.uri)\" names \(described), not the signed element #\(targetID)")
        }

        // 5. The signer.
        let signer = try await chains.signer(forBase64Certificates: signature.certificates)
        try signer.checkValidity(at: time)
        guard signer.algorithm == signature.algorithm else {
            throw SecurityError(.wrongKey, "SignatureMethod \(signature.algorithm.uri) does not fit the KeyInfo certificate's key (\(signer.algorithm.uri))")
        }

        // 6. The signature value over SignedInfo.
        let signedInfoCanonicalization = ExclusiveCanonicalization(inclusivePrefixes: signature.signedInfoInclusivePrefixes)
        try signedInfoCanonicalization.withCanonicalBytes(document, subtree: signature.signedInfo, excluding: nil) { signedInfo in
            try Self.checkSignatureValue(signature.signatureValue, over: signedInfo, signer: signer)
        }

        // 7. The reference: the verified element without its signature.
        let canonicalElement = try ExclusiveCanonicalization(inclusivePrefixes: reference.inclusivePrefixes)
            .canonicalBytes(document, subtree: target, excluding: signatureNode)
        guard Data(SHA256.hash(data: canonicalElement)) == reference.digestValue else {
            throw SecurityError(.contentAltered, "the signed element #\(targetID) was changed after it was signed: its SHA-256 digest does not match the signed DigestValue")
        }
        return VerifiedSignature(signedElementName: CanonicalizationDocument.Element(node: target, document: document).name,
                                 signedElementID: targetID, canonicalSignedElement: canonicalElement,
                                 signerChain: signer.chain, signatureAlgorithm: signer.algorithm)
    }

    /// Verifies, then decodes the verified element of the same bytes as `Request`: the element
    /// SOAPRuntime reads is checked to be the one verified (same name, same Id).
    public func verifyAndDecode<Request: XMLRootElement>(_ bytes: Data, as type: Request.Type = Request.self,
                                                         element: SignedElement = .documentElement, at time: Date = Date(),
                                                         limits: XMLParseLimits = .default) async throws -> (request: Request, signature: VerifiedSignature) {
        let verified = try await verify(bytes, element: element, expectedName: Request.rootElementName, at: time, limits: limits)
        let read: SOAPRuntime.XMLElement
        switch element {
        case .documentElement: read = try SOAPRuntime.XMLDocument(parsing: bytes, limits: limits).root
        case .soapBodyPayload: read = try SOAPEnvelope.parse(bytes, limits: limits).payload
        }
        guard read.hasName(Request.rootElementName.namespace, Request.rootElementName.localName),
              read.attribute("Id") == verified.signedElementID else {
            throw SecurityError(.signatureWrapping, "the element read is not the element verified")
        }
        return (try Request(xmlElement: read), verified)
    }

    // MARK: 1. the element

    private static func locate(_ element: SignedElement, in document: CanonicalizationDocument) throws -> xmlNodePtr {
        let root = document.documentElement.node
        switch element {
        case .documentElement:
            return root
        case .soapBodyPayload:
            guard XMLTree.hasName(root, SOAPEnvelope.namespace, "Envelope") else {
                throw SecurityError(.unexpectedSignedElement, "the document is not a SOAP 1.1 envelope")
            }
            let children = XMLTree.childElements(root)
            let bodies = children.filter { XMLTree.hasName($0, SOAPEnvelope.namespace, "Body") }
            let headers = children.filter { XMLTree.hasName($0, SOAPEnvelope.namespace, "Header") }
            guard bodies.count == 1, headers.count <= 1, children.count == bodies.count + headers.count,
                  children.last == bodies[0] else {
                throw SecurityError(.unexpectedSignedElement, "a SOAP 1.1 envelope holds an optional Header and then one Body, nothing else")
            }
            let payload = XMLTree.childElements(bodies[0])
            guard payload.count == 1 else {
                throw SecurityError(.unexpectedSignedElement, "the SOAP Body holds \(payload.count) elements; the signed request must be its only one")
            }
            return payload[0]
        }
    }

    // MARK: 3. the signature's place

    private static func locateSignature(of target: xmlNodePtr, survey: DocumentSurvey) throws -> xmlNodePtr {
        if let last = XMLTree.lastChildElement(target), XMLTree.hasName(last, SignatureProfile.namespace, "Signature") {
            guard survey.signatures.count == 1 else {
                throw SecurityError(.multipleSignatures, "the document holds \(survey.signatures.count) ds:Signature elements; the profile has one")
            }
            return last
        }
        guard let elsewhere = survey.signatures.first else {
            throw SecurityError(.signatureMissing, "the document is not signed: it holds no ds:Signature")
        }
        // A signature that still sits at the end of the element it references, somewhere else:
        // the signed element was moved away and another put where the application reads.
        if let parent = elsewhere.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE, parent != target,
           let parentID = XMLTree.attributeValue(parent, "Id"),
           let uri = SignatureElements.referenceURI(of: elsewhere), uri == "#" + parentID {
            throw SecurityError(.signatureWrapping, "the element read is not the signed one: the signed element #\(parentID) sits elsewhere in the document")
        }
        throw SecurityError(.signatureRelocated, "the ds:Signature is not the last child of the signed element")
    }

    // MARK: 6. the signature value

    private static func checkSignatureValue(_ value: Data, over signedInfo: UnsafeRawBufferPointer, signer: VerifiedSigner) throws {
        switch signer.key {
        case .rsa(let key, let modulusBytes):
            guard value.count == modulusBytes else {
                throw SecurityError(.badSignatureValue, "the RSA signature value has \(value.count) bytes; the \(modulusBytes * 8)-bit key makes \(modulusBytes)")
            }
            let digest = SHA256.hash(data: signedInfo)
            if key.isValidSignature(value, digest: digest) { return }
            var serializer = DER.Serializer()
            try? serializer.serialize(signer.chain[0].publicKey)
            switch RSASignatureRecovery.examine(signature: value, subjectPublicKeyInfo: serializer.serializedBytes, expectedDigest: Data(digest)) {
            case .otherDigest:
                throw SecurityError(.signedInfoAltered, "SignedInfo was changed after signing: the signature was made by \(signer.chain[0].subject) over another SignedInfo")
            case .notThisKey:
                throw SecurityError(.wrongKey, "the signature value was not made with the key of the KeyInfo certificate \(signer.chain[0].subject): a certificate was swapped in or the value was damaged")
            case .expectedDigest:
                throw SecurityError(.badSignatureValue, "the RSA signature value is not a valid PKCS#1 v1.5 signature")
            }
        case .p384(let key):
            guard value.count == 96, let signature = try? P384.Signing.ECDSASignature(rawRepresentation: value) else {
                throw SecurityError(.badSignatureValue, "an ECDSA P-384 signature value is r||s, 96 bytes; got \(value.count)")
            }
            guard key.isValidSignature(signature, for: SHA384.hash(data: signedInfo)) else {
                throw SecurityError(.badSignatureValue, "the ECDSA signature does not verify with the key of \(signer.chain[0].subject): SignedInfo altered, the value damaged or another certificate swapped in")
            }
        case .p256(let key):
            guard value.count == 64, let signature = try? P256.Signing.ECDSASignature(rawRepresentation: value) else {
                throw SecurityError(.badSignatureValue, "an ECDSA P-256 signature value is r||s, 64 bytes; got \(value.count)")
            }
            guard key.isValidSignature(signature, for: SHA256.hash(data: signedInfo)) else {
                throw SecurityError(.badSignatureValue, "the ECDSA signature does not verify with the key of \(signer.chain[0].subject): SignedInfo altered, the value damaged or another certificate swapped in")
            }
        }
    }
}

/// One walk over the whole document: every ID-like attribute value (duplicates rejected) and
/// every `ds:Signature`.
private struct DocumentSurvey {
    var elementsByID: [String: xmlNodePtr] = [:]
    var signatures: [xmlNodePtr] = []

    init(_ document: CanonicalizationDocument) throws {
        var duplicate: String?
        XMLTree.forEachElement(below: document.documentElement.node) { node in
            if XMLTree.hasName(node, SignatureProfile.namespace, "Signature") { signatures.append(node) }
            var attribute = node.pointee.properties
            while let current = attribute {
                // Id, ID, id in any namespace (wsu:Id, xml:id...) and anything libxml2 typed as an ID.
                let name = current.pointee.name!
                if current.pointee.atype == XML_ATTRIBUTE_ID || xmlStrcasecmp(name, "id") == 0 {
                    let value = XMLTree.text(of: current)
                    if elementsByID.updateValue(node, forKey: value) != nil, duplicate == nil { duplicate = value }
                }
                attribute = current.pointee.next
            }
        }
        if let duplicate {
            throw SecurityError(.duplicateID, "the Id \"\(duplicate)\" occurs more than once in the document, so a reference to it is ambiguous")
        }
    }
}

/// The parts of a `ds:Signature`, read strictly against the profile.
private struct SignatureElements {
    struct Reference {
        var uri: String
        var inclusivePrefixes: [String]
        var digestValue: Data
    }

    var signedInfo: xmlNodePtr
    var signedInfoInclusivePrefixes: [String]
    var algorithm: SignatureAlgorithm
    var reference: Reference
    var signatureValue: Data
    /// The X509Certificate texts, leaf first.
    var certificates: [String]

    private static let ds = SignatureProfile.namespace

    init(_ signature: xmlNodePtr) throws {
        let parts = XMLTree.childElements(signature)
        guard parts.count == 3,
              XMLTree.hasName(parts[0], Self.ds, "SignedInfo"),
              XMLTree.hasName(parts[1], Self.ds, "SignatureValue"),
              XMLTree.hasName(parts[2], Self.ds, "KeyInfo") else {
            throw SecurityError(.malformedSignature, "a profile signature holds SignedInfo, SignatureValue and KeyInfo, nothing else")
        }
        signedInfo = parts[0]
        let signedInfoParts = XMLTree.childElements(parts[0])
        guard signedInfoParts.count >= 2,
              XMLTree.hasName(signedInfoParts[0], Self.ds, "CanonicalizationMethod"),
              XMLTree.hasName(signedInfoParts[1], Self.ds, "SignatureMethod") else {
            throw SecurityError(.malformedSignature, "SignedInfo starts with CanonicalizationMethod and SignatureMethod")
        }
        signedInfoInclusivePrefixes = try Self.exclusiveCanonicalization(signedInfoParts[0], role: "the CanonicalizationMethod of SignedInfo")
        algorithm = try Self.signatureAlgorithm(signedInfoParts[1])
        let references = signedInfoParts.dropFirst(2)
        guard references.allSatisfy({ XMLTree.hasName($0, Self.ds, "Reference") }) else {
            throw SecurityError(.malformedSignature, "SignedInfo holds only CanonicalizationMethod, SignatureMethod and Reference")
        }
        guard references.count == 1, let reference = references.first else {
            throw SecurityError(.unexpectedReferences, "SignedInfo holds \(references.count) References; the profile signs the request with exactly one")
        }
        self.reference = try Self.reference(reference)
        signatureValue = try Self.base64(parts[1], "SignatureValue")
        certificates = try Self.certificates(parts[2])
    }

    /// The Reference URI of a signature, for describing a misplaced one.
    static func referenceURI(of signature: xmlNodePtr) -> String? {
        guard let signedInfo = XMLTree.firstChildElement(signature), XMLTree.hasName(signedInfo, ds, "SignedInfo") else { return nil }
        let reference = XMLTree.childElements(signedInfo).first { XMLTree.hasName($0, ds, "Reference") }
        return reference.flatMap { XMLTree.attributeValue($0, "URI") }
    }

    private static func algorithmURI(_ node: xmlNodePtr, _ role: String) throws -> String {
        guard let uri = XMLTree.attributeValue(node, "Algorithm") else {
            throw SecurityError(.malformedSignature, "\(role) has no Algorithm")
        }
        return uri
    }

    /// Exclusive C14N without comments, with at most an InclusiveNamespaces parameter.
    private static func exclusiveCanonicalization(_ node: xmlNodePtr, role: String) throws -> [String] {
        let uri = try algorithmURI(node, role)
        guard uri == ExclusiveCanonicalization.algorithm else {
            if SignatureProfile.isWeak(uri) { throw SecurityError(.weakAlgorithm, "\(role) is \(uri), a weak algorithm") }
            throw SecurityError(.unexpectedTransforms, "\(role) is \(uri); the profile uses exclusive C14N without comments (\(ExclusiveCanonicalization.algorithm))")
        }
        let parameters = XMLTree.childElements(node)
        guard parameters.count <= 1 else {
            throw SecurityError(.unexpectedTransforms, "\(role) has \(parameters.count) parameters; exclusive C14N takes one InclusiveNamespaces at most")
        }
        guard let parameter = parameters.first else { return [] }
        guard XMLTree.hasName(parameter, ExclusiveCanonicalization.inclusiveNamespacesNamespace, "InclusiveNamespaces"),
              let list = XMLTree.attributeValue(parameter, "PrefixList") else {
            throw SecurityError(.unexpectedTransforms, "\(role) has a parameter other than InclusiveNamespaces/@PrefixList")
        }
        return ExclusiveCanonicalization(prefixList: list).inclusivePrefixes
    }

    private static func signatureAlgorithm(_ node: xmlNodePtr) throws -> SignatureAlgorithm {
        let uri = try algorithmURI(node, "SignatureMethod")
        if !XMLTree.childElements(node).isEmpty {
            // HMACOutputLength (truncated HMAC) or anything else: not in the profile.
            throw SecurityError(.weakAlgorithm, "SignatureMethod carries parameters (such as HMACOutputLength); the profile's methods take none")
        }
        guard let algorithm = SignatureAlgorithm(rawValue: uri) else {
            if SignatureProfile.isWeak(uri) {
                throw SecurityError(.weakAlgorithm, "SignatureMethod \(uri) is weak; the profile allows rsa-sha256, ecdsa-sha384 and ecdsa-sha256")
            }
            throw SecurityError(.unsupportedAlgorithm, "SignatureMethod \(uri) is not in the profile (rsa-sha256, ecdsa-sha384, ecdsa-sha256)")
        }
        return algorithm
    }

    private static func reference(_ node: xmlNodePtr) throws -> Reference {
        guard let uri = XMLTree.attributeValue(node, "URI") else {
            throw SecurityError(.referenceToOtherElement, "the Reference has no URI; the profile references the request as #Id")
        }
        let parts = XMLTree.childElements(node)
        guard parts.count == 3,
              XMLTree.hasName(parts[0], ds, "Transforms"),
              XMLTree.hasName(parts[1], ds, "DigestMethod"),
              XMLTree.hasName(parts[2], ds, "DigestValue") else {
            if !parts.contains(where: { XMLTree.hasName($0, ds, "Transforms") }) {
                throw SecurityError(.unexpectedTransforms, "the Reference has no Transforms; the profile has enveloped-signature then exclusive C14N")
            }
            throw SecurityError(.malformedSignature, "a Reference holds Transforms, DigestMethod and DigestValue")
        }
        let digestMethod = try algorithmURI(parts[1], "DigestMethod")
        guard digestMethod == SignatureProfile.digestMethod else {
            if SignatureProfile.isWeak(digestMethod) {
                throw SecurityError(.weakAlgorithm, "DigestMethod \(digestMethod) is weak; the profile digests with SHA-256")
            }
            throw SecurityError(.unsupportedAlgorithm, "DigestMethod \(digestMethod) is not in the profile (SHA-256)")
        }
        let transforms = XMLTree.childElements(parts[0])
        let algorithms = try transforms.map { transform -> String in
            guard XMLTree.hasName(transform, ds, "Transform") else {
                throw SecurityError(.unexpectedTransforms, "Transforms holds something other than Transform")
            }
            return try algorithmURI(transform, "Transform")
        }
        guard algorithms == SignatureProfile.transforms else {
            throw SecurityError(.unexpectedTransforms, "the transforms are [\(algorithms.joined(separator: ", "))]; the profile has exactly [\(SignatureProfile.transforms.joined(separator: ", "))]")
        }
        guard XMLTree.childElements(transforms[0]).isEmpty else {
            throw SecurityError(.unexpectedTransforms, "the enveloped-signature transform takes no parameters")
        }
        let inclusivePrefixes = try exclusiveCanonicalization(transforms[1], role: "the exclusive C14N transform")
        let digest = try base64(parts[2], "DigestValue")
        guard digest.count == SHA256.byteCount else {
            throw SecurityError(.malformedSignature, "the DigestValue has \(digest.count) bytes; a SHA-256 digest has 32")
        }
        return Reference(uri: uri, inclusivePrefixes: inclusivePrefixes, digestValue: digest)
    }

    private static func base64(_ node: xmlNodePtr, _ role: String) throws -> Data {
        // xs:base64Binary: whitespace (line breaks) allowed between the characters, nothing else.
        var text = XMLTree.directText(node)
        if text.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            text = String(decoding: text.utf8.filter { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }, as: UTF8.self)
        }
        guard XMLTree.childElements(node).isEmpty, let value = Data(base64Encoded: text), !value.isEmpty else {
            throw SecurityError(.malformedSignature, "\(role) is not base64")
        }
        return value
    }

    /// KeyInfo/X509Data/X509Certificate, leaf first (cookbook 4.3.2). Other KeyInfo children
    /// (KeyName, KeyValue) are ignored: only the certificate decides, and only once it chains
    /// to a trust root.
    private static func certificates(_ keyInfo: xmlNodePtr) throws -> [String] {
        let data = XMLTree.childElements(keyInfo).filter { XMLTree.hasName($0, ds, "X509Data") }
        guard data.count == 1 else {
            throw SecurityError(.malformedSignature, "KeyInfo holds \(data.count) X509Data elements; the profile puts the signer's chain in one")
        }
        let certificates = XMLTree.childElements(data[0]).filter { XMLTree.hasName($0, ds, "X509Certificate") }.map(XMLTree.directText)
        guard !certificates.isEmpty else {
            throw SecurityError(.malformedSignature, "KeyInfo/X509Data holds no X509Certificate")
        }
        return certificates
    }
}
