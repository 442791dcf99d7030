import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A running sandbox on loopback, for tests, `ehcert demo` and `ehcert-sandbox serve`.
public final class EmbeddedSandbox: Sendable {
    public let engine: SandboxEngine
    public let port: Int
    public let host: String
    private let task: Task<Void, any Error>

    public var world: SandboxWorld { engine.world }
    public var baseURL: URL { URL(string: "http://\(host):\(port)")! }
    public var certRAEndpoint: URL { baseURL.appendingPathComponent("CertRa/v2") }
    public var etkRAEndpoint: URL { baseURL.appendingPathComponent("EtkRa/v2") }

    private init(engine: SandboxEngine, host: String, port: Int, task: Task<Void, any Error>) {
        self.engine = engine
        self.host = host
        self.port = port
        self.task = task
    }

    /// Creates the world in `stateDirectory` if needed and serves it; `port` 0 picks a free port.
    public static func start(stateDirectory: URL, host: String = "127.0.0.1", port: Int = 0,
                             configuration: SandboxConfiguration = SandboxConfiguration(),
                             logLevel: Logger.Level = .error) async throws -> EmbeddedSandbox {
        let world = try SandboxWorld.create(at: stateDirectory)
        let engine = try SandboxEngine(world: world, configuration: configuration)
        var logger = Logger(label: "ehcert-sandbox")
        logger.logLevel = logLevel
        let (bound, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let app = Application(
            router: SandboxServer.router(engine: engine),
            configuration: .init(address: .hostname(host, port: port), serverName: "ehcert-sandbox"),
            onServerRunning: { channel in
                continuation.yield(.success(channel.localAddress?.port ?? port))
            },
            logger: logger)
        let task = Task {
            do {
                try await app.run()
            } catch {
                continuation.yield(.failure(error))
                throw error
            }
            continuation.finish()
        }
        var iterator = bound.makeAsyncIterator()
        guard let result = await iterator.next() else {
            throw SandboxError.server("the server stopped before it listened on \(host):\(port)")
        }
        let actualPort: Int
        switch result {
        case .success(let value): actualPort = value
        case .failure(let error): throw SandboxError.server("cannot listen on \(host):\(port): \(error)")
        }
        engine.setPublicBaseURL("http://\(host):\(actualPort)")
        return EmbeddedSandbox(engine: engine, host: host, port: actualPort, task: task)
    }

    /// Stops serving and waits until the port is released.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Serves until the task is cancelled (for `ehcert-sandbox serve`).
    public func wait() async {
        _ = await task.result
    }
}
