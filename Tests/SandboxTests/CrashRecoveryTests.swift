import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Synchronization
import Testing

/// `ehcert-sandbox serve` as a child process: it says where it listens, and a kill -9 at any
/// moment loses nothing it acknowledged (issue 4: "it survives a restart (kill -9 included)
/// with nothing lost").
@Suite(.enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
struct CrashRecoveryTests {
    /// `--port 0` is only useful if the chosen port is printed at once, also when stdout is a
    /// pipe (a script, a test harness, a CI job reading it).
    @Test func servePrintsItsEndpointsOnStandardOutputAtOnce() async throws {
        try await SandboxSlots.shared.run { try await servePrintsItsEndpoints() }
    }

    func servePrintsItsEndpoints() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ServingSandboxProcess(arguments: ["serve", "--state", directory.path, "--port", "0"])
        defer { child.kill() }
        // The server is up once Hummingbird logs it...
        _ = try await child.waitFor("the listening log line", fromLog: true, ServingSandboxProcess.baseURL(inLog:))
        // ...and by then the endpoint line must be readable too.
        let baseURL = try await child.waitFor("the endpoint line", timeout: .seconds(5), ServingSandboxProcess.baseURL(inEndpointLine:))
        #expect(child.printed.contains("\(baseURL.absoluteString)/EtkRa/v2"))
    }

    @Test func aKilledSandboxLosesNothingItAcknowledged() async throws {
        try await SandboxSlots.shared.run { try await killedSandboxLosesNothing() }
    }

    func killedSandboxLosesNothing() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let session = try SandboxSession()
        let child = try ServingSandboxProcess(arguments: ["serve", "--state", directory.path, "--port", "0", "--delivery-delay", "0"])
        defer { child.kill() }
        // The endpoint line, or (see the test above) Hummingbird's log line.
        let baseURL = try await child.waitFor("where it listens") { _ in
            ServingSandboxProcess.baseURL(inEndpointLine: child.printed) ?? ServingSandboxProcess.baseURL(inLog: child.logged)
        }
        let certRA = CertRaV2Client(soap: SOAPClient(endpoint: baseURL.appendingPathComponent("CertRa/v2"), transport: session.recorder))

        // A request that writes state, acknowledged.
        let world = try SandboxWorld.load(from: directory)
        let keystore = try Keystore(contentsOf: try require(world.citizen(ssin: Sandboxed.jean)).eidKeystore, password: SandboxWorld.citizenKeystorePassword)
        let jean = ActorType(id: [IdType(type: "SSIN", value: Sandboxed.jean)], firstName: ["Jean"], name: "DUPONT")
        let contract = try require(try await certRA.generateContract(GenerateContractRequestType(
            issueInstant: .now, contactData: Sandboxed.contact, signer: jean, certificateIdentifier: CertificateIdentifierType(actor: jean))).contract)
        let key = try EHealthCertificateSigningRequest.generatePrivateKey()
        let csr = try EHealthCertificateSigningRequest(contractDistinguishedName: contract.dn, privateKey: .init(key))
        let generated = try await certRA.generateCertificate(try await Sandboxed.signer.sign({ signature in
            GenerateCertificateRequestType(issueInstant: .now, eHealthCSR: EHealthCertificateSigningRequestType(
                contactData: Sandboxed.contact, csr: Data(csr.derEncoded), contract: contract), signature: signature)
        }, with: try keystore.signingKey(alias: "Signature")))
        let publicKeyIdentifier = try require(generated.publicKeyIdentifier)

        // Then a burst of writes, killed in the middle.
        let acknowledged = Counter()
        let burst = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        let request = GenerateContractRequestType(issueInstant: .now, contactData: Sandboxed.contact, signer: jean,
                                                                  certificateIdentifier: CertificateIdentifierType(actor: jean))
                        // The eighth answer kills the server at once, from the task that got it: a
                        // watcher polling beside the burst could run too late on a loaded machine.
                        if (try? await certRA.generateContract(request)) != nil, acknowledged.increment() == 8 {
                            child.kill()
                        }
                    }
                }
            }
        }
        await burst.value
        #expect(child.process.terminationReason == .uncaughtSignal)

        // The database is whole, and holds every acknowledged write.
        let state = try StateDatabase(directory: directory)
        #expect(state.integrity == "ok")
        #expect(state.contracts >= 1 + acknowledged.value)
        #expect(acknowledged.value < 100, "the kill came after the burst; nothing was tested")
        // Requested (and, once its delivery time passed, possibly issued) before the kill.
        #expect(["IN_PROGRESS", "VALID_ACTIVE"].contains(state.certificates[publicKeyIdentifier.hex]?.status ?? "missing"))

        // Served again, the sandbox knows the request and delivers its certificate.
        let restarted = try await SandboxFixture.start(SandboxConfiguration(deliveryDelay: 0), directory: directory, session: session)
        let chain = try await restarted.certificateChain(publicKeyIdentifier, attempts: 1)
        #expect(chain[0].subject == (try EHealthDistinguishedName(contract.dn).distinguishedName))
        await session.stopAll()
        restarted.expectValidResponses()
    }
}

/// A count several tasks add to.
final class Counter: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    @discardableResult
    func increment() -> Int {
        count.withLock { $0 += 1; return $0 }
    }
}
