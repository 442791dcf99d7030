import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes every exchanged envelope into a folder, one file per message:
/// `003-generateContract-request.xml` and `003-generateContract-response.xml` for the third
/// exchange. Request and response of one call share the number, concurrent calls get distinct
/// ones, and a folder that already holds numbered files is continued after the highest.
///
/// Envelopes hold personal data (SSINs, names, certificates), so the folder is created 0700
/// and each file is created 0600 (never readable by others, not even briefly).
///
/// Recording is best-effort: a message that cannot be written (full disk, folder gone) is
/// reported to `onFailure` once and never fails the exchange, whose answer may be one that
/// cannot be asked for again (completeETKRegistration's ETK).
public actor SOAPTrace {
    /// Writes one trace file: new, mode 0600 from its creation.
    public typealias FileWriter = @Sendable (Data, URL) throws -> Void

    public nonisolated let directory: URL
    private var lastSequence: Int
    private let writer: FileWriter
    private let onFailure: @Sendable (String) -> Void
    private var failures = 0

    public enum Direction: String, Sendable {
        case request
        case response
    }

    public init(directory: URL, writer: @escaping FileWriter = SOAPTrace.createPrivateFile,
                onFailure: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.directory = directory
        self.writer = writer
        self.onFailure = onFailure
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if !manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
        } else if !isDirectory.boolValue {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: directory.path])
        }
        let names = try manager.contentsOfDirectory(atPath: directory.path)
        lastSequence = names.compactMap(Self.sequence(inFileName:)).max() ?? 0
    }

    /// Records a request under the next number and returns that number for its response.
    @discardableResult
    public func recordRequest(operation: String, _ envelope: Data) -> Int {
        lastSequence += 1
        write(envelope, sequence: lastSequence, operation: operation, direction: .request)
        return lastSequence
    }

    public func recordResponse(sequence: Int, operation: String, _ envelope: Data) {
        write(envelope, sequence: sequence, operation: operation, direction: .response)
    }

    /// How many messages could not be written.
    public var failedWrites: Int { failures }

    /// The file a message is (or would be) written to.
    public nonisolated func fileURL(sequence: Int, operation: String, direction: Direction) -> URL {
        let number = String(format: "%03d", sequence)
        return directory.appendingPathComponent("\(number)-\(Self.safeName(operation))-\(direction.rawValue).xml")
    }

    private func write(_ envelope: Data, sequence: Int, operation: String, direction: Direction) {
        let url = fileURL(sequence: sequence, operation: operation, direction: direction)
        do {
            try writer(envelope, url)
        } catch {
            failures += 1
            if failures == 1 {
                onFailure("the trace could not be written to \(url.path) (\(error)); the exchange goes on, further trace failures are not reported")
            }
        }
    }

    /// The default writer: creates the file with mode 0600 (O_EXCL: an existing file, or a
    /// link planted in its place, is not followed), then writes the bytes.
    public static let createPrivateFile: FileWriter = { data, url in
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SOAPTraceWriteError(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = traceFileWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SOAPTraceWriteError(path: url.path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }

    /// `012-getCertificate-request.xml` → 12.
    static func sequence(inFileName name: String) -> Int? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.dropFirst(digits.count).first == "-" else { return nil }
        return Int(digits)
    }

    /// Operation names come from the WSDL; anything that could leave the folder is replaced.
    private static func safeName(_ operation: String) -> String {
        let allowed = operation.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ".")
                ? character : "_"
        }
        let name = String(allowed)
        return name.isEmpty || name.allSatisfy({ $0 == "." }) ? "operation" : name
    }
}

/// A trace file that could not be written.
public struct SOAPTraceWriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// write(2), out of reach of the trace's own `write`.
private func traceFileWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
