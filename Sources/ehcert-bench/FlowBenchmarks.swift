import _CryptoExtras
import CertManagerKit
import Foundation
import Sandbox
import Security

/// The person's flows against the in-process sandbox (the engine `ehcert demo` runs: every
/// envelope encoded, signed, parsed, schema-validated and verified as on the wire, without HTTP),
/// next to one RSA 2048 key generation: creating and renewing make two such keys each, so the
/// difference shows what the rest of a flow costs.
enum FlowBenchmarks {
    static let names = ["rsa2048.keygen", "flow.create.person", "flow.renew.person", "flow.revoke.person"]
    static let password = "bench-password"

    /// The sandbox's folder is removed when the group is done.
    static func group() throws -> BenchmarkGroup {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ehcert-bench-\(UUID().uuidString.prefix(8))")
        // Certificates replaceable from their first day: every run may request one for the same DN.
        let configuration = SandboxConfiguration(deliveryDelay: 0, certificateLifetime: 200 * 86_400, replacementPeriod: 250 * 86_400)
        let sandbox = try InProcessSandbox(stateDirectory: folder.appendingPathComponent("sandbox"), configuration: configuration)
        let citizen = sandbox.world.citizens[0]
        let endpoints = ServiceEndpoints(certRA: sandbox.certRAEndpoint, etkRA: sandbox.etkRAEndpoint)
        let settings = FlowSettings(connection: ConnectionOptions(transport: sandbox.transport),
                                    polling: PollingPolicy(backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(50))))
        let eID = PKCS12EIDKeySource(file: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)

        var runs = 0
        func create() throws -> CreateETKResult {
            runs += 1
            let run = folder.appendingPathComponent("run-\(runs)")
            let request = CreateETKRequest(owner: .naturalPerson, contact: .init(email: "bench@example.be", phone: "+3220000000"),
                                           keystoreDirectory: run.appendingPathComponent("keystores"))
            let result = try blocking {
                try await CreateETKFlow.start(request, endpoints: endpoints, workDirectory: WorkDirectory(run.appendingPathComponent("work")))
                    .run(eID: eID, keystorePassword: password, settings: settings, reviewContract: { _ in .accept }, progress: { _ in })
            }
            precondition(result.etk != nil)
            return result
        }
        // Each renewal renews a keystore made for it beforehand, copied into a folder of its own
        // under another name: the renewed keystore goes next to the old one, named with the time
        // to the second, which may be the second the old one was made in.
        var renewable: URL?
        // Each revocation revokes a certificate made for it beforehand.
        var revocable: Security.PublicKeyIdentifier?
        let revocation = CertificateRevocation(endpoints: endpoints, settings: settings)

        return BenchmarkGroup([
            Benchmark("rsa2048.keygen", roundDuration: .seconds(2)) {
                _ = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            },
            Benchmark("flow.create.person", roundDuration: .seconds(1)) {
                _ = try create()
            },
            Benchmark("flow.renew.person", roundDuration: .seconds(1), setUp: {
                let made = try create().keystoreFile
                let copy = folder.appendingPathComponent("renewal-\(runs)/keystores/to-renew.p12")
                try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: made, to: copy)
                renewable = copy
            }) {
                let work = WorkDirectory(folder.appendingPathComponent("renewal-\(runs)/work"))
                let result = try blocking { [renewable] in
                    try await CertificateRenewal.start(keystore: renewable!, password: password, endpoints: endpoints, settings: settings,
                                                       workDirectory: work)
                        .run(eID: eID, keystorePassword: password, settings: settings, reviewContract: { _ in .accept }, progress: { _ in })
                }
                precondition(result.replacesCertificate != nil)
            },
            Benchmark("flow.revoke.person", roundDuration: .milliseconds(500), setUp: {
                revocable = try Security.PublicKeyIdentifier(certificate: create().authenticationCertificate)
            }) {
                let revoked = try blocking { [revocable] in
                    try await revocation.revoke(revocable!, reason: .superseded, eID: eID, review: { _ in .accept })
                }
                precondition(revoked.publicKeyIdentifier == revocable)
            },
        ], tearDown: {
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
