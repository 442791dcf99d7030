import Foundation

/// One libFuzzer target: the code under test, reached the way the toolkit reaches it with bytes
/// from outside. An instance is made once per process (`init` may be slow: a sandbox world, a
/// key); `run` is called for every input and must not keep state between inputs that changes
/// what a later input does, or a crash would not reproduce from its one input.
public protocol FuzzTarget {
    /// The name `scripts/fuzz.sh` takes (`soap-response`, ...).
    static var name: String { get }
    init(environment: FuzzEnvironment) throws
    /// Feeds one input; every error the code under test throws is an expected outcome.
    func run(_ data: Data)
    /// Starting inputs, made from a run of `ehcert demo --scenario all` (its traces and work folder).
    static func seeds(from demo: DemoArtifacts) throws -> [Data]
}

/// What `ehcert demo --scenario all --workdir WORK --trace-dir TRACE` left behind.
public struct DemoArtifacts: Sendable {
    public let workDirectory: URL
    public let traceDirectory: URL

    public init(workDirectory: URL, traceDirectory: URL) {
        self.workDirectory = workDirectory
        self.traceDirectory = traceDirectory
    }

    /// The sandbox's state folder inside the demo's work folder.
    public var sandboxDirectory: URL { workDirectory.appendingPathComponent("sandbox") }

    /// The traced envelopes whose name ends with `suffix` (`-request.xml`, `-response.xml`), in order.
    public func traces(endingWith suffix: String) throws -> [(name: String, data: Data)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: traceDirectory.path)
            .filter { $0.hasSuffix(suffix) }.sorted()
        return try names.map { ($0, try Data(contentsOf: traceDirectory.appendingPathComponent($0))) }
    }

    /// The keystores the demo's flows wrote (password `ehcert-demo`).
    public func keystores() throws -> [URL] {
        let folder = workDirectory.appendingPathComponent("keystore")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".p12") }.sorted().map { folder.appendingPathComponent($0) }
    }
}
