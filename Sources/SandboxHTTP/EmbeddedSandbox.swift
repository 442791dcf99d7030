import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import Sandbox
import ServiceLifecycle
import Synchronization

/// A running sandbox on loopback, for tests and `ehcert-sandbox serve` (`ehcert demo` and the
/// benchmarks run the engine in-process: `InProcessSandbox`).
public final class EmbeddedSandbox: Sendable {
    public let engine: SandboxEngine
    public let port: Int
    public let host: String
    private let task: Task<Void, any Error>
    private let services: ServiceGroup

    public var world: SandboxWorld { engine.world }
    /// Whether the sandbox serves HTTPS (with ``SandboxTLSIdentity``) rather than HTTP.
    public let usesTLS: Bool

    public var baseURL: URL { URL(string: "\(usesTLS ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)")! }
    /// The root to trust for HTTPS: `trust/tls-root.pem` of the state directory.
    public var tlsRootFile: URL { SandboxTLSIdentity.rootFile(in: world) }
    public var certRAEndpoint: URL { baseURL.appendingPathComponent("CertRa/v2") }
    public var etkRAEndpoint: URL { baseURL.appendingPathComponent("EtkRa/v2") }

    private init(engine: SandboxEngine, host: String, port: Int, usesTLS: Bool, task: Task<Void, any Error>, services: ServiceGroup) {
        self.engine = engine
        self.services = services
        self.usesTLS = usesTLS
        self.host = host
        self.port = port
        self.task = task
    }

    /// Creates the world in `stateDirectory` if needed and serves it; `port` 0 picks a free port.
    /// With `tls`, serves HTTPS with the world's ``SandboxTLSIdentity`` (made if needed).
    public static func start(stateDirectory: URL, host: String = "127.0.0.1", port: Int = 0,
                             configuration: SandboxConfiguration = SandboxConfiguration(), tls: Bool = false,
                             logLevel: Logger.Level = .error) async throws -> EmbeddedSandbox {
        let world = try SandboxWorld.create(at: stateDirectory)
        let engine = try SandboxEngine(world: world, configuration: configuration)
        var logger = Logger(label: "ehcert-sandbox")
        logger.logLevel = logLevel
        let (bound, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let server: HTTPServerBuilder = tls ? try .tls(.http1(), tlsConfiguration: try SandboxServer.tlsConfiguration(
            SandboxTLSIdentity.ensure(in: world))) : .http1()
        let app = Application(
            router: SandboxServer.router(engine: engine, headerLog: try configuration.requestHeaderLog.map(RequestHeaderLog.init(file:))),
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "ehcert-sandbox"),
            onServerRunning: { channel in
                continuation.yield(.success(channel.localAddress?.port ?? port))
            },
            logger: logger)
        // Stopped by a graceful shutdown rather than by cancelling the task: cancelling tears down
        // connections NIO has accepted but not yet handed out, which traps in NIOAsyncWriter.
        let services = ServiceGroup(services: [app], logger: logger)
        let task = Task {
            do {
                try await services.run()
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
        let sandbox = EmbeddedSandbox(engine: engine, host: host, port: actualPort, usesTLS: tls, task: task, services: services)
        engine.setPublicBaseURL(sandbox.baseURL.absoluteString)
        return sandbox
    }

    /// Stops serving: stops accepting, lets the requests in progress finish (for at most
    /// `patience`, then cancels them), and waits until the port is released.
    public func stop(patience: Duration = .seconds(10)) async {
        await services.triggerGracefulShutdown()
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: patience)
            task.cancel()
        }
        _ = await task.result
        watchdog.cancel()
    }

    /// Serves until the task is cancelled (for `ehcert-sandbox serve`).
    public func wait() async {
        _ = await task.result
    }
}

extension EmbeddedSandbox {
    /// The running sandbox's fault plan (the engine's): `sandbox.faults.inject(...)`.
    public var faults: SandboxFaults { engine.faults }
}
