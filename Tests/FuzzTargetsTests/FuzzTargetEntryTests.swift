import _CryptoExtras
import Foundation
import FuzzTargets
import Generated
import Sandbox
import SOAPRuntime
import Security
import Testing
import X509

/// Each fuzz target's entry logic, without the sanitizers: its seeds come out of a (small)
/// demo's artifacts and each runs through the target without a crash. The findings' inputs are
/// in the regression tests of the modules concerned.
@Suite(.serialized)
struct FuzzTargetEntryTests {
    @Test func soapResponseSeedsAreTheTracedResponsesAndDecode() throws {
        let demo = try MiniDemo.artifacts.get()
        let seeds = try SOAPResponseTarget.seeds(from: demo)
        #expect(seeds.count == 1)
        let payload = try SOAPEnvelope.parse(try #require(seeds.first)).payload
        #expect(payload.name == CertRaV2Client.Operations.getGenericOrganizationTypes.outputElement)
        #expect(try EHealthStatus.read(from: payload)?.isSuccess == true)
        try run(SOAPResponseTarget.self, on: seeds + [Data("<a/>".utf8), Data()])
    }

    @Test func soapFaultSeedsHoldFaultsWithTheirDetail() throws {
        let seeds = try SOAPFaultTarget.seeds(from: try MiniDemo.artifacts.get())
        let faults = seeds.compactMap { seed -> SOAPFault? in
            do { _ = try SOAPEnvelope.parse(seed); return nil } catch { return error as? SOAPFault }
        }
        #expect(faults.map { $0.soaError?.code } == ["SOA-03001", "SOA-01001", nil])
        try run(SOAPFaultTarget.self, on: seeds + [Data([0x3C])])
    }

    @Test func signatureTargetRunsOnTheTracedRequests() throws {
        let seeds = try SignatureTarget.seeds(from: try MiniDemo.artifacts.get())
        #expect(seeds.count == 1)
        try run(SignatureTarget.self, on: seeds)
    }

    @Test func pkcs12SeedsOpenWithTheFuzzPassword() throws {
        let seeds = try PKCS12Target.seeds(from: try MiniDemo.artifacts.get())
        #expect(seeds.count == 9)  // three citizens' eIDs, three formats each
        for seed in seeds {
            let keystore = try Keystore(pkcs12: seed, password: PKCS12Target.password)
            #expect(keystore.format?.iterations == 1)
        }
        try run(PKCS12Target.self, on: seeds)
    }

    @Test func etkTargetRunsOnCertificatesAndGarbage() throws {
        let pem = try String(contentsOf: try MiniDemo.artifacts.get().sandboxDirectory.appendingPathComponent("trust/ehealth-root.pem"), encoding: .utf8)
        let der = try #require(Data(base64Encoded: pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()))
        try run(ETKTarget.self, on: [der, Data(pem.utf8), Data([0x30, 0x80]), Data()])
    }

    @Test func csrDistinguishedNameSeedsCoverEveryMode() throws {
        let seeds = try CSRDistinguishedNameTarget.seeds(from: try MiniDemo.artifacts.get())
        #expect(Set(seeds.compactMap(\.first)) == [1, 2])
        let name = try #require(seeds.first { $0.first == 1 }.map { String(decoding: $0.dropFirst(), as: UTF8.self) })
        #expect(try EHealthDistinguishedName(name).identifier.description == "SSIN=85073003328")
        let key = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        let csr = try EHealthCertificateSigningRequest(contractDistinguishedName: name, privateKey: key)
        try run(CSRDistinguishedNameTarget.self, on: seeds + [Data([0]) + Data(csr.derEncoded)])
    }

    @Test func sandboxRequestTargetAnswersTheTracedRequests() throws {
        let seeds = try SandboxRequestTarget.seeds(from: try MiniDemo.artifacts.get())
        #expect(seeds.count == 1)
        try run(SandboxRequestTarget.self, on: seeds + [Data("<x/>".utf8)])
    }

    private func run<Target: FuzzTarget>(_ target: Target.Type, on inputs: [Data]) throws {
        let instance = try Target(environment: FuzzEnvironment(sandboxSource: try MiniDemo.artifacts.get().sandboxDirectory))
        for input in inputs { instance.run(input) }
    }
}

/// A sandbox world and the trace of one exchange with it, standing in for the demo's folder:
/// made once per test run (the world's keys take seconds).
enum MiniDemo {
    static let artifacts: Result<DemoArtifacts, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-targets-tests-\(UUID().uuidString)")
        let demo = DemoArtifacts(workDirectory: folder, traceDirectory: folder.appendingPathComponent("trace"))
        try FileManager.default.createDirectory(at: demo.traceDirectory, withIntermediateDirectories: true)
        let sandbox = try InProcessSandbox(stateDirectory: demo.sandboxDirectory)
        let soap = SOAPClient(endpoint: sandbox.certRAEndpoint, transport: sandbox.transport,
                              trace: try SOAPTrace(directory: demo.traceDirectory))
        let done = DispatchSemaphore(value: 0)
        Task {
            _ = try? await CertRaV2Client(soap: soap).getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            done.signal()
        }
        done.wait()
        return demo
    }
}
