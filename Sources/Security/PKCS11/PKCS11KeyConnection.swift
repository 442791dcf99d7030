import _CryptoExtras
import CPKCS11
import Crypto
import Dispatch
import Foundation
import SwiftASN1
import X509

/// The session behind one `PKCS11SigningKey`, and what it knows about the token: opened on
/// demand, logged in on demand, dropped when the token goes away and opened again on the next
/// call, so a re-inserted card works without restarting.
///
/// Every operation runs on `queue`, one at a time: PKCS#11 forbids two threads in one session,
/// and a pinpad login blocks for as long as the person takes, which must not hold a thread of
/// Swift's cooperative pool.
final class PKCS11KeyConnection: @unchecked Sendable {
    // @unchecked: the mutable state below is only touched on `queue`.
    let module: PKCS11Module
    let selector: PKCS11TokenSelector
    let label: String
    let pinSource: PINSource
    let options: PKCS11SigningKey.Options
    private let queue: DispatchQueue

    private var session: PKCS11Session?
    private var slot: PKCS11Slot?
    private var key: CK_OBJECT_HANDLE?
    private var keyAlwaysAuthenticates = false
    private var mechanisms: Set<CK_MECHANISM_TYPE> = []
    private var certificate: Certificate?

    init(module: PKCS11Module, selector: PKCS11TokenSelector, label: String, pinSource: PINSource, options: PKCS11SigningKey.Options) {
        self.module = module
        self.selector = selector
        self.label = label
        self.pinSource = pinSource
        self.options = options
        self.queue = DispatchQueue(label: "ehealth.pkcs11.\(label)")
    }

    /// Runs `work` on the queue without blocking the caller's thread.
    func perform<Result: Sendable>(_ work: @escaping @Sendable (PKCS11KeyConnection) throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Swift.Result { try work(self) })
            }
        }
    }

    private var tokenName: String {
        slot?.token.map { "'\($0.label)'" } ?? selector.description
    }

    // MARK: Opening

    /// The key's certificate chain from the token, leaf first, without the root.
    func loadCertificateChain() throws -> [Certificate] {
        do {
            try openSession()
            var objects = try session!.certificates()
            var leaf = objects.first { $0.label == label }
            if leaf == nil, slot?.token?.isLoginRequired == true, try !session!.isLoggedIn() {
                // Some tokens (HSMs) show their certificates only after login.
                try login(.login)
                objects = try session!.certificates()
                leaf = objects.first { $0.label == label }
            }
            guard let leaf else {
                let labels = objects.map { "'\($0.label)'" }.joined(separator: ", ")
                throw SecurityError(.pkcs11CertificateNotFound, "no certificate labelled '\(label)' on \(tokenName) (certificates: \(labels.isEmpty ? "none" : labels))")
            }
            var chain = Keystore.chain(from: leaf.certificate, pool: objects.map(\.certificate))
            while chain.count > 1, let last = chain.last, last.subject == last.issuer {
                chain.removeLast()
            }
            certificate = leaf.certificate
            return chain
        } catch let failure as PKCS11Failure {
            invalidate()
            throw failure.error("cannot read the '\(label)' certificate on \(tokenName)")
        }
    }

    private func openSession() throws {
        guard session == nil else { return }
        let slot = try module.slot(selector)
        let session = try PKCS11Session(module: module, slotID: CK_SLOT_ID(slot.id))
        self.slot = slot
        self.session = session
        self.mechanisms = (try? session.mechanisms()) ?? []
        self.key = nil
    }

    /// Forgets the session and everything found in it.
    func invalidate() {
        session?.close()
        session = nil
        key = nil
    }

    // MARK: Signing

    func sign(_ data: Data, algorithm: SignatureAlgorithm) throws -> Data {
        do {
            try prepare()
            return try signOnce(data, algorithm: algorithm)
        } catch let failure as PKCS11Failure where failure.meansTokenGone {
            invalidate()
            throw SecurityError(.pkcs11TokenRemoved, "the token \(tokenName) was removed or changed while in use (\(failure)); insert the card again: the next signature opens a new session")
        } catch let failure as PKCS11Failure where failure.returnValue == CKR_USER_NOT_LOGGED_IN && !keyAlwaysAuthenticates {
            // Logged out behind our back (the application's last other session closed): log
            // in again, once.
            do {
                try login(.login)
                return try signOnce(data, algorithm: algorithm)
            } catch let failure as PKCS11Failure {
                if failure.meansTokenGone { invalidate() }
                throw failure.error("cannot sign with '\(label)' on \(tokenName)")
            }
        } catch let failure as PKCS11Failure {
            throw failure.error("cannot sign with '\(label)' on \(tokenName)")
        }
    }

    /// A session on the right token, logged in, with the key found.
    private func prepare() throws {
        if session == nil {
            try openSession()
            try checkSameToken()
        }
        guard let session, let slot else { return }
        if slot.token?.isLoginRequired != false, try !session.isLoggedIn() {
            try login(.login)
        }
        if key == nil {
            try findKey()
        }
    }

    /// After a new session: the token must hold the certificate the key was opened with, so a
    /// different card in the reader is never used in its place.
    private func checkSameToken() throws {
        guard let expected = certificate, let session else { return }
        let found = try session.certificates().first { $0.label == label }
        guard let found, found.certificate == expected else {
            invalidate()
            throw SecurityError(.pkcs11DifferentToken, "the token in the reader \(found == nil ? "has no '\(label)' certificate" : "holds another '\(label)' certificate (\(found!.certificate.subject))"); insert the card of \(expected.subject)")
        }
    }

    private func findKey() throws {
        guard let session, let certificate else { return }
        var candidates = try session.findObjects([.objectClass(CK_OBJECT_CLASS(CKO_PRIVATE_KEY)), .label(label)])
        if candidates.isEmpty,
           let id = try session.findObjects([.objectClass(CK_OBJECT_CLASS(CKO_CERTIFICATE)), .label(label)]).first
               .flatMap({ try session.attribute(CKA_ID, of: $0) }), !id.isEmpty {
            candidates = try session.findObjects([.objectClass(CK_OBJECT_CLASS(CKO_PRIVATE_KEY)), .id(id)])
        }
        guard let key = candidates.first else {
            throw SecurityError(.pkcs11KeyNotFound, "no private key labelled '\(label)' on \(tokenName)")
        }
        // The key type comes from the certificate; the token's key must agree.
        let expectedType: CK_KEY_TYPE = _RSA.Signing.PublicKey(certificate.publicKey) != nil ? CK_KEY_TYPE(CKK_RSA) : CK_KEY_TYPE(CKK_EC)
        if let type = try session.unsignedAttribute(CKA_KEY_TYPE, of: key), type != expectedType {
            throw SecurityError(.pkcs11KeyMismatch, "the private key '\(label)' on \(tokenName) is not of the type of its certificate's key")
        }
        if expectedType == CK_KEY_TYPE(CKK_RSA), let modulus = try session.attribute(CKA_MODULUS, of: key),
           let expected = Self.rsaModulus(certificate.publicKey), Self.stripped(modulus) != Self.stripped(expected) {
            throw SecurityError(.pkcs11KeyMismatch, "the private key '\(label)' on \(tokenName) does not belong to its certificate \(certificate.subject)")
        }
        self.key = key
        self.keyAlwaysAuthenticates = try session.booleanAttribute(CKA_ALWAYS_AUTHENTICATE, of: key)
    }

    private func login(_ purpose: PINSource.Request.Purpose) throws {
        guard let session, let slot else { return }
        // Fresh flags: the PIN counters change with every try.
        let token = (try? module.tokenInfo(slotID: CK_SLOT_ID(slot.id))) ?? slot.token
        let request = PINSource.Request(tokenLabel: token?.label ?? selector.description, keyLabel: label, purpose: purpose,
                                        isCountLow: token?.isUserPINCountLow ?? false, isFinalTry: token?.isUserPINFinalTry ?? false)
        if token?.isUserPINLocked == true {
            throw SecurityError(.pkcs11PINLocked, "the PIN of \(tokenName) is blocked; unblock it with the PUK first")
        }
        let userType = purpose == .login ? CK_USER_TYPE(CKU_USER) : CK_USER_TYPE(CKU_CONTEXT_SPECIFIC)
        do {
            if token?.hasProtectedAuthenticationPath == true {
                pinSource.notifyPinpad(request)
                try session.login(userType: userType, pin: nil)
            } else {
                try session.login(userType: userType, pin: try pinSource.pin(for: request))
            }
        } catch let failure as PKCS11Failure where failure.code == .pkcs11PINIncorrect {
            let after = try? module.tokenInfo(slotID: CK_SLOT_ID(slot.id))
            let warning = after?.isUserPINLocked == true ? " The PIN is now blocked; unblock it with the PUK."
                : after?.isUserPINFinalTry == true ? " One more wrong PIN blocks the card." : ""
            throw SecurityError(.pkcs11PINIncorrect, "the PIN for \(tokenName) is wrong (\(failure)).\(warning)")
        }
    }

    private func signOnce(_ data: Data, algorithm: SignatureAlgorithm) throws -> Data {
        guard let session, let key else {
            throw SecurityError(.pkcs11KeyNotFound, "no private key labelled '\(label)' on \(tokenName)")
        }
        let authorise: (() throws -> Void)? = keyAlwaysAuthenticates ? { try self.login(.signature) } : nil
        switch algorithm {
        case .rsaSHA256:
            let hashing = options.rsaMechanism == .sha256RSAPKCS
                || (options.rsaMechanism == .automatic && (mechanisms.isEmpty || mechanisms.contains(CK_MECHANISM_TYPE(CKM_SHA256_RSA_PKCS))))
            if hashing {
                do {
                    return Data(try session.sign(mechanism: CK_MECHANISM_TYPE(CKM_SHA256_RSA_PKCS), key: key, data: Array(data), afterInit: authorise))
                } catch let failure as PKCS11Failure where failure.returnValue == CKR_MECHANISM_INVALID && options.rsaMechanism == .automatic {
                    // The mechanism list promised more than the token does: hash here.
                }
            }
            // CKM_RSA_PKCS signs what it is given: the DER DigestInfo of the SHA-256 hash
            // (RFC 8017 section 9.2), which is what SHA256withRSA signs.
            let digestInfo = Self.sha256DigestInfoPrefix + Array(SHA256.hash(data: data))
            return Data(try session.sign(mechanism: CK_MECHANISM_TYPE(CKM_RSA_PKCS), key: key, data: digestInfo, afterInit: authorise))
        case .ecdsaSHA384, .ecdsaSHA256:
            let digest = algorithm == .ecdsaSHA384 ? Array(SHA384.hash(data: data)) : Array(SHA256.hash(data: data))
            let size = algorithm == .ecdsaSHA384 ? 48 : 32
            let signature = try session.sign(mechanism: CK_MECHANISM_TYPE(CKM_ECDSA), key: key, data: digest, afterInit: authorise)
            return try Self.rawECDSA(signature, coordinateSize: size)
        }
    }

    // MARK: Encodings

    /// DigestInfo ::= SEQUENCE { SEQUENCE { id-sha256, NULL }, OCTET STRING (32 bytes) }, without the hash.
    static let sha256DigestInfoPrefix: [UInt8] = [0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]

    /// PKCS#11 returns r||s for CKM_ECDSA (mechanisms spec 2.3.1); some tokens return DER
    /// anyway, which is converted.
    static func rawECDSA(_ signature: [UInt8], coordinateSize: Int) throws -> Data {
        if signature.count == 2 * coordinateSize { return Data(signature) }
        guard let node = try? DER.parse(signature), case .constructed(let children) = node.content else {
            throw SecurityError(.signingFailed, "the token returned an ECDSA signature of \(signature.count) bytes, neither r||s nor DER")
        }
        var raw: [UInt8] = []
        for child in children {
            guard child.identifier == .integer, case .primitive(let value) = child.content else {
                throw SecurityError(.signingFailed, "the token's DER ECDSA signature is malformed")
            }
            let integer = stripped(Array(value))
            guard integer.count <= coordinateSize else { throw SecurityError(.signingFailed, "the token's ECDSA signature does not fit the curve") }
            raw += [UInt8](repeating: 0, count: coordinateSize - integer.count) + integer
        }
        guard raw.count == 2 * coordinateSize else { throw SecurityError(.signingFailed, "the token's DER ECDSA signature is malformed") }
        return Data(raw)
    }

    static func stripped(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.drop { $0 == 0 })
    }

    /// The modulus of an RSA public key (RFC 8017 RSAPublicKey in the certificate's BIT STRING).
    static func rsaModulus(_ publicKey: Certificate.PublicKey) -> [UInt8]? {
        guard _RSA.Signing.PublicKey(publicKey) != nil,
              let node = try? DER.parse(Array(publicKey.subjectPublicKeyInfoBytes)),
              case .constructed(let children) = node.content,
              let first = children.first(where: { _ in true }),
              first.identifier == .integer, case .primitive(let modulus) = first.content else { return nil }
        return Array(modulus)
    }
}
