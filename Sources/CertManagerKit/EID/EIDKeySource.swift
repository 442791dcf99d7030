import Foundation
import Security
import X509

/// Where the eID keys come from: the `Authentication` key signs getActorQualities (and
/// getCertificateInfoForCitizen), the `Signature` key signs generateCertificate and revoke
/// (cookbook 4.3.1). Keys are asked for only when a step needs them, so a resumed flow that is
/// past the eID steps never asks for a PIN.
public protocol EIDKeySource: Sendable {
    func authenticationKey() async throws -> any SigningKey
    func signatureKey() async throws -> any SigningKey
    /// Done with the eID for now: a card logs out and its sessions close, so it is not left
    /// unlocked while the flow waits for delivery. A later step may open it again.
    func close() async
}

extension EIDKeySource {
    public func close() async {}
}

/// A software eID: a PKCS#12 file with the aliases `Authentication` and `Signature` (the
/// sandbox's test citizens, or keys exported for tests).
public struct PKCS12EIDKeySource: EIDKeySource {
    public let file: URL
    private let password: String

    public init(file: URL, password: String) {
        self.file = file
        self.password = password
    }

    public func authenticationKey() async throws -> any SigningKey {
        try key(alias: PKCS11SigningKey.BelgianEIDKey.authentication.rawValue)
    }

    public func signatureKey() async throws -> any SigningKey {
        try key(alias: PKCS11SigningKey.BelgianEIDKey.signature.rawValue)
    }

    private func key(alias: String) throws -> any SigningKey {
        do {
            return try Keystore(contentsOf: file, password: password).signingKey(alias: alias)
        } catch let error as SecurityError where error.code == .keystoreAliasNotFound {
            throw CertManagerError(.eIDUnavailable, .configuration,
                                   reason: "\(file.path) holds no '\(alias)' key: \(error.reason)",
                                   advice: "A software eID must hold the aliases 'Authentication' and 'Signature', like a Belgian eID card.")
        } catch {
            throw CertManagerError(error)
        }
    }
}

/// A Belgian eID card (or another PKCS#11 token with keys labelled `Authentication` and
/// `Signature`: SoftHSM2 in tests, an HSM). The PIN comes from `pin`, never from arguments; a
/// pinpad reader asks for it itself.
public actor PKCS11EIDKeySource: EIDKeySource {
    public let modulePath: String?
    public let token: PKCS11TokenSelector
    private let pin: PINSource
    private var module: PKCS11Module?
    private var keys: [String: PKCS11SigningKey] = [:]

    /// `modulePath` nil uses the installed Belgian eID middleware.
    public init(modulePath: String? = nil, token: PKCS11TokenSelector = .first, pin: PINSource) {
        self.modulePath = modulePath
        self.token = token
        self.pin = pin
    }

    public func authenticationKey() async throws -> any SigningKey {
        try await key(.authentication)
    }

    public func signatureKey() async throws -> any SigningKey {
        try await key(.signature)
    }

    private func key(_ which: PKCS11SigningKey.BelgianEIDKey) async throws -> PKCS11SigningKey {
        if let key = keys[which.rawValue] { return key }
        do {
            let module = try self.module ?? (modulePath.map { try PKCS11Module.load(path: $0) } ?? PKCS11Module.belgianEID())
            self.module = module
            let key = try await PKCS11SigningKey.open(module: module, token: token, label: which.rawValue, pin: pin)
            keys[which.rawValue] = key
            return key
        } catch {
            throw CertManagerError(error)
        }
    }

    /// Logs out of the token and closes its sessions.
    public func close() async {
        for key in keys.values { await key.close() }
        keys = [:]
    }
}

/// Keys already at hand (an application's own signer, tests).
public struct FixedEIDKeySource: EIDKeySource {
    private let authentication: any SigningKey
    private let signature: any SigningKey

    public init(authentication: any SigningKey, signature: any SigningKey) {
        self.authentication = authentication
        self.signature = signature
    }

    public func authenticationKey() async throws -> any SigningKey { authentication }
    public func signatureKey() async throws -> any SigningKey { signature }
}
