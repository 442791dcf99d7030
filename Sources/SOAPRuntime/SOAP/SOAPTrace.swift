import Foundation

/// Writes every exchanged envelope into a folder, one file per message:
/// `003-generateContract-request.xml` and `003-generateContract-response.xml` for the third
/// exchange. Request and response of one call share the number, concurrent calls get distinct
/// ones, and a folder that already holds numbered files is continued after the highest.
///
/// Envelopes hold personal data (SSINs, names, certificates), so the folder is created 0700
/// and each file 0600.
public actor SOAPTrace {
    public nonisolated let directory: URL
    private var lastSequence: Int

    public enum Direction: String, Sendable {
        case request
        case response
    }

    public init(directory: URL) throws {
        self.directory = directory
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
    public func recordRequest(operation: String, _ envelope: Data) throws -> Int {
        lastSequence += 1
        try write(envelope, sequence: lastSequence, operation: operation, direction: .request)
        return lastSequence
    }

    public func recordResponse(sequence: Int, operation: String, _ envelope: Data) throws {
        try write(envelope, sequence: sequence, operation: operation, direction: .response)
    }

    /// The file a message is (or would be) written to.
    public nonisolated func fileURL(sequence: Int, operation: String, direction: Direction) -> URL {
        let number = String(format: "%03d", sequence)
        return directory.appendingPathComponent("\(number)-\(Self.safeName(operation))-\(direction.rawValue).xml")
    }

    private func write(_ envelope: Data, sequence: Int, operation: String, direction: Direction) throws {
        let url = fileURL(sequence: sequence, operation: operation, direction: direction)
        // .atomic writes a temporary file and renames it, so a reader never sees half a message.
        try envelope.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
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
