import Foundation
import Testing

/// The `ehcert` executable built next to the test bundle, run as a child process.
enum EHCertExecutable {
    static let url: URL? = {
        [Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("ehcert"),
         URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ehcert")]
            .compactMap { $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static var available: Bool { url != nil }

    struct Output {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs ehcert to its end, with `environment` added to this process's.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        guard let url else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "ehcert"]) }
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently, so a full stderr pipe never blocks the child.
        let errorData = LockedData()
        let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.01) }
        return Output(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData.value, as: UTF8.self))
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        func set(_ value: Data) { lock.withLock { data = value } }
        var isSet: Bool { lock.withLock { data != nil } }
        var value: Data { lock.withLock { data ?? Data() } }
    }
}
