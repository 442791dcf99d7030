import Foundation
import Sandbox
import SandboxHTTP

/// A sandbox with a state of its own, on a copy of the shared sandbox's world (making a world
/// generates a dozen RSA keys): for tests whose certificates must not meet other tests', and
/// that restart the sandbox with another configuration (a clock offset) on the same state.
struct SandboxCopy {
    let stateDirectory: URL

    /// Copies the shared world into `folder/sandbox`, without the shared sandbox's state.
    static func make(in folder: URL) async throws -> SandboxCopy {
        let shared = try await SandboxFixture.shared.sandbox().world.directory
        let copy = folder.appendingPathComponent("sandbox")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: shared, to: copy)
        for file in try FileManager.default.contentsOfDirectory(atPath: copy.path) where file.hasPrefix("state") || file.hasPrefix(".state") {
            try FileManager.default.removeItem(at: copy.appendingPathComponent(file))
        }
        return SandboxCopy(stateDirectory: copy)
    }

    /// Serves the copy over HTTP; `clockOffsetDays` moves the sandbox's clock into the future
    /// (a certificate's replacement window, today).
    func start(deliveryDelay: TimeInterval = 0.1, clockOffsetDays: Double = 0) async throws -> EmbeddedSandbox {
        try await EmbeddedSandbox.start(stateDirectory: stateDirectory,
                                        configuration: SandboxConfiguration(deliveryDelay: deliveryDelay, clockOffset: clockOffsetDays * 86_400),
                                        logLevel: .critical)
    }
}
