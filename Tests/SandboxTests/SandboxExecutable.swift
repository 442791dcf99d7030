import Foundation
import Synchronization
import Testing

/// The `ehcert-sandbox` executable built next to the test bundle, run as a child process.
enum SandboxExecutable {
    /// Next to the test bundle (whatever the scratch path), else the sandbox tests' usual one.
    static let url: URL? = {
        let packageRoot = OfficialSchemas.repositoryRoot
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("ehcert-sandbox"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ehcert-sandbox"),
            packageRoot.appendingPathComponent(".build-sandboxtests/debug/ehcert-sandbox"),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static var available: Bool { url != nil }
    static let skipReason: Comment = "the ehcert-sandbox executable is not built next to the tests (swift build --build-tests builds it)"

    struct Output {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs the executable to its end.
    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = try require(url, "ehcert-sandbox")
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// `ehcert-sandbox serve` running as a child process, with what it printed so far.
final class ServingSandboxProcess: Sendable {
    let process: Process
    private let standardOutput = Mutex("")
    private let standardError = Mutex("")

    var printed: String { standardOutput.withLock { $0 } }
    var logged: String { standardError.withLock { $0 } }

    init(arguments: [String]) throws {
        let process = Process()
        process.executableURL = try require(SandboxExecutable.url, "ehcert-sandbox")
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        self.process = process
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            self?.standardOutput.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        error.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            self?.standardError.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// Polls what the process printed (stdout, or stderr when `fromLog`) until `extract` finds
    /// something, the process ends, or `timeout` passes.
    func waitFor<Value>(_ what: String, fromLog: Bool = false, timeout: Duration = .seconds(60),
                      _ extract: (String) -> Value?) async throws -> Value {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = extract(fromLog ? logged : printed) { return value }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RequireError(description: "ehcert-sandbox did not print \(what) (running: \(process.isRunning)); stdout: \(printed.debugDescription) stderr: \(logged.debugDescription)")
    }

    /// kill -9, and waits for the end.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The first `http://host:port/CertRa/v2` URL in `text`, as the base URL.
    static func baseURL(inEndpointLine text: String) -> URL? {
        guard let range = text.range(of: #"http://[0-9.]+:[0-9]+/CertRa/v2"#, options: .regularExpression) else { return nil }
        return URL(string: String(text[range].dropLast("/CertRa/v2".count)))
    }

    /// The port of Hummingbird's "Server started and listening on 127.0.0.1:PORT" log line.
    static func baseURL(inLog text: String) -> URL? {
        guard let range = text.range(of: #"listening on [0-9.]+:[0-9]+"#, options: .regularExpression) else { return nil }
        return URL(string: "http://" + text[range].dropFirst("listening on ".count))
    }
}
