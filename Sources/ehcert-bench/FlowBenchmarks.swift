import _CryptoExtras
import CertManagerKit
import Foundation
import Sandbox

/// A whole create-new-ETK flow for a person (cookbook 4.3.4 steps 1-13) against the in-process
/// sandbox over loopback HTTP, next to one RSA 2048 key generation: the flow makes two such keys,
/// so the difference shows what the rest of the flow costs.
enum FlowBenchmarks {
    /// The sandbox is stopped and its folder removed when the group is done.
    static func group() throws -> BenchmarkGroup {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ehcert-bench-\(UUID().uuidString.prefix(8))")
        // Certificates replaceable from their first day: every run may request one for the same DN.
        let configuration = SandboxConfiguration(deliveryDelay: 0, certificateLifetime: 200 * 86_400, replacementPeriod: 250 * 86_400)
        let sandbox = try blocking { try await EmbeddedSandbox.start(stateDirectory: folder.appendingPathComponent("sandbox"), configuration: configuration, logLevel: .critical) }
        let citizen = sandbox.world.citizens[0]
        let endpoints = ServiceEndpoints(certRA: sandbox.certRAEndpoint, etkRA: sandbox.etkRAEndpoint)
        let settings = FlowSettings(polling: PollingPolicy(backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(50))))
        let eID = PKCS12EIDKeySource(file: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)
        return BenchmarkGroup([
            Benchmark("rsa2048.keygen", minimumDuration: .seconds(2)) {
                _ = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            },
            Benchmark("flow.create.person", minimumDuration: .seconds(3)) {
                let run = folder.appendingPathComponent("run-\(UUID().uuidString.prefix(8))")
                let request = CreateETKRequest(owner: .naturalPerson, contact: .init(email: "bench@example.be", phone: "+3220000000"),
                                               keystoreDirectory: run.appendingPathComponent("keystores"))
                let result = try blocking {
                    try await CreateETKFlow.start(request, endpoints: endpoints, workDirectory: WorkDirectory(run.appendingPathComponent("work")))
                        .run(eID: eID, keystorePassword: "bench-password", settings: settings,
                             reviewContract: { _ in .accept }, progress: { _ in })
                }
                precondition(result.etk != nil)
                try? FileManager.default.removeItem(at: run)
            },
        ], tearDown: {
            try? blocking { await sandbox.stop() }
            try? FileManager.default.removeItem(at: folder)
        })
    }

    /// Runs async work from the synchronous benchmark loop; the main thread waits, the
    /// cooperative pool does the work.
    static func blocking<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) throws -> Value {
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox<Value>()
        Task {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            semaphore.signal()
        }
        semaphore.wait()
        return try box.result!.get()
    }
}

private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    // Written by the task before it signals, read by the waiter after: the semaphore orders them.
    var result: Result<Value, any Error>?
}
