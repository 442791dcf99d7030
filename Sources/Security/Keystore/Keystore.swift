import Crypto
import Foundation
import SwiftASN1
import X509

/// One entry of a keystore.
public enum KeystoreEntry: Sendable, Hashable {
    /// A private key with its certificate chain, the key's certificate first (the chain may
    /// include the root, as Java stores it).
    case privateKey(KeystorePrivateKey, certificateChain: [Certificate])
    /// A certificate on its own (Java's "trustedCertEntry").
    case certificate(Certificate)

    public var privateKey: KeystorePrivateKey? {
        if case .privateKey(let key, _) = self { return key }
        return nil
    }

    public var certificateChain: [Certificate] {
        switch self {
        case .privateKey(_, let chain): chain
        case .certificate(let certificate): [certificate]
        }
    }

    public var certificate: Certificate? { certificateChain.first }
}

/// A PKCS#12 keystore, with the eHealth conventions (cookbook 4.1, protocol-facts "Keystore
/// conventions"): the authentication key under the alias `authentication` with its chain; each
/// ETK encryption key under the decimal serial number of its encryption certificate; one password
/// for the store and every entry.
///
/// A value: read a file, change entries, write it back. Reading accepts the legacy files of the
/// platform's Java tools and modern AES-256/PBKDF2 files; writing is modern unless a
/// `PKCS12Format` says otherwise, atomic, mode 0600, and never replaces a file unless asked.
public struct Keystore: Sendable, Equatable {
    public static let authenticationAlias = "authentication"

    /// The aliases in file order.
    public private(set) var aliases: [String] = []
    private var entries: [String: KeystoreEntry] = [:]
    /// The protection of the file this value was read from; `nil` for a new keystore. Writing
    /// back with it keeps a Java 8 installation able to read the file.
    public private(set) var format: PKCS12Format?
    /// Parts of the file this value was read from that it does not hold (see `PKCS12Contents`):
    /// while there are any, it is not written, so that a rewrite never silently drops them.
    public private(set) var unkeptParts: [String] = []

    public init() {}

    /// Decodes PKCS#12 bytes.
    public init(pkcs12 data: Data, password: String) throws {
        let contents = try PKCS12Codec.decode(data, password: password)
        try self.init(contents)
    }

    /// Reads a keystore file. Bytes this process wrote or read lately with the same password are
    /// not decrypted again (`RecentKeystoreFiles`); any other bytes are decoded and checked.
    public init(contentsOf url: URL, password: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SecurityError(.keystoreReadFailed, "cannot read the keystore \(url.path): \(error.localizedDescription)")
        }
        if let known = RecentKeystoreFiles.contents(of: data, password: password) {
            try self.init(known)
            return
        }
        let contents = try PKCS12Codec.decode(data, password: password)
        try self.init(contents)
        RecentKeystoreFiles.remember(contents, data: data, password: password)
    }

    public static func == (lhs: Keystore, rhs: Keystore) -> Bool {
        lhs.aliases == rhs.aliases && lhs.entries == rhs.entries
    }

    // MARK: Entries

    public var isEmpty: Bool { aliases.isEmpty }

    /// The entry under `alias`; Java lower-cases aliases, so a different case also matches.
    public subscript(alias: String) -> KeystoreEntry? {
        resolve(alias).flatMap { entries[$0] }
    }

    /// Adds or replaces a key entry. The key must belong to the chain's first certificate.
    public mutating func setPrivateKey(_ key: KeystorePrivateKey, certificateChain: [Certificate], alias: String) throws {
        guard !alias.isEmpty else {
            throw SecurityError(.keystoreAliasNotFound, "an alias cannot be empty")
        }
        if let leaf = certificateChain.first, !key.belongs(to: leaf) {
            throw SecurityError(.keystoreKeyMismatch, "the private key for '\(alias)' does not belong to the certificate \(leaf.subject)")
        }
        set(.privateKey(key, certificateChain: certificateChain), alias: alias)
    }

    /// Adds or replaces a certificate-only entry.
    public mutating func setCertificate(_ certificate: Certificate, alias: String) {
        set(.certificate(certificate), alias: alias)
    }

    @discardableResult
    public mutating func removeEntry(alias: String) -> KeystoreEntry? {
        guard let existing = resolve(alias) else { return nil }
        aliases.removeAll { $0 == existing }
        return entries.removeValue(forKey: existing)
    }

    private mutating func set(_ entry: KeystoreEntry, alias: String) {
        let key = resolve(alias) ?? alias
        if entries[key] == nil { aliases.append(key) }
        entries[key] = entry
    }

    private func resolve(_ alias: String) -> String? {
        if entries[alias] != nil { return alias }
        let lowered = alias.lowercased()
        return aliases.first { $0.lowercased() == lowered }
    }

    // MARK: eHealth conventions

    /// The eHealth authentication key and its chain under `authentication`.
    public mutating func setAuthenticationKey(_ key: KeystorePrivateKey, certificateChain: [Certificate]) throws {
        try setPrivateKey(key, certificateChain: certificateChain, alias: Self.authenticationAlias)
    }

    public mutating func setAuthenticationKey(_ signingKey: SoftwareSigningKey) throws {
        try setAuthenticationKey(KeystorePrivateKey(signingKey.key), certificateChain: signingKey.certificateChain)
    }

    /// An ETK encryption key under the decimal serial number of its encryption certificate; keys
    /// already in the store stay (older messages must stay decryptable).
    public mutating func addEncryptionKey(_ key: KeystorePrivateKey, certificate: Certificate) throws {
        try setPrivateKey(key, certificateChain: [certificate], alias: Self.alias(forEncryptionCertificate: certificate))
    }

    /// The alias convention for encryption keys: the certificate's serial number in decimal.
    public static func alias(forEncryptionCertificate certificate: Certificate) -> String {
        alias(forSerialNumber: certificate.serialNumber)
    }

    public static func alias(forSerialNumber serialNumber: Certificate.SerialNumber) -> String {
        decimal(serialNumber.bytes)
    }

    /// Aliases that name encryption keys (all digits).
    public var encryptionAliases: [String] {
        aliases.filter { alias in !alias.isEmpty && alias.allSatisfy(\.isASCIIDigit) && entries[alias]?.privateKey != nil }
    }

    /// The encryption private key for an ETK whose encryption certificate has this serial number.
    public func encryptionKey(serialNumber: Certificate.SerialNumber) throws -> KeystorePrivateKey {
        let alias = Self.alias(forSerialNumber: serialNumber)
        guard let key = self[alias]?.privateKey else {
            throw SecurityError(.keystoreAliasNotFound, "the keystore holds no encryption key under the alias \(alias) (the serial number of the ETK's encryption certificate)")
        }
        return key
    }

    /// The key of `alias` as a signer: its chain without the root, as `SigningKey` wants it.
    public func signingKey(alias: String = Keystore.authenticationAlias) throws -> SoftwareSigningKey {
        guard case .privateKey(let key, let chain)? = self[alias] else {
            throw SecurityError(.keystoreAliasNotFound, "the keystore holds no private key under the alias '\(alias)'")
        }
        guard !chain.isEmpty else {
            throw SecurityError(.keystoreAliasNotFound, "the key '\(alias)' has no certificate; a signing key needs one")
        }
        var belowRoot = chain
        while belowRoot.count > 1, let last = belowRoot.last, last.subject == last.issuer {
            belowRoot.removeLast()
        }
        return try SoftwareSigningKey(key: key.signingKey(), certificateChain: belowRoot)
    }

    /// The eHealth authentication key as a signer.
    public func authenticationKey() throws -> SoftwareSigningKey {
        try signingKey(alias: Self.authenticationAlias)
    }

    // MARK: Files

    /// PKCS#12 bytes; the password protects the store and every key.
    public func pkcs12Data(password: String, format: PKCS12Format = .modern) throws -> Data {
        try checkNothingIsDropped()
        return try PKCS12Codec.encode(contents(), password: password, format: format)
    }

    /// Writes the keystore atomically with mode 0600. An existing file is replaced only with
    /// `overwrite`; on failure nothing is left behind and an existing file is untouched.
    public func write(to url: URL, password: String, format: PKCS12Format = .modern, overwrite: Bool = false) throws {
        try checkNothingIsDropped()
        let contents = try contents()
        let data = try PKCS12Codec.encode(contents, password: password, format: format)
        // A replaced file keeps its mode (an administrator's 0640 for a service's group stays);
        // a new one is 0600.
        let existing = overwrite ? (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? NSNumber : nil
        try AtomicFile.write(data, to: url, overwrite: overwrite, permissions: existing.map { mode_t($0.intValue & 0o777) } ?? 0o600)
        RecentKeystoreFiles.remember(PKCS12Codec.decoded(contents, format: format), data: data, password: password)
    }

    /// Re-encrypts a keystore file under a new password, atomically. By default the file is
    /// replaced in place and keeps its protection (a legacy file stays legacy).
    public static func changePassword(of url: URL, from oldPassword: String, to newPassword: String,
                                      writingTo destination: URL? = nil, overwrite: Bool = false,
                                      format: PKCS12Format? = nil) throws {
        let keystore = try Keystore(contentsOf: url, password: oldPassword)
        try keystore.write(to: destination ?? url, password: newPassword,
                           format: format ?? keystore.format ?? .modern,
                           overwrite: destination == nil ? true : overwrite)
    }

    /// Reads a keystore file, lets `change` edit it, and writes it back atomically with the same
    /// password and protection (for example to add an encryption key next to the others).
    public static func modify(at url: URL, password: String, format: PKCS12Format? = nil,
                              _ change: (inout Keystore) throws -> Void) throws {
        var keystore = try Keystore(contentsOf: url, password: password)
        try change(&keystore)
        try keystore.write(to: url, password: password, format: format ?? keystore.format ?? .modern, overwrite: true)
    }

    private func checkNothingIsDropped() throws {
        guard !unkeptParts.isEmpty else { return }
        throw SecurityError(.keystoreUnsupported, "the keystore also holds \(unkeptParts.joined(separator: ", ")), which this toolkit does not keep: writing it would lose them, so it is left as it is; move them to another keystore (keytool -importkeystore, openssl pkcs12) and try again")
    }

    // MARK: PKCS#12 bags

    private init(_ contents: PKCS12Contents) throws {
        let certificates: [(bag: PKCS12Contents.CertificateBag, certificate: Certificate)] = try contents.certificates.map { bag in
            do {
                return (bag, try Certificate(derEncoded: Array(bag.der)))
            } catch {
                throw SecurityError(.keystoreCorrupt, "a certificate in the keystore cannot be parsed: \(error)")
            }
        }
        // Chains are built from the certificates that are not certificate entries of their own
        // (Java marks those "trusted"), so a root kept as an entry does not join a key's chain.
        let pool = certificates.filter { !$0.bag.trustedForJava }.map(\.certificate)
        var leaves = Set<Int>()
        var chained = Set<Certificate>()

        for (index, bag) in contents.keys.enumerated() {
            let key = try KeystorePrivateKey(pkcs8: bag.pkcs8)
            let leafIndex = certificates.indices.first { bag.localKeyID != nil && certificates[$0].bag.localKeyID == bag.localKeyID }
                ?? certificates.indices.first { !leaves.contains($0) && key.belongs(to: certificates[$0].certificate) }
            var chain: [Certificate] = []
            if let leafIndex {
                leaves.insert(leafIndex)
                chain = Self.chain(from: certificates[leafIndex].certificate, pool: pool)
                chained.formUnion(chain)
            }
            let alias = bag.friendlyName ?? leafIndex.flatMap { certificates[$0].bag.friendlyName } ?? String(index + 1)
            set(.privateKey(key, certificateChain: chain), alias: uniqueAlias(alias))
        }
        // A named certificate outside every chain (or marked trusted) is an entry of its own;
        // OpenSSL's -caname names chain certificates too, and those stay in their chains.
        for (index, item) in certificates.enumerated() where !leaves.contains(index) {
            guard let name = item.bag.friendlyName, item.bag.trustedForJava || !chained.contains(item.certificate) else { continue }
            set(.certificate(item.certificate), alias: uniqueAlias(name))
        }
        format = contents.format
        unkeptParts = contents.unkeptBags
    }

    private func uniqueAlias(_ alias: String) -> String {
        var candidate = alias
        var counter = 2
        while entries[candidate] != nil {
            candidate = "\(alias) (\(counter))"
            counter += 1
        }
        return candidate
    }

    /// From a certificate up through its issuers found in the file, by name, preferring the
    /// issuer whose key verifies the signature; stops at a self-issued certificate.
    static func chain(from leaf: Certificate, pool: [Certificate]) -> [Certificate] {
        IssuerChain.build(from: leaf, pool: pool, requireSignature: false)
    }

    private func contents() throws -> PKCS12Contents {
        var contents = PKCS12Contents()
        // Chain certificates are written once each, apart from certificate entries (which carry
        // the trusted marker and are not part of chains when read back).
        var written = Set<Certificate>()
        var usedIdentifiers = Set<Data>()
        var chainCertificates: [Certificate] = []
        for alias in aliases {
            switch entries[alias]! {
            case .privateKey(let key, let chain):
                // OpenSSL's convention for localKeyID: the SHA-1 of the key's certificate.
                var identifier = Data(Insecure.SHA1.hash(data: chain.first.map { (try? $0.derBytes()) ?? [] } ?? Array(key.subjectPublicKeyInfo)))
                if usedIdentifiers.contains(identifier) {
                    identifier = Data(Insecure.SHA1.hash(data: identifier + Data(alias.utf8)))
                }
                usedIdentifiers.insert(identifier)
                contents.keys.append(.init(pkcs8: key.pkcs8DERRepresentation, friendlyName: alias, localKeyID: identifier))
                if let leaf = chain.first {
                    contents.certificates.append(.init(der: Data(try leaf.derBytes()), friendlyName: alias, localKeyID: identifier))
                    written.insert(leaf)
                }
                chainCertificates.append(contentsOf: chain.dropFirst())
            case .certificate(let certificate):
                contents.certificates.append(.init(der: Data(try certificate.derBytes()), friendlyName: alias, localKeyID: nil, trustedForJava: true))
            }
        }
        for certificate in chainCertificates where !written.contains(certificate) {
            contents.certificates.append(.init(der: Data(try certificate.derBytes()), friendlyName: nil, localKeyID: nil))
            written.insert(certificate)
        }
        return contents
    }

    /// A non-negative big-endian integer in decimal (serial numbers are up to 20 bytes).
    static func decimal(_ bytes: some Collection<UInt8>) -> String {
        var number = Array(bytes.drop { $0 == 0 })
        guard !number.isEmpty else { return "0" }
        var digits: [UInt8] = []
        while !number.isEmpty {
            var remainder = 0
            var quotient: [UInt8] = []
            quotient.reserveCapacity(number.count)
            for byte in number {
                let value = remainder * 256 + Int(byte)
                let digit = value / 10
                remainder = value % 10
                if !(quotient.isEmpty && digit == 0) { quotient.append(UInt8(digit)) }
            }
            digits.append(UInt8(remainder))
            number = quotient
        }
        return String(decoding: digits.reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }
}

extension Certificate {
    fileprivate func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
