import Foundation
import Testing

/// What the end-to-end tests share: one test's folders, secrets passed the documented ways
/// (environment variables, files; never arguments), ehcert runs, and their JSON.
struct EndToEnd {
    /// The variables the secrets travel in.
    static let keystorePasswordVariable = "EHCERT_E2E_KEYSTORE_PASSWORD"
    static let eIDPasswordVariable = "EHCERT_E2E_EID_PASSWORD"
    static let keystorePassword = "e2e keystore password"
    /// The password of the sandbox's software eIDs (`ehcert-sandbox init --help`).
    static let eIDPassword = "sandbox"

    /// The secrets, and no configuration file of this machine's (an empty XDG_CONFIG_HOME).
    static let environment = [keystorePasswordVariable: keystorePassword, eIDPasswordVariable: eIDPassword]
        .merging(noConfiguration) { $1 }

    static let noConfiguration: [String: String] = {
        let folder = EHCertCommandTests.temporaryFolder().appendingPathComponent("config-home")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return ["EHCERT_CONFIG": "", "XDG_CONFIG_HOME": folder.path]
    }()

    let root: URL
    var work: String { root.appendingPathComponent("work").path }
    var keystores: String { root.appendingPathComponent("keystores").path }
    var trace: URL { root.appendingPathComponent("trace") }

    init() throws {
        root = EHCertCommandTests.temporaryFolder()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// `--workdir`, `--keystore-dir`-free flow options and the keystore password from the environment.
    var flowOptions: [String] { ["--workdir", work, "--password-env", Self.keystorePasswordVariable] }

    static func eIDOptions(_ sandbox: SandboxProcess, _ citizen: SandboxProcess.Citizen) -> [String] {
        ["--eid-p12", sandbox.eID(citizen).path, "--eid-pin-env", eIDPasswordVariable]
    }

    /// `ehcert create` for a citizen's own certificate, contract accepted beforehand.
    func createArguments(_ sandbox: SandboxProcess, _ citizen: SandboxProcess.Citizen, organization: [String] = []) -> [String] {
        ["create", "--email", "e2e@example.be", "--phone", "+3220000000", "--keystore-dir", keystores, "--accept-contract"]
            + organization + flowOptions + Self.eIDOptions(sandbox, citizen) + sandbox.serviceArguments
    }

    static func ehcert(_ arguments: [String]) async throws -> EHCertExecutable.Output {
        try await EHCertExecutable.runOnOwnThread(arguments, environment: environment)
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    static func array(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "not a JSON array: \(text)")
    }

    /// The flow id of the "Flow ID (…); resume it with …" line.
    static func flowID(in text: String) -> String? {
        guard let range = text.range(of: #"ehcert resume [0-9]{8}-[0-9]{6}-[0-9a-f]{4}"#, options: .regularExpression) else { return nil }
        return String(text[range].dropFirst("ehcert resume ".count))
    }

    /// `openssl` with the keystore password in the environment (`-passin env:VAR`).
    static func openssl(_ arguments: [String]) async throws -> EHCertExecutable.Output {
        try await OwnThread.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let output = Pipe()
            let error = Pipe()
            process.standardOutput = output
            process.standardError = error
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let errorData = EHCertExecutable.LockedData()
            let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
            reader.start()
            let outputData = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            while !errorData.isSet { Thread.sleep(forTimeInterval: 0.01) }
            return EHCertExecutable.Output(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                                           standardError: String(decoding: errorData.value, as: UTF8.self))
        }
    }
}
