import CertManagerKit
import Foundation
import Security
import Testing
import X509

/// The flows with the citizen's eID keys in a SoftHSM2 token through PKCS#11, as with a Belgian
/// eID card in a reader: the Authentication key signs getActorQualities, the Signature key signs
/// generateCertificate (cookbook 4.3.1), each time on the token.
///
/// The built `ehcert` runs them (`--eid-pkcs11`, `--eid-token`, `--eid-pin-env`) against an
/// `ehcert-sandbox serve` process: only these child processes load the SoftHSM2 module, with
/// SOFTHSM2_CONF in their own environment (see ``SoftHSMEIDTokens``).
@Suite("Create and renew with eID keys in a SoftHSM2 token (PKCS#11, ehcert)", .serialized,
       .enabled(if: SoftHSMEIDTokens.isAvailable, SoftHSMEIDTokens.skipReason))
struct PKCS11EIDFlowTests {
    typealias Token = SoftHSMEIDTokens.Token

    @Test("RSA eID (85073003328): create signs on the token, then a renewal 1040 days later by the sandbox's clock")
    func rsaCreateAndRenew() async throws {
        var sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let trace = folders.root.appendingPathComponent("create-trace")
        let created = try await Self.ehcert(Self.createArguments(folders, sandbox, token: Token.dupont) + ["--json", "--trace-dir", trace.path])
        #expect(created.status == 0, "\(created.standardOutput) \(created.standardError)")
        let outcome = try EndToEnd.object(created.standardOutput)
        let distinguishedName = try #require(outcome["distinguishedName"] as? String)
        #expect(distinguishedName.contains("SSIN\\=85073003328"))
        let keystoreFile = try #require(outcome["keystoreFile"] as? String)
        let originalAlias = try #require(outcome["encryptionKeyAlias"] as? String)
        let keystore = try Self.checkKeystore(outcome, sandbox: sandbox)
        #expect(keystore.encryptionAliases == [originalAlias])
        try await Self.expectValid(keystoreFile, etkStatus: "VALID_ACTIVE", sandbox: sandbox)
        // The token's keys signed: Authentication for the qualities, Signature for the request.
        try await Self.expectSigned("getActorQualities", in: trace, by: .dupont, keyLabel: "Authentication", algorithm: .rsaSHA256)
        try await Self.expectSigned("generateCertificate", in: trace, by: .dupont, keyLabel: "Signature", algorithm: .rsaSHA256)

        // Years later, by the sandbox's clock: inside the last 90 days of the certificate.
        sandbox = try await sandbox.restarted(clockOffsetDays: 1040)
        let renewTrace = folders.root.appendingPathComponent("renew-trace")
        let renewed = try await Self.ehcert(["renew", keystoreFile, "--accept-contract", "--json", "--trace-dir", renewTrace.path]
                                            + folders.flowOptions + SoftHSMEIDTokens.eIDOptions(Token.dupont) + sandbox.serviceArguments)
        #expect(renewed.status == 0, "\(renewed.standardOutput) \(renewed.standardError)")
        let renewal = try EndToEnd.object(renewed.standardOutput)
        #expect(try EHealthDistinguishedName(try #require(renewal["distinguishedName"] as? String)) == EHealthDistinguishedName(distinguishedName))
        let original = try #require(keystore[Keystore.authenticationAlias]?.certificateChain.first)
        #expect(renewal["replacesCertificate"] as? String == (try PublicKeyIdentifier(certificate: original)).hex)
        #expect(renewal["keptEncryptionKeyAliases"] as? [String] == [originalAlias])
        let newAlias = try #require(renewal["encryptionKeyAlias"] as? String)
        #expect(newAlias != originalAlias)
        try await Self.expectSigned("generateCertificate", in: renewTrace, by: .dupont, keyLabel: "Signature", algorithm: .rsaSHA256)
        // The new keystore keeps the old encryption key, so that older messages stay readable.
        let newKeystore = try Self.checkKeystore(renewal, sandbox: sandbox)
        #expect(Set(newKeystore.encryptionAliases) == [originalAlias, newAlias])
        #expect(newKeystore[originalAlias]?.privateKey == keystore[originalAlias]?.privateKey)
        let renewedFile = try #require(renewal["keystoreFile"] as? String)
        #expect(renewedFile != keystoreFile)
        try await Self.expectValid(renewedFile, etkStatus: "WAIT_FOR_ACTIVATION", sandbox: sandbox)
    }

    @Test("EC P-384 eID (77041228431, applet 1.8): the token signs with ECDSA-SHA384 and the flow ends with a keystore and ETK")
    func ecCreate() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let created = try await Self.ehcert(Self.createArguments(folders, sandbox, token: Token.peeters)
                                            + ["--json", "--trace-dir", folders.trace.path])
        #expect(created.status == 0, "\(created.standardOutput) \(created.standardError)")
        let outcome = try EndToEnd.object(created.standardOutput)
        #expect((outcome["distinguishedName"] as? String)?.contains("SSIN\\=77041228431") == true)
        _ = try Self.checkKeystore(outcome, sandbox: sandbox)
        try await Self.expectValid(try #require(outcome["keystoreFile"] as? String), etkStatus: "VALID_ACTIVE", sandbox: sandbox)
        try await Self.expectSigned("getActorQualities", in: folders.trace, by: .peeters, keyLabel: "Authentication", algorithm: .ecdsaSHA384)
        try await Self.expectSigned("generateCertificate", in: folders.trace, by: .peeters, keyLabel: "Signature", algorithm: .ecdsaSHA384)
    }

    @Test("a wrong PIN: exit 5 with PKCS11_PIN_INCORRECT, and nothing sent that needed a signature")
    func wrongPIN() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let run = try await Self.ehcert(Self.createArguments(folders, sandbox, token: Token.wrongPIN) + ["--trace-dir", folders.trace.path],
                                        pin: "9999")
        // 5: configuration (trust roots, eID, password), ehcert --help's exit codes.
        #expect(run.status == 5, "\(run.standardOutput) \(run.standardError)")
        #expect(run.standardError.contains("PKCS11_PIN_INCORRECT"), "\(run.standardError)")
        #expect(run.standardError.contains("\n  → ") && run.standardError.contains("PIN"))
        #expect(!run.standardOutput.contains("9999") && !run.standardError.contains("9999"))
        // Neither signed request left: the qualities need the Authentication key, the request the Signature key.
        let trace = (try? FileManager.default.contentsOfDirectory(atPath: folders.trace.path)) ?? []
        #expect(!trace.contains { $0.hasSuffix("-getActorQualities-request.xml") }, "\(trace)")
        #expect(!trace.contains { $0.hasSuffix("-generateCertificate-request.xml") }, "\(trace)")
        // The sandbox holds no certificate request.
        #expect(try SandboxStateDatabase(directory: sandbox.state).certificateCount == 0)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folders.keystores)) ?? []).isEmpty)
    }

    // MARK: - ehcert with the tokens

    /// ehcert with the test secrets, SOFTHSM2_CONF of the tokens and the PIN, in its environment only.
    static func ehcert(_ arguments: [String], pin: String = SoftHSMEIDTokens.pin) async throws -> EHCertExecutable.Output {
        let environment = EndToEnd.environment.merging(try await SoftHSMEIDTokens.shared.environment(pin: pin)) { $1 }
        return try await EHCertExecutable.runOnOwnThread(arguments, environment: environment)
    }

    /// `ehcert create` for the citizen whose eID is the token labelled `token`, contract accepted beforehand.
    static func createArguments(_ folders: EndToEnd, _ sandbox: SandboxProcess, token: String) -> [String] {
        ["create", "--email", "e2e@example.be", "--phone", "+3220000000", "--keystore-dir", folders.keystores, "--accept-contract"]
            + folders.flowOptions + SoftHSMEIDTokens.eIDOptions(token) + sandbox.serviceArguments
    }

    /// The keystore of a create or renew outcome: its authentication chain ends at the sandbox's
    /// eHealth root with the outcome's DN, and it holds the private key of the outcome's ETK.
    static func checkKeystore(_ outcome: [String: Any], sandbox: SandboxProcess) throws -> Keystore {
        let file = try #require(outcome["keystoreFile"] as? String)
        let keystore = try Keystore(contentsOf: URL(fileURLWithPath: file), password: EndToEnd.keystorePassword)
        let chain = try #require(keystore[Keystore.authenticationAlias]).certificateChain
        let leaf = try #require(chain.first)
        #expect(try EHealthDistinguishedName(leaf.subject) == EHealthDistinguishedName(try #require(outcome["distinguishedName"] as? String)))
        let root = try Certificate(pemEncoded: String(contentsOf: sandbox.state.appendingPathComponent("trust/ehealth-root.pem"), encoding: .utf8))
        // Every certificate is signed by the next; the last by the root from the trust folder.
        for (certificate, issuer) in zip(chain, chain.dropFirst()) {
            #expect(certificate.issuer == issuer.subject)
            #expect(issuer.publicKey.isValidSignature(certificate.signature, for: certificate))
        }
        let top = try #require(chain.last)
        #expect(top.issuer == root.subject)
        #expect(root.publicKey.isValidSignature(top.signature, for: top))
        _ = try keystore.authenticationKey()

        let alias = try #require(outcome["encryptionKeyAlias"] as? String)
        let etk = try ETK(derEncoded: Data(contentsOf: URL(fileURLWithPath: try #require(outcome["etkFile"] as? String))))
        #expect(Keystore.alias(forEncryptionCertificate: etk.encryptionCertificate.certificate) == alias)
        let key = try #require(keystore[alias]?.privateKey)
        #expect(key.belongs(to: etk.encryptionCertificate.certificate))
        #expect(etk.hasEncryptionKey(try key.rsaEncryptionKey()))
        #expect(etk.authenticationCertificate == leaf)
        return keystore
    }

    /// `ehcert status`: the platform has the certificate VALID_ACTIVE and its ETK in `etkStatus`.
    static func expectValid(_ keystore: String, etkStatus: String, sandbox: SandboxProcess) async throws {
        let run = try await EndToEnd.ehcert(["status", keystore, "--json", "--password-env", EndToEnd.keystorePasswordVariable] + sandbox.serviceArguments)
        #expect(run.status == 0, "\(run.standardError)")
        let status = try EndToEnd.object(run.standardOutput)
        #expect(status["status"] as? String == "VALID_ACTIVE")
        #expect(status["etkStatus"] as? String == etkStatus)
    }

    /// The trace's `operation` request is signed with `algorithm`, by the certificate of the
    /// token's key `keyLabel` (the citizen's eID, which the token holds).
    static func expectSigned(_ operation: String, in trace: URL, by citizen: SandboxProcess.Citizen, keyLabel: String,
                             algorithm: SignatureAlgorithm) async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: trace.path)
        let name = try #require(files.sorted().first { $0.hasSuffix("-\(operation)-request.xml") }, "no \(operation) request in \(files)")
        let request = try String(contentsOf: trace.appendingPathComponent(name), encoding: .utf8)
        let methods = request.matches(of: #/<(?:[\w.-]+:)?SignatureMethod\s+Algorithm="([^"]+)"/#).map { String($0.1) }
        #expect(methods == [algorithm.uri], "\(operation)")
        // KeyInfo/X509Data: the signer's certificate first (cookbook 4.3.2).
        let signers = try request.matches(of: #/<(?:[\w.-]+:)?X509Data[^>]*>\s*<(?:[\w.-]+:)?X509Certificate[^>]*>([^<]+)</#).map {
            try Certificate(derEncoded: Array(try #require(Data(base64Encoded: String($0.1), options: .ignoreUnknownCharacters))))
        }
        #expect(signers == [try await SoftHSMEIDTokens.certificate(citizen, keyLabel: keyLabel)], "\(operation)")
    }
}
