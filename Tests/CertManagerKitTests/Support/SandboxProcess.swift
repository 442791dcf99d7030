import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ehcert-sandbox serve` as a separate process, the way an integrator runs it: its own state
/// directory (a copy of a world that `ehcert-sandbox init` made once for the whole test run),
/// a free port it reports on its first line, and SIGTERM to stop it.
final class SandboxProcess: Sendable {
    /// The `ehcert-sandbox` executable built next to the test bundle.
    static let executable: URL? = {
        [Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("ehcert-sandbox"),
         URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ehcert-sandbox")]
            .compactMap { $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static var available: Bool { executable != nil && EHCertExecutable.available }
    static let skipReason: Comment = "ehcert and ehcert-sandbox are not built next to the tests (swift build --build-tests builds them)"

    /// The test citizens of `ehcert-sandbox init` (README, "The sandbox").
    enum Citizen: String {
        /// Jean DUPONT: RSA eID, manages CBE 0412345614 and hospital 71000436.
        case dupont = "85073003328"
        /// An PEETERS: EC P-384 eID.
        case peeters = "77041228431"
        /// Lucas MARTIN: no health-care quality.
        case martin = "05010101202"
        /// Marie LAMBERT: her pharmacy's (CBE 0876543270) requests need manual validation.
        case lambert = "68112235109"
    }

    let state: URL
    let certRA: URL
    let etkRA: URL
    private let process: Process
    /// What the process printed (read all along, so that its pipe never fills).
    private let output: PrintedText

    /// `--certra-url URL --etkra-url URL`, for ehcert.
    /// The endpoints, and the eHealth root the sandbox publishes in its trust folder.
    var serviceArguments: [String] {
        ["--certra-url", certRA.absoluteString, "--etkra-url", etkRA.absoluteString,
         "--ehealth-root", state.appendingPathComponent("trust/ehealth-root.pem").path]
    }

    func eID(_ citizen: Citizen) -> URL {
        state.appendingPathComponent("citizens/\(citizen.rawValue)/eid.p12")
    }

    /// A new state directory with a fresh copy of the test world, served on a free port.
    /// `options`: more `ehcert-sandbox serve` options (platform variations, a request log).
    static func start(deliveryDelay: Double = 0, clockOffsetDays: Double = 0, options: [String] = []) async throws -> SandboxProcess {
        let state = EHCertCommandTests.temporaryFolder().appendingPathComponent("sandbox")
        try FileManager.default.createDirectory(at: state.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try await WorldTemplate.shared.directory(), to: state)
        return try await serve(state: state, deliveryDelay: deliveryDelay, clockOffsetDays: clockOffsetDays, options: options)
    }

    /// Serves `state` on a free port, once the process said where.
    static func serve(state: URL, deliveryDelay: Double = 0, clockOffsetDays: Double = 0, options: [String] = []) async throws -> SandboxProcess {
        let process = Process()
        guard let executable else { throw SandboxProcessError(description: "ehcert-sandbox is not built next to the tests") }
        process.executableURL = executable
        process.arguments = ["serve", "--state", state.path, "--port", "0", "--delivery-delay", String(deliveryDelay),
                             "--clock-offset-days=\(clockOffsetDays)"] + options
        let output = PrintedText()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            output.append(data)
        }
        try process.run()
        // Its first line: "ehcert-sandbox serving http://127.0.0.1:PORT/CertRa/v2 and http://127.0.0.1:PORT/EtkRa/v2".
        var endpoints: (URL, URL)?
        let deadline = ContinuousClock.now + .seconds(120)
        while endpoints == nil {
            endpoints = Self.endpoints(in: output.text)
            if endpoints == nil {
                guard process.isRunning else {
                    throw SandboxProcessError(description: "ehcert-sandbox serve ended with \(process.terminationStatus): \(output.text)")
                }
                // A guard against a hang, not a timing assertion.
                guard ContinuousClock.now < deadline else {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    throw SandboxProcessError(description: "ehcert-sandbox serve printed no endpoints in two minutes: \(output.text)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return SandboxProcess(state: state, certRA: endpoints!.0, etkRA: endpoints!.1, process: process, output: output)
    }

    private init(state: URL, certRA: URL, etkRA: URL, process: Process, output: PrintedText) {
        self.state = state
        self.certRA = certRA
        self.etkRA = etkRA
        self.process = process
        self.output = output
    }

    static func endpoints(in text: String) -> (URL, URL)? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ehcert-sandbox serving ") }) else { return nil }
        let urls = line.split(separator: " ").filter { $0.hasPrefix("http://") }.compactMap { URL(string: String($0)) }
        guard urls.count == 2, urls[0].path == "/CertRa/v2", urls[1].path == "/EtkRa/v2" else { return nil }
        return (urls[0], urls[1])
    }

    /// SIGTERM, and waits for the end: afterwards nothing listens on the port.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// Stops this process and serves the same state again with other options.
    func restarted(deliveryDelay: Double = 0, clockOffsetDays: Double = 0, options: [String] = []) async throws -> SandboxProcess {
        stop()
        return try await Self.serve(state: state, deliveryDelay: deliveryDelay, clockOffsetDays: clockOffsetDays, options: options)
    }

    /// `ehcert-sandbox approve --state DIR [KEY]`.
    func approve(_ publicKeyIdentifier: String? = nil) async throws -> EHCertExecutable.Output {
        let arguments = ["approve", "--state", state.path] + (publicKeyIdentifier.map { [$0] } ?? [])
        return try await OwnThread.run { try Self.runToEnd(arguments) }
    }

    deinit {
        // A failed test must not leave a server behind.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func runToEnd(_ arguments: [String]) throws -> EHCertExecutable.Output {
        let process = Process()
        guard let executable else { throw SandboxProcessError(description: "ehcert-sandbox is not built next to the tests") }
        process.executableURL = executable
        process.arguments = arguments
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

/// Text a child process printed, appended from a pipe's handler.
final class PrintedText: Sendable {
    private let buffer = Mutex("")
    var text: String { buffer.withLock { $0 } }
    func append(_ data: Data) { buffer.withLock { $0 += String(decoding: data, as: UTF8.self) } }
}

struct SandboxProcessError: Error, CustomStringConvertible {
    let description: String
}

/// One `ehcert-sandbox init` for the whole test run (it generates a dozen keys); each test
/// serves its own copy.
actor WorldTemplate {
    static let shared = WorldTemplate()
    /// One task for every caller: the actor is reentrant across the await, and two worlds made
    /// side by side would have different CAs (tokens loaded from one, a sandbox serving the other).
    private var making: Task<URL, any Error>?

    func directory() async throws -> URL {
        if let making { return try await making.value }
        let task = Task {
            let directory = EHCertCommandTests.temporaryFolder().appendingPathComponent("world")
            let run = try await OwnThread.run { try SandboxProcess.runToEnd(["init", "--state", directory.path]) }
            guard run.status == 0, FileManager.default.fileExists(atPath: directory.appendingPathComponent("trust/ehealth-root.pem").path) else {
                throw SandboxProcessError(description: "ehcert-sandbox init failed (\(run.status)): \(run.standardOutput) \(run.standardError)")
            }
            return directory
        }
        making = task
        return try await task.value
    }
}
