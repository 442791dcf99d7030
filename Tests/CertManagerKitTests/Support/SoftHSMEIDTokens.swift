import Foundation
import Security
import Testing
import X509

/// The sandbox citizens' eID keys in SoftHSM2 tokens laid out like Belgian eID cards (keys and
/// certificates `Authentication` and `Signature`, by `scripts/softhsm-load-citizen.sh`), in a
/// token store of their own, never the system's.
///
/// Only child processes (`ehcert`) load the SoftHSM2 module, with SOFTHSM2_CONF in their own
/// environment: SoftHSM2 reads SOFTHSM2_CONF and scans its tokens once, at a process's first
/// C_Initialize, and all test targets share one process on Linux, where SecurityTests' PKCS#11
/// suites use a token store of their own. Nothing here loads the module or sets an environment
/// variable in the test process.
actor SoftHSMEIDTokens {
    static let modulePath = "/usr/lib/softhsm/libsofthsm2.so"
    static let pin = "1234"
    static let soPIN = "12345678"
    /// The variable the eID PIN travels in to ehcert (`--eid-pin-env`).
    static let pinVariable = "EHCERT_E2E_EID_PIN"
    static let skipReason: Comment = "SoftHSM2 (/usr/lib/softhsm/libsofthsm2.so, softhsm2-util), OpenSC's pkcs11-tool, or ehcert and ehcert-sandbox (swift build --build-tests) are missing: apt-get install -y softhsm2 opensc"

    static var isAvailable: Bool {
        SandboxProcess.available
            && FileManager.default.fileExists(atPath: modulePath)
            && ["/usr/bin/softhsm2-util", "/usr/bin/pkcs11-tool"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Token labels: each is a separate card, so that a wrong PIN on one never touches another's login.
    enum Token {
        static let dupont = "BELPIC DUPONT"
        static let peeters = "BELPIC PEETERS"
        static let wrongPIN = "BELPIC WRONG PIN"
    }

    /// The key labels of a Belgian eID card, as the script loads them.
    static let keyLabels = ["Authentication", "Signature"]

    static let shared = SoftHSMEIDTokens()
    private var made: Task<URL, any Error>?

    /// The token store's `softhsm2.conf`, with every token loaded (once per test run), for a
    /// child's SOFTHSM2_CONF. The tokens hold the eIDs of `WorldTemplate`'s citizens, which every
    /// `SandboxProcess` serves a copy of.
    func configuration() async throws -> URL {
        let task = made ?? Task { try await Self.make() }
        made = task
        return try await task.value
    }

    /// The environment of an ehcert that uses these tokens: SOFTHSM2_CONF and the PIN.
    func environment(pin: String = SoftHSMEIDTokens.pin) async throws -> [String: String] {
        ["SOFTHSM2_CONF": try await configuration().path, Self.pinVariable: pin]
    }

    /// `--eid-pkcs11 MODULE --eid-token LABEL --eid-pin-env VAR`.
    static func eIDOptions(_ label: String) -> [String] {
        ["--eid-pkcs11", modulePath, "--eid-token", label, "--eid-pin-env", pinVariable]
    }

    /// The certificate of the key labelled `keyLabel` in a citizen's software eID, which the
    /// token holds too.
    static func certificate(_ citizen: SandboxProcess.Citizen, keyLabel: String) async throws -> Certificate {
        let eID = try Keystore(contentsOf: try await eIDFile(citizen), password: EndToEnd.eIDPassword)
        return try #require(eID[keyLabel]?.certificateChain.first, "the eID of \(citizen.rawValue) holds no \(keyLabel) certificate")
    }

    private static func eIDFile(_ citizen: SandboxProcess.Citizen) async throws -> URL {
        try await WorldTemplate.shared.directory().appendingPathComponent("citizens/\(citizen.rawValue)/eid.p12")
    }

    private static func make() async throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmk-softhsm-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await load(.dupont, into: Token.dupont, folder: folder)
        try await load(.peeters, into: Token.peeters, folder: folder)
        try await load(.dupont, into: Token.wrongPIN, folder: folder)
        return folder.appendingPathComponent("softhsm2.conf")
    }

    /// The script takes one PKCS#12 file a key, as the eID middleware's export would give; the
    /// citizen's software eID holds both, so it is split first.
    private static func load(_ citizen: SandboxProcess.Citizen, into label: String, folder: URL) async throws {
        let password = EndToEnd.eIDPassword
        let file = try await eIDFile(citizen)
        let eID = try Keystore(contentsOf: file, password: password)
        let inputs = folder.appendingPathComponent("inputs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: inputs) }
        var arguments = [script.path, "--dir", folder.path, "--label", label]
        for keyLabel in keyLabels {
            let entry = try #require(eID[keyLabel], "\(file.path) holds no \(keyLabel) key")
            var single = Keystore()
            try single.setPrivateKey(try #require(entry.privateKey), certificateChain: entry.certificateChain, alias: keyLabel)
            let input = inputs.appendingPathComponent("\(keyLabel).p12")
            try single.write(to: input, password: password)
            arguments += ["--\(keyLabel.lowercased())-p12", input.path]
        }
        // The script's own child processes only: SOFTHSM2_CONF is set for them, not here.
        let result = try await EHCertIsolated.tool("bash", arguments, environment: [
            "SOFTHSM2_CONF": folder.appendingPathComponent("softhsm2.conf").path,
            "SOFTHSM_USER_PIN": pin, "SOFTHSM_SO_PIN": soPIN, "P12_PASSWORD": password, "SOFTHSM_MODULE": modulePath,
        ])
        try #require(result.status == 0, "softhsm-load-citizen.sh failed for \(label): \(result.standardOutput)")
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/softhsm-load-citizen.sh")
}
