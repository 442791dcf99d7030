import Foundation
import Sandbox

/// Where a target finds the sandbox world it needs (trust roots, a state to answer from).
///
/// `EHCERT_FUZZ_SANDBOX` names a sandbox state folder, normally the demo's (`WORK/sandbox`), so
/// that the traced, signed requests the seeds come from verify against its roots; it is copied
/// to a temporary folder first, as the sandbox target changes its state. Without it, a new world
/// is created in a temporary folder (slower to start, and the seeds' signers are then unknown).
public final class FuzzEnvironment: Sendable {
    public static let sandboxVariable = "EHCERT_FUZZ_SANDBOX"

    public let sandboxSource: URL?

    public init(sandboxSource: URL? = ProcessInfo.processInfo.environment[FuzzEnvironment.sandboxVariable]
        .map { URL(fileURLWithPath: $0) }) {
        self.sandboxSource = sandboxSource
    }

    /// A private copy of the sandbox world, made on each call (a target calls it once).
    public func makeWorld() throws -> SandboxWorld {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ehcert-fuzz-\(getpid())-\(UUID().uuidString.prefix(8))")
        if let sandboxSource {
            try FileManager.default.copyItem(at: sandboxSource, to: directory)
            return try SandboxWorld.load(from: directory)
        }
        return try SandboxWorld.create(at: directory)
    }
}
