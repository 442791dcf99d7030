import Foundation
import Security
import Testing
import X509
#if canImport(Glibc)
import Glibc
#endif

/// One SoftHSM2 token store for the whole test process, in a private folder (never the system's
/// token store), with tokens laid out like Belgian eID cards by `scripts/softhsm-load-citizen.sh`.
///
/// SoftHSM2 reads its configuration and its list of tokens once, at C_Initialize, and PKCS#11
/// allows one C_Initialize per process: every token the tests use is therefore created before the
/// module is loaded, one token per test that depends on login state (login is per token).
final class SoftHSMFixture: Sendable {
    static let modulePath = PKCS11Module.softHSM2ModulePath
    static let skipReason: Comment = "SoftHSM2's module /usr/lib/softhsm/libsofthsm2.so (or softhsm2-util, pkcs11-tool) is missing: apt-get install -y softhsm2 opensc"

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: modulePath)
            && KeystoreTesting.toolExists("softhsm2-util") && KeystoreTesting.toolExists("pkcs11-tool")
    }

    /// Token labels; each is a separate "card".
    enum Token {
        static let rsa = "BELPIC RSA"
        static let ec = "BELPIC EC"
        static let pinEnvironment = "BELPIC PIN ENV"
        static let pinCallback = "BELPIC PIN CALLBACK"
        static let wrongPIN = "BELPIC WRONG PIN"
        static let removal = "BELPIC REMOVAL"
        static let alwaysAuthenticate = "BELPIC ALWAYS AUTH"
        static let concurrent = "BELPIC CONCURRENT"
        /// For the logout test alone: the login state of a token is shared by all the process' sessions on it.
        static let logout = "BELPIC LOGOUT"
    }

    static let pin = "1234"
    static let soPIN = "12345678"
    /// The variable the environment-PIN test reads; set once, before any test thread reads it.
    static let pinVariable = "EHEALTH_TEST_SOFTHSM_PIN"

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/softhsm-load-citizen.sh")

    static let shared: Result<SoftHSMFixture, any Error> = Result { try SoftHSMFixture() }

    static func get() throws -> SoftHSMFixture {
        try shared.get()
    }

    let folder: URL
    let module: PKCS11Module
    let rsaCitizen: TestPKI.Citizen
    let ecCitizen: TestPKI.Citizen

    private init() throws {
        folder = try KeystoreTesting.scratchFolder("softhsm")
        rsaCitizen = try TestPKI.citizen(ssin: "85210123617", surname: "DUPONT", givenName: "Jean", keys: .rsa2048)
        ecCitizen = try TestPKI.citizen(ssin: "93051822361", surname: "PEETERS", givenName: "An", keys: .p384)

        let folder = self.folder
        func load(_ citizen: TestPKI.Citizen, into label: String, asPKCS12: Bool = false, alwaysAuthenticate: Bool = false) throws {
            try Self.load(citizen, into: label, folder: folder, asPKCS12: asPKCS12, alwaysAuthenticate: alwaysAuthenticate, reset: false)
        }
        try load(rsaCitizen, into: Token.rsa, asPKCS12: true)
        try load(ecCitizen, into: Token.ec)
        try load(ecCitizen, into: Token.pinEnvironment)
        try load(ecCitizen, into: Token.pinCallback)
        try load(ecCitizen, into: Token.wrongPIN)
        try load(rsaCitizen, into: Token.removal, asPKCS12: true)
        try load(rsaCitizen, into: Token.alwaysAuthenticate, alwaysAuthenticate: true)
        try load(ecCitizen, into: Token.concurrent)
        try load(ecCitizen, into: Token.logout)

        // The token store lives as long as the test process.
        atexit { if case .success(let fixture) = SoftHSMFixture.shared { KeystoreTesting.remove(fixture.folder) } }
        setenv("SOFTHSM2_CONF", folder.appendingPathComponent("softhsm2.conf").path, 1)
        setenv(Self.pinVariable, Self.pin, 1)
        module = try PKCS11Module.load(path: Self.modulePath)
    }

    var environment: [String: String] { Self.environment(folder) }

    static func environment(_ folder: URL) -> [String: String] {
        ["SOFTHSM2_CONF": folder.appendingPathComponent("softhsm2.conf").path,
         "SOFTHSM_USER_PIN": pin, "SOFTHSM_SO_PIN": soPIN]
    }

    /// Loads a citizen's keys into a token with the script: from PKCS#12 files we write (modern
    /// AES), or from PEM files. `reset` re-initialises an existing token first (another card).
    func load(_ citizen: TestPKI.Citizen, into label: String, asPKCS12: Bool = false,
              alwaysAuthenticate: Bool = false, reset: Bool = false) throws {
        try Self.load(citizen, into: label, folder: folder, asPKCS12: asPKCS12, alwaysAuthenticate: alwaysAuthenticate, reset: reset)
    }

    private static func load(_ citizen: TestPKI.Citizen, into label: String, folder: URL, asPKCS12: Bool,
                             alwaysAuthenticate: Bool, reset: Bool) throws {
        let inputs = folder.appendingPathComponent("inputs-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        defer { KeystoreTesting.remove(inputs) }
        var arguments = ["--dir", folder.path, "--label", label]
        var environment = Self.environment(folder)
        if asPKCS12 {
            for (role, key) in [("authentication", citizen.authentication), ("signature", citizen.signature)] {
                var keystore = Keystore()
                try keystore.setPrivateKey(KeystorePrivateKey(key.key), certificateChain: key.certificateChain + [TestPKI.eIDRoot.certificate], alias: role)
                let file = inputs.appendingPathComponent("\(role).p12")
                try keystore.write(to: file, password: "p12-password")
                arguments += ["--\(role)-p12", file.path]
            }
            environment["P12_PASSWORD"] = "p12-password"
        } else {
            for (role, key) in [("authentication", citizen.authentication), ("signature", citizen.signature)] {
                let keyFile = inputs.appendingPathComponent("\(role).key")
                let certificateFile = inputs.appendingPathComponent("\(role).crt")
                let pem: String
                switch key.key {
                case .rsa(let rsa): pem = rsa.pkcs8PEMRepresentation
                case .p384(let ec): pem = ec.pemRepresentation
                case .p256(let ec): pem = ec.pemRepresentation
                }
                try pem.write(to: keyFile, atomically: true, encoding: .utf8)
                try KeystoreTesting.pem([key.certificate]).write(to: certificateFile, atomically: true, encoding: .utf8)
                arguments += ["--\(role)-key", keyFile.path, "--\(role)-cert", certificateFile.path]
            }
            let ca = inputs.appendingPathComponent("ca.crt")
            let root = inputs.appendingPathComponent("root.crt")
            try KeystoreTesting.pem([TestPKI.citizenCA.certificate]).write(to: ca, atomically: true, encoding: .utf8)
            try KeystoreTesting.pem([TestPKI.eIDRoot.certificate]).write(to: root, atomically: true, encoding: .utf8)
            arguments += ["--ca", ca.path, "--root", root.path]
        }
        if alwaysAuthenticate { arguments.append("--signature-always-authenticate") }
        if reset { arguments.append("--reset") }
        let result = try KeystoreTesting.run(script.path, arguments, environment: environment)
        guard result.status == 0 else {
            throw SecurityError(.pkcs11Failed, "softhsm-load-citizen.sh failed (\(result.status)): \(result.output)")
        }
    }

    /// Re-initialises a token, leaving it empty: to the process holding a session, the card it
    /// knew is gone (SoftHSM2 then reports the objects' handles as invalid).
    func wipe(_ label: String) throws {
        let result = try KeystoreTesting.run("softhsm2-util", ["--init-token", "--token", label, "--label", label,
                                                               "--so-pin", Self.soPIN, "--pin", Self.pin], environment: environment)
        guard result.status == 0 else {
            throw SecurityError(.pkcs11Failed, "softhsm2-util --init-token failed: \(result.output)")
        }
    }
}

/// Records what a PIN source is asked, from the key's queue.
final class PKCS11TestLog<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func record(_ element: Element) {
        lock.withLock { elements.append(element) }
    }

    var all: [Element] { lock.withLock { elements } }
}
