import CertManagerKit
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime

/// One sandbox request, getCertificate for a delivered certificate through the in-process
/// sandbox (envelope parsed, schema-validated, decoded, one database transaction, answer encoded),
/// with 10 and with 10,000 certificates on record: the state is a database with an index for
/// every lookup, so the second must cost about the first (issue 13: within 1.5x).
enum SandboxStateBenchmarks {
    static let recordCounts = [10, 10_000]
    static let names = recordCounts.map(name(records:))

    static func name(records: Int) -> String { "sandbox.getCertificate.\(records)" }

    static func group() throws -> BenchmarkGroup {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ehcert-bench-state-\(UUID().uuidString.prefix(8))")
        var benchmarks: [Benchmark] = []
        for records in recordCounts {
            let sandbox = try InProcessSandbox(stateDirectory: folder.appendingPathComponent("sandbox-\(records)"),
                                               configuration: SandboxConfiguration(deliveryDelay: 0))
            let identifier = try FlowBenchmarks.blocking { try await Self.deliveredCertificate(in: sandbox, folder: folder) }
            try FlowBenchmarks.blocking { try await sandbox.engine.recordCopies(of: identifier.hex, count: records - 1) }
            let certRA = CertRaV2Client(soap: SOAPClient(endpoint: sandbox.certRAEndpoint, transport: sandbox.transport))
            let request = GetCertificateRequestType(
                issueInstant: .now, publicKeyIdentifier: try Generated.PublicKeyIdentifier(HexBinary(Data(identifier.bytes))))
            benchmarks.append(Benchmark(name(records: records)) {
                let response = try FlowBenchmarks.blocking { try await certRA.getCertificate(request) }
                precondition(response.x509Certificate.count == 2)
            })
        }
        return BenchmarkGroup(benchmarks, tearDown: { try? FileManager.default.removeItem(at: folder) })
    }

    /// A certificate delivered by a real create flow (a natural person's), to ask for again.
    static func deliveredCertificate(in sandbox: InProcessSandbox, folder: URL) async throws -> Security.PublicKeyIdentifier {
        let run = folder.appendingPathComponent("flow-\(UUID().uuidString.prefix(8))")
        let endpoints = ServiceEndpoints(certRA: sandbox.certRAEndpoint, etkRA: sandbox.etkRAEndpoint)
        var connection = ConnectionOptions(transport: sandbox.transport)
        connection.eHealthRoots = [sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem")]
        let settings = FlowSettings(connection: connection,
                                    polling: PollingPolicy(backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(50))))
        let request = CreateETKRequest(owner: .naturalPerson, contact: .init(email: "bench@example.be", phone: "+3220000000"),
                                       keystoreDirectory: run.appendingPathComponent("keystores"))
        let result = try await CreateETKFlow.start(request, endpoints: endpoints, workDirectory: WorkDirectory(run.appendingPathComponent("work")))
            .run(eID: PKCS12EIDKeySource(file: sandbox.world.citizens[0].eidKeystore, password: SandboxWorld.citizenKeystorePassword),
                 keystorePassword: FlowBenchmarks.password, settings: settings, reviewContract: { _ in .accept }, progress: { _ in })
        return try Security.PublicKeyIdentifier(certificate: result.authenticationCertificate)
    }
}
