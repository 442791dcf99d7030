import Foundation
import Synchronization
import Testing

/// The `flow-crash-child` executable (Tests/FlowCrashChild) built next to the test bundle, run
/// as a real child process whose standard output is read as it comes.
final class FlowCrashChildProcess: Sendable {
    static let url: URL? = {
        [Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("flow-crash-child"),
         URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flow-crash-child")]
            .compactMap { $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static var available: Bool { url != nil }
    static let skipReason: Comment = "the flow-crash-child executable is not built next to the tests (swift build --build-tests builds it)"

    let process: Process
    private let standardOutput = Mutex("")
    private let standardError = Mutex("")

    var printed: String { standardOutput.withLock { $0 } }
    var logged: String { standardError.withLock { $0 } }
    var lines: [String] { printed.split(separator: "\n").map(String.init) }

    init(_ arguments: [String], environment: [String: String]) throws {
        guard let url = Self.url else { throw RequireError(description: "flow-crash-child is not built next to the tests") }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
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

    /// The first printed line starting with `prefix` (its remainder), once it is printed;
    /// fails when the child ends without it, or after `limit` so that a broken child cannot
    /// hang the test run (a guard, not a measure of speed).
    func line(_ prefix: String, limit: Duration = .seconds(120)) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: { $0.hasPrefix(prefix + " ") }) { return String(line.dropFirst(prefix.count + 1)) }
            guard process.isRunning else {
                // The last output may still be in the pipe.
                try await Task.sleep(for: .milliseconds(100))
                if let line = lines.first(where: { $0.hasPrefix(prefix + " ") }) { return String(line.dropFirst(prefix.count + 1)) }
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RequireError(description: "flow-crash-child did not print \(prefix) (running: \(process.isRunning)); stdout: \(printed.debugDescription) stderr: \(logged.debugDescription)")
    }

    /// kill -9, as a power cut: no handler runs, nothing is flushed.
    func kill() async {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        await exit()
    }

    /// Waits for the end.
    func exit(limit: Duration = .seconds(120)) async {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    struct RequireError: Error, CustomStringConvertible {
        let description: String
    }
}
