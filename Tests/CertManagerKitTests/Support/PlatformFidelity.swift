import Crypto
import Foundation
import Generated
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import SwiftASN1
import Testing
import X509
@testable import CertManagerKit

/// What the platform-fidelity tests share: a sandbox with platform variations, owners, the
/// flow's journal, the DNs of an envelope, and a transport that keeps every exchange.
enum PlatformFidelity {
    /// The shared sandbox's world (its keys take long to make) with a state of its own, served
    /// with `configure`'s variations.
    static func sandbox(_ configure: (inout SandboxConfiguration) -> Void) async throws -> (EmbeddedSandbox, TestFolders) {
        let folders = TestFolders()
        let shared = try await SandboxFixture.shared.sandbox().world.directory
        let copy = folders.root.appendingPathComponent("sandbox")
        try FileManager.default.createDirectory(at: folders.root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: shared, to: copy)
        for file in try FileManager.default.contentsOfDirectory(atPath: copy.path) where file.hasPrefix("state") || file.hasPrefix(".state") {
            try FileManager.default.removeItem(at: copy.appendingPathComponent(file))
        }
        var configuration = SandboxConfiguration(deliveryDelay: 0.2)
        configure(&configuration)
        return (try await EmbeddedSandbox.start(stateDirectory: copy, configuration: configuration, logLevel: .critical), folders)
    }

    static func organization(_ applicationID: String) -> CreateETKRequest.Owner {
        .organization(.init(type: "CBE", identifier: "0412345614", applicationID: applicationID))
    }

    static func journal(_ flow: CreateETKFlow, _ folders: TestFolders) throws -> [String: Any] {
        let file = folders.work.folder(for: flow.id).appendingPathComponent("journal.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    }

    /// The text of every `DN` element (whatever its prefix) of an envelope.
    static func distinguishedNames(in envelope: String) -> [String] {
        var names: [String] = []
        var rest = envelope[...]
        while let range = rest.range(of: #"<([A-Za-z0-9_]+:)?DN>[^<]*</"#, options: .regularExpression) {
            let element = rest[range]
            let start = element.index(after: element.firstIndex(of: ">")!)
            names.append(String(element[start...].dropLast(2)))
            rest = rest[range.upperBound...]
        }
        return names
    }

}

/// Forwards to the real HTTP transport and keeps every request and response body, by operation.
final class ExchangeRecorder: SOAPTransport, @unchecked Sendable {
    private let inner: any SOAPTransport
    private let lock = NSLock()
    private var exchanges: [(operation: String, request: String, response: String, headers: [(String, String)])] = []

    init() throws {
        inner = try URLSessionTransport()
    }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        let response = try await inner.send(request)
        let operation = String(request.soapAction.split(separator: ":").last ?? "").lowercased()
        lock.withLock {
            exchanges.append((operation, String(decoding: request.body, as: UTF8.self), String(decoding: response.body, as: UTF8.self), request.headers))
        }
        return response
    }

    func requests(of operation: String) -> [String] { lock.withLock { exchanges.filter { $0.operation == operation }.map(\.request) } }
    func responses(of operation: String) -> [String] { lock.withLock { exchanges.filter { $0.operation == operation }.map(\.response) } }
    var headers: [[(String, String)]] { lock.withLock { exchanges.map(\.headers) } }
}
