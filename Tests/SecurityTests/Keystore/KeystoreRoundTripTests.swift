import _CryptoExtras
import Crypto
import Foundation
import Security
import Testing
import X509

/// Keystores we write, read back by us, by Java 17 keytool and by OpenSSL 3.
@Suite("PKCS#12 keystore round trips")
struct KeystoreRoundTripTests {
    static let password = "s3cret-Password!"

    static func aliases(_ keystore: Keystore) -> Set<String> { Set(keystore.aliases) }

    @Test("a modern keystore with several aliases round-trips: keys, chains, certificate entry, signing, ETK key", arguments: [false, true])
    func modernRoundTrip(ecAuthentication: Bool) async throws {
        let identity = ecAuthentication ? KeystoreTesting.ecIdentity : KeystoreTesting.rsaIdentity
        var keystore = try KeystoreTesting.keystore(identity)
        keystore.setCertificate(TestPKI.eHealthRoot.certificate, alias: "ehealth-root")
        let data = try keystore.pkcs12Data(password: Self.password)

        let read = try Keystore(pkcs12: data, password: Self.password)
        #expect(read == keystore)
        #expect(read.format == .modern)
        let serialAlias = Keystore.alias(forEncryptionCertificate: identity.encryptionCertificate)
        #expect(Self.aliases(read) == ["authentication", serialAlias, "ehealth-root"])
        #expect(read.encryptionAliases == [serialAlias])
        #expect(read["authentication"]?.certificateChain == identity.authentication.certificateChain)
        #expect(read["ehealth-root"] == .certificate(TestPKI.eHealthRoot.certificate))

        // The authentication entry signs, with the algorithm its certificate names.
        let signer = try read.authenticationKey()
        #expect(try signer.signatureAlgorithm == (ecAuthentication ? .ecdsaSHA384 : .rsaSHA256))
        let message = Data("<SignedInfo/>".utf8)
        let signature = try await signer.sign(message)
        #expect(KeystoreTesting.verify(signature, over: message, with: identity.authentication.certificate))

        // The encryption key decrypts what its certificate's key encrypted (the ETK challenge path).
        let key = try read.encryptionKey(serialNumber: identity.encryptionCertificate.serialNumber)
        let publicKey = try _RSA.Encryption.PublicKey(derRepresentation: identity.encryptionCertificate.publicKey.subjectPublicKeyInfoBytes)
        let secret = Data((0..<48).map { UInt8($0) })
        let ciphertext = try publicKey.encrypt(secret, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        #expect(try key.rsaEncryptionKey().decrypt(ciphertext, padding: ._WEAK_AND_INSECURE_PKCS_V1_5) == secret)
        // The DER bytes are usable as they are, as the ETK challenge code takes them.
        let fromDER = try _RSA.Encryption.PrivateKey(derRepresentation: key.pkcs8DERRepresentation)
        #expect(fromDER.publicKey.derRepresentation == publicKey.derRepresentation)
    }

    @Test("a legacy keystore (3DES keys, RC2-40 certificates, SHA-1 MAC) round-trips and says so")
    func legacyRoundTrip() throws {
        let keystore = try KeystoreTesting.keystore()
        for format in [PKCS12Format.legacy, .legacyTripleDES] {
            let read = try Keystore(pkcs12: keystore.pkcs12Data(password: Self.password, format: format), password: Self.password)
            #expect(read == keystore)
            #expect(read.format?.keyEncryption == .tripleDESSHA1)
            #expect(read.format?.certificateEncryption == format.certificateEncryption)
            #expect(read.format?.mac == .sha1)
            #expect(read.format?.isJava8Compatible == true)
        }
    }

    @Test("a password with non-ASCII characters protects modern and legacy files alike (UTF-8 / BMPString)")
    func nonASCIIPassword() throws {
        let keystore = try KeystoreTesting.keystore()
        let password = "Pässwörd-€"
        for format in [PKCS12Format.modern, .legacy] {
            let data = try keystore.pkcs12Data(password: password, format: format)
            #expect(try Keystore(pkcs12: data, password: password) == keystore)
            let wrong = #expect(throws: SecurityError.self) { try Keystore(pkcs12: data, password: "Passwort-€") }
            #expect(wrong?.code == .keystoreWrongPassword)
        }
    }

    @Test("the encryption alias is the certificate serial in decimal")
    func decimalSerialAlias() throws {
        let authentication = KeystoreTesting.rsaIdentity.authentication
        // 0x0102030405060708090A0B0C0D0E0F10 = 1339673755198158349044581307228491536
        let serial: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10]
        let (_, certificate) = try KeystoreTesting.encryptionCertificate(for: authentication, serial: serial)
        #expect(Keystore.alias(forEncryptionCertificate: certificate) == "1339673755198158349044581307228491536")
        #expect(Keystore.alias(forSerialNumber: Certificate.SerialNumber(bytes: [0x00, 0xFF])) == "255")
    }

    @Test("keytool (Java 17) lists every alias of our modern and legacy files", arguments: ["modern", "legacy"])
    func keytoolLists(formatName: String) throws {
        try #require(KeystoreTesting.toolExists("keytool"), "keytool (Java) is not installed")
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        var keystore = try KeystoreTesting.keystore()
        // A second encryption key: adding one keeps the others.
        let (key, certificate) = try KeystoreTesting.encryptionCertificate(for: KeystoreTesting.rsaIdentity.authentication)
        try keystore.addEncryptionKey(KeystorePrivateKey(key), certificate: certificate)
        keystore.setCertificate(TestPKI.eHealthRoot.certificate, alias: "ehealth-root")
        let file = folder.appendingPathComponent("SSIN=85210123617 20250101-120000.p12")
        try keystore.write(to: file, password: Self.password, format: formatName == "legacy" ? .legacy : .modern)

        let result = try KeystoreTesting.run("keytool", ["-list", "-v", "-storetype", "PKCS12", "-keystore", file.path, "-storepass", Self.password])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Your keystore contains 4 entries"), "\(result.output)")
        for alias in keystore.aliases {
            #expect(result.output.contains("Alias name: \(alias)"), "keytool does not list \(alias): \(result.output)")
        }
        #expect(result.output.contains("Entry type: trustedCertEntry"))
        // Java built the authentication chain from the file: leaf, the eHealth issuing CA, and
        // the root it finds in the certificate entry.
        #expect(Self.chainLength(of: "authentication", in: result.output) == 3, "\(result.output)")
    }

    /// `keytool -list -v` prints "Alias name: X" then, for a key entry, "Certificate chain length: N".
    static func chainLength(of alias: String, in listing: String) -> Int? {
        guard let start = listing.range(of: "Alias name: \(alias)\n") else { return nil }
        let rest = listing[start.upperBound...]
        guard let line = rest.split(separator: "\n").first(where: { $0.hasPrefix("Certificate chain length: ") || $0.hasPrefix("Alias name: ") }),
              line.hasPrefix("Certificate chain length: ") else { return nil }
        return Int(line.dropFirst("Certificate chain length: ".count))
    }

    @Test("openssl pkcs12 reads our files: modern without -legacy, legacy with it, algorithms as asked")
    func opensslReads() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let keystore = try KeystoreTesting.keystore()
        let modern = folder.appendingPathComponent("modern.p12")
        let legacy = folder.appendingPathComponent("legacy.p12")
        try keystore.write(to: modern, password: Self.password)
        try keystore.write(to: legacy, password: Self.password, format: .legacy)
        let serialAlias = Keystore.alias(forEncryptionCertificate: KeystoreTesting.rsaIdentity.encryptionCertificate)

        let modernInfo = try KeystoreTesting.run("openssl", ["pkcs12", "-info", "-in", modern.path, "-passin", "pass:\(Self.password)", "-nodes"])
        #expect(modernInfo.status == 0, "\(modernInfo.output)")
        #expect(modernInfo.output.contains("MAC: sha256"))
        #expect(modernInfo.output.contains("PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256"), "\(modernInfo.output)")
        #expect(!modernInfo.output.contains("RC2"))
        #expect(modernInfo.output.contains("friendlyName: authentication"))
        #expect(modernInfo.output.contains("friendlyName: \(serialAlias)"))
        #expect(modernInfo.output.components(separatedBy: "BEGIN PRIVATE KEY").count - 1 == 2)

        let legacyInfo = try KeystoreTesting.run("openssl", ["pkcs12", "-legacy", "-info", "-in", legacy.path, "-passin", "pass:\(Self.password)", "-nodes"])
        #expect(legacyInfo.status == 0, "\(legacyInfo.output)")
        #expect(legacyInfo.output.contains("MAC: sha1"))
        #expect(legacyInfo.output.contains("pbeWithSHA1And40BitRC2-CBC"))
        #expect(legacyInfo.output.contains("pbeWithSHA1And3-KeyTripleDES-CBC"))
        #expect(legacyInfo.output.contains("friendlyName: authentication"))
        #expect(legacyInfo.output.contains("friendlyName: \(serialAlias)"))
    }

    @Test("writing and reading again keeps a keystore's aliases in order")
    func aliasOrder() throws {
        var keystore = Keystore()
        let identity = KeystoreTesting.rsaIdentity
        try keystore.addEncryptionKey(identity.encryptionKey, certificate: identity.encryptionCertificate)
        try keystore.setAuthenticationKey(identity.authentication)
        let read = try Keystore(pkcs12: keystore.pkcs12Data(password: "x"), password: "x")
        #expect(read.aliases == keystore.aliases)
        #expect(read.aliases.last == "authentication")
    }

    @Test("a key that does not belong to its certificate is refused")
    func mismatchedKey() throws {
        var keystore = Keystore()
        let identity = KeystoreTesting.rsaIdentity
        let error = #expect(throws: SecurityError.self) {
            try keystore.setPrivateKey(identity.encryptionKey,
                                       certificateChain: identity.authentication.certificateChain, alias: "authentication")
        }
        #expect(error?.code == .keystoreKeyMismatch)
        #expect(keystore.isEmpty)
    }
}
