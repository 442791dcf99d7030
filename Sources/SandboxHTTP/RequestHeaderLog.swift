import Foundation
import Sandbox
import HTTPTypes
import Synchronization

/// The tracing headers each SOAP request came with (cookbook 4.1.2), one JSON object a line:
/// `{"operation":"getCertificate","userAgent":"ehcert/0.2 …","from":"ops@example.be"}` (`from`
/// absent when the request had none). For integrators checking what their client sends, and for
/// the client's tests. Appended before the request is handled, so a refused request is logged too.
public final class RequestHeaderLog: Sendable {
    public let file: URL
    private let lock = Mutex(())

    public init(file: URL) throws {
        self.file = file
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw SandboxError.server("cannot create the request log \(file.path)")
            }
        }
    }

    func record(soapAction: String?, headers: HTTPFields) {
        // The SOAPAction arrives quoted.
        let action = soapAction?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ""
        var entry: [String: String] = ["operation": String(action.split(separator: ":").last ?? "")]
        entry["userAgent"] = headers[.userAgent]
        entry["from"] = headers[HTTPField.Name("From")!]
        guard var line = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) else { return }
        line.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            guard let handle = try? FileHandle(forWritingTo: file) else { return }
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: line)
        }
    }
}
