import Foundation
import Sandbox
import SandboxHTTP
import Testing

/// Runs the built `ehcert` away from this machine's configuration: `XDG_CONFIG_HOME` is an
/// empty folder of its own and `EHCERT_CONFIG` is unset, so that only the configuration a test
/// writes counts. On a thread of its own, since an in-process sandbox may have to answer it.
enum EHCertIsolated {
    static let emptyConfigurationHome: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ehcert-xdg-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> EHCertExecutable.Output {
        let environment = ["NO_COLOR": "1", "EHCERT_CONFIG": "", "XDG_CONFIG_HOME": emptyConfigurationHome.path].merging(environment) { $1 }
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try EHCertExecutable.run(arguments, environment: environment) })
            }.start()
        }
    }

    static func service(_ sandbox: EmbeddedSandbox) -> [String] {
        ["--certra-url", sandbox.certRAEndpoint.absoluteString, "--etkra-url", sandbox.etkRAEndpoint.absoluteString]
    }

    static func folder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ehcert-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    static func array(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "not a JSON array: \(text)")
    }

    /// Runs a tool (openssl) and returns its exit status and output.
    static func tool(_ name: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> EHCertExecutable.Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = [name] + arguments
                    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = output
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return EHCertExecutable.Output(status: process.terminationStatus, standardOutput: String(decoding: data, as: UTF8.self), standardError: "")
                })
            }.start()
        }
    }
}
