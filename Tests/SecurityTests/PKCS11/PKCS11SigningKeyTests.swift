import Crypto
import Foundation
import Security
import Testing
import X509

/// The PKCS#11 client against SoftHSM2 tokens set up like Belgian eID cards: an RSA 2048 citizen
/// (applet 1.7) and an EC P-384 citizen (applet 1.8), certificates from the test eID CA.
@Suite("PKCS#11 signing keys on SoftHSM2 eID-like tokens", .enabled(if: SoftHSMFixture.isAvailable, SoftHSMFixture.skipReason))
struct PKCS11SigningKeyTests {
    static let message = Data("<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">…</ds:SignedInfo>".utf8)

    static var pin: PINSource { .environment(SoftHSMFixture.pinVariable) }

    @Test("the tokens look like eID cards: Authentication, Signature, CA and Root certificates; login required, no pinpad")
    func tokensLookLikeEIDCards() throws {
        let fixture = try SoftHSMFixture.get()
        let slot = try fixture.module.slot(.label(SoftHSMFixture.Token.rsa))
        let token = try #require(slot.token)
        #expect(token.isLoginRequired)
        #expect(!token.hasProtectedAuthenticationPath)
        let certificates = try fixture.module.certificates(on: .label(SoftHSMFixture.Token.rsa))
        #expect(Set(certificates.map(\.label)) == ["Authentication", "Signature", "CA", "Root"])
        #expect(certificates.first { $0.label == "Authentication" }?.certificate == fixture.rsaCitizen.authentication.certificate)
        #expect(certificates.first { $0.label == "Root" }?.certificate == TestPKI.eIDRoot.certificate)
        #expect(certificates.first { $0.label == "Authentication" }?.id == [0x02])
        #expect(fixture.module.info.manufacturer == "SoftHSM")
    }

    @Test("RSA 2048 eID keys sign with CKM_SHA256_RSA_PKCS: the signature verifies and equals the software key's",
          arguments: PKCS11SigningKey.BelgianEIDKey.allCases)
    func rsaCitizenSigns(key: PKCS11SigningKey.BelgianEIDKey) async throws {
        let fixture = try SoftHSMFixture.get()
        let software = key == .authentication ? fixture.rsaCitizen.authentication : fixture.rsaCitizen.signature
        let signer = try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.rsa), label: key.rawValue, pin: Self.pin)
        // Leaf and citizen CA; the root on the card is left out, as KeyInfo wants.
        #expect(signer.certificateChain == software.certificateChain)
        #expect(try signer.signatureAlgorithm == .rsaSHA256)
        let signature = try await signer.sign(Self.message)
        #expect(KeystoreTesting.verify(signature, over: Self.message, with: signer.certificate))
        // PKCS#1 v1.5 is deterministic: same key, same bytes.
        #expect(signature == (try software.signSynchronously(Self.message)))
        #expect(!KeystoreTesting.verify(signature, over: Self.message + Data("x".utf8), with: signer.certificate))
    }

    @Test("the CKM_RSA_PKCS fallback with a SHA-256 DigestInfo gives the same signature")
    func rsaFallbackMechanism() async throws {
        let fixture = try SoftHSMFixture.get()
        let signer = try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.rsa), label: "Authentication",
                                                     pin: Self.pin, options: .init(rsaMechanism: .rsaPKCSWithDigestInfo))
        let signature = try await signer.sign(Self.message)
        #expect(KeystoreTesting.verify(signature, over: Self.message, with: signer.certificate))
        #expect(signature == (try fixture.rsaCitizen.authentication.signSynchronously(Self.message)))
    }

    @Test("EC P-384 eID keys sign with CKM_ECDSA over SHA-384, r||s, verified with the certificate's key",
          arguments: PKCS11SigningKey.BelgianEIDKey.allCases)
    func ecCitizenSigns(key: PKCS11SigningKey.BelgianEIDKey) async throws {
        let fixture = try SoftHSMFixture.get()
        let software = key == .authentication ? fixture.ecCitizen.authentication : fixture.ecCitizen.signature
        let signer = try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.ec), label: key.rawValue, pin: Self.pin)
        #expect(signer.certificateChain == software.certificateChain)
        #expect(try signer.signatureAlgorithm == .ecdsaSHA384)
        let signature = try await signer.sign(Self.message)
        #expect(signature.count == 96)
        #expect(KeystoreTesting.verify(signature, over: Self.message, with: software.certificate))
        #expect(!KeystoreTesting.verify(signature, over: Data("other".utf8), with: software.certificate))
    }

    @Test("the PIN comes from an environment variable, read when needed; an unset variable is a specific error")
    func pinFromEnvironment() async throws {
        let fixture = try SoftHSMFixture.get()
        let token = PKCS11TokenSelector.label(SoftHSMFixture.Token.pinEnvironment)
        let unset = try await PKCS11SigningKey.open(module: fixture.module, token: token, label: "Authentication",
                                                    pin: .environment("EHEALTH_TEST_VARIABLE_THAT_IS_NOT_SET"))
        let error = await #expect(throws: SecurityError.self) { try await unset.sign(Self.message) }
        #expect(error?.code == .pkcs11PINUnavailable)
        #expect(error?.reason.contains("EHEALTH_TEST_VARIABLE_THAT_IS_NOT_SET") == true)

        let signer = try await PKCS11SigningKey.open(module: fixture.module, token: token, label: "Authentication",
                                                     pin: .environment(SoftHSMFixture.pinVariable))
        let signature = try await signer.sign(Self.message)
        #expect(KeystoreTesting.verify(signature, over: Self.message, with: fixture.ecCitizen.authentication.certificate))
    }

    @Test("the PIN comes from a callback, asked once per login with the token and key named")
    func pinFromCallback() async throws {
        let fixture = try SoftHSMFixture.get()
        let log = PKCS11TestLog<PINSource.Request>()
        let signer = try await PKCS11SigningKey.open(
            module: fixture.module, token: .label(SoftHSMFixture.Token.pinCallback), label: "Signature",
            pin: .callback { request in
                log.record(request)
                return SoftHSMFixture.pin
            })
        #expect(log.all.isEmpty, "opening a key must not ask for the PIN")
        for _ in 0..<3 {
            let signature = try await signer.sign(Self.message)
            #expect(KeystoreTesting.verify(signature, over: Self.message, with: fixture.ecCitizen.signature.certificate))
        }
        #expect(log.all.count == 1)
        let request = try #require(log.all.first)
        #expect(request.tokenLabel == SoftHSMFixture.Token.pinCallback)
        #expect(request.keyLabel == "Signature")
        #expect(request.purpose == .login)
        #expect(request.message.contains(SoftHSMFixture.Token.pinCallback))
    }

    /// Issue 13: sessions were closed without C_Logout, and a token stays logged in while the
    /// application has another session on it. Closing a key logs the token out: another key of
    /// the application then needs the PIN again.
    @Test("closing a key logs the token out: the application's other sessions need the PIN again")
    func closeLogsOut() async throws {
        let fixture = try SoftHSMFixture.get()
        let log = PKCS11TestLog<PINSource.Request>()
        let pin = PINSource.callback { request in
            log.record(request)
            return SoftHSMFixture.pin
        }
        let first = try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.logout),
                                                    label: "Authentication", pin: pin)
        let second = try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.logout),
                                                     label: "Authentication", pin: pin)
        _ = try await first.sign(Self.message)
        _ = try await second.sign(Self.message)
        #expect(log.all.count == 1, "one login serves every session of the application")
        await first.close()
        // Logged out, the token hides its private keys from every session (PKCS#11 2.40, 4.4):
        // the second key logs in again, and its first attempt may find its key handle gone
        // (reported as a changed token; the next signature reopens the session). What it must
        // not do is sign without the PIN.
        let signature: Data
        do {
            signature = try await second.sign(Self.message)
        } catch let error as SecurityError where error.code == .pkcs11TokenRemoved {
            signature = try await second.sign(Self.message)
        }
        #expect(KeystoreTesting.verify(signature, over: Self.message, with: fixture.ecCitizen.authentication.certificate))
        #expect(log.all.count > 1, "signed after close without asking for the PIN: the token was not logged out")
        await second.close()
    }

    @Test("a wrong PIN gives PKCS11_PIN_INCORRECT without a silent retry; the right one then works")
    func wrongPIN() async throws {
        let fixture = try SoftHSMFixture.get()
        let log = PKCS11TestLog<PINSource.Request>()
        let token = PKCS11TokenSelector.label(SoftHSMFixture.Token.wrongPIN)
        let wrong = try await PKCS11SigningKey.open(module: fixture.module, token: token, label: "Authentication",
                                                    pin: .callback { request in log.record(request); return "0000" })
        let error = await #expect(throws: SecurityError.self) { try await wrong.sign(Self.message) }
        #expect(error?.code == .pkcs11PINIncorrect)
        #expect(log.all.count == 1, "a wrong PIN must not be tried again by itself")

        let prompted = PKCS11TestLog<String>()
        let right = try await PKCS11SigningKey.open(module: fixture.module, token: token, label: "Authentication",
                                                    pin: .prompt { message in
                                                        prompted.record(message)
                                                        return SoftHSMFixture.pin
                                                    })
        let signature = try await right.sign(Self.message)
        #expect(KeystoreTesting.verify(signature, over: Self.message, with: fixture.ecCitizen.authentication.certificate))
        #expect(prompted.all.count == 1)
        #expect(prompted.all.first?.hasPrefix("Enter the PIN of \(SoftHSMFixture.Token.wrongPIN)") == true)
    }

    @Test("a key marked CKA_ALWAYS_AUTHENTICATE asks for the PIN at every signature (context-specific login)")
    func alwaysAuthenticate() async throws {
        let fixture = try SoftHSMFixture.get()
        let log = PKCS11TestLog<PINSource.Request>()
        let signer = try await PKCS11SigningKey.open(
            module: fixture.module, token: .label(SoftHSMFixture.Token.alwaysAuthenticate), label: "Signature",
            pin: .callback { request in log.record(request); return SoftHSMFixture.pin })
        for _ in 0..<2 {
            let signature = try await signer.sign(Self.message)
            #expect(KeystoreTesting.verify(signature, over: Self.message, with: fixture.rsaCitizen.signature.certificate))
        }
        #expect(log.all.map(\.purpose) == [.login, .signature, .signature])
    }

    @Test("token removed: PKCS11_TOKEN_REMOVED; another card: PKCS11_DIFFERENT_TOKEN; the card back: signing works again")
    func tokenRemovedAndReinserted() async throws {
        let fixture = try SoftHSMFixture.get()
        let label = SoftHSMFixture.Token.removal
        let signer = try await PKCS11SigningKey.open(module: fixture.module, token: .label(label), label: "Authentication", pin: Self.pin)
        let before = try await signer.sign(Self.message)
        #expect(KeystoreTesting.verify(before, over: Self.message, with: fixture.rsaCitizen.authentication.certificate))

        // The card goes away (the token is re-initialised by another process: its objects vanish).
        try fixture.wipe(label)
        let removed = await #expect(throws: SecurityError.self) { try await signer.sign(Self.message) }
        #expect(removed?.code == .pkcs11TokenRemoved)
        // The next call opens a new session and finds no such card.
        let empty = await #expect(throws: SecurityError.self) { try await signer.sign(Self.message) }
        #expect(empty?.code == .pkcs11DifferentToken)

        // Somebody else's card in the reader is never used in its place.
        try fixture.load(fixture.ecCitizen, into: label, reset: true)
        let other = await #expect(throws: SecurityError.self) { try await signer.sign(Self.message) }
        #expect(other?.code == .pkcs11DifferentToken)

        // The card is back: the same key object signs again, without restarting anything.
        try fixture.load(fixture.rsaCitizen, into: label, asPKCS12: true, reset: true)
        let after = try await signer.sign(Self.message)
        #expect(KeystoreTesting.verify(after, over: Self.message, with: fixture.rsaCitizen.authentication.certificate))
        #expect(after == before)
    }

    @Test("signatures requested concurrently are serialised on the session and all verify")
    func concurrentSignatures() async throws {
        let fixture = try SoftHSMFixture.get()
        let signer = try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.concurrent), label: "Authentication", pin: Self.pin)
        let certificate = fixture.ecCitizen.authentication.certificate
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<12 {
                group.addTask {
                    let message = Data("message \(index)".utf8)
                    return KeystoreTesting.verify(try await signer.sign(message), over: message, with: certificate)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 12 && results.allSatisfy { $0 })
    }

    @Test("missing token, missing label, the eID Card key and a bad module give specific errors")
    func specificErrors() async throws {
        let fixture = try SoftHSMFixture.get()
        let absent = await #expect(throws: SecurityError.self) {
            try await PKCS11SigningKey.open(module: fixture.module, token: .label("NO SUCH CARD"), label: "Authentication", pin: Self.pin)
        }
        #expect(absent?.code == .pkcs11TokenNotPresent)
        let unlabelled = await #expect(throws: SecurityError.self) {
            try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.rsa), label: "Encryption", pin: Self.pin)
        }
        #expect(unlabelled?.code == .pkcs11CertificateNotFound)
        let card = await #expect(throws: SecurityError.self) {
            try await PKCS11SigningKey.open(module: fixture.module, token: .label(SoftHSMFixture.Token.rsa), label: "Card", pin: Self.pin)
        }
        #expect(card?.code == .unsupportedKey)
        let missingModule = #expect(throws: SecurityError.self) { try PKCS11Module.load(path: "/nonexistent/libbeidpkcs11.so") }
        #expect(missingModule?.code == .pkcs11ModuleUnavailable)
        if let notPKCS11 = ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1"].first(where: { FileManager.default.fileExists(atPath: $0) }) {
            let wrongLibrary = #expect(throws: SecurityError.self) { try PKCS11Module.load(path: notPKCS11) }
            #expect(wrongLibrary?.code == .pkcs11ModuleUnavailable)
        }
        // The same module loaded twice is one module (one C_Initialize a process).
        #expect(try PKCS11Module.load(path: SoftHSMFixture.modulePath) === fixture.module)
    }
}
