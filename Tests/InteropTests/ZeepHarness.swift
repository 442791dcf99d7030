import Foundation
import Testing

/// Runs Tests/Interop/zeep_interop.py, the Python side of the interop tests, as a subprocess.
enum ZeepHarness {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("Tests/Interop/zeep_interop.py")
    static let certRAWSDL = repositoryRoot.appendingPathComponent("Schemas/certra-proxy-v2.wsdl")
    static let etkRAWSDL = repositoryRoot.appendingPathComponent("Schemas/etkra-proxy-v2.wsdl")

    /// Whether `python3 -c 'import zeep'` works; the interop suites are skipped when it does not.
    static let isAvailable: Bool = {
        (try? run(["-c", "import zeep, lxml"]).status) == 0
    }()

    static let unavailableReason: Comment =
        "zeep interop skipped: `python3 -c 'import zeep, lxml'` failed (install them with `pip install zeep`)"

    /// `load WSDL...`: services, ports, operations and SOAP actions as zeep sees them.
    static func load(_ wsdls: [URL]) throws -> JSONValue {
        try JSONValue.parse(succeeding(["load"] + wsdls.map(\.path)))
    }

    /// `serialize`: the request envelope zeep builds for the operation from keyword values.
    static func serialize(wsdl: URL, operation: String, values: JSONValue) throws -> Data {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let valuesFile = directory.appendingPathComponent("values.json")
        let envelopeFile = directory.appendingPathComponent("envelope.xml")
        try Data(values.text.utf8).write(to: valuesFile)
        _ = try succeeding(["serialize", wsdl.path, operation, "@" + valuesFile.path, envelopeFile.path])
        return try Data(contentsOf: envelopeFile)
    }

    /// `parse`: what zeep's deserialisation of the operation's input message reads from an envelope.
    static func parse(wsdl: URL, operation: String, envelope: String) throws -> JSONValue {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let envelopeFile = directory.appendingPathComponent("envelope.xml")
        try Data(envelope.utf8).write(to: envelopeFile)
        return try JSONValue.parse(succeeding(["parse", wsdl.path, operation, envelopeFile.path]))
    }

    private static func succeeding(_ arguments: [String]) throws -> Data {
        let result = try run([script.path] + arguments)
        guard result.status == 0 else {
            throw ZeepHarnessError(arguments: arguments, status: result.status,
                                   standardError: String(decoding: result.standardError, as: UTF8.self))
        }
        return result.standardOutput
    }

    /// Runs python3 with its output in files rather than pipes, so a large output cannot block it.
    private static func run(_ arguments: [String]) throws -> (status: Int32, standardOutput: Data, standardError: Data) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputFile = directory.appendingPathComponent("stdout")
        let errorFile = directory.appendingPathComponent("stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = try FileHandle(forWritingTo: errorFile)
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try Data(contentsOf: outputFile), try Data(contentsOf: errorFile))
    }

    private static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("zeep-interop-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct ZeepHarnessError: Error, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let standardError: String

    var description: String {
        "zeep_interop.py \(arguments.joined(separator: " ")) exited with \(status):\n\(standardError)"
    }
}
