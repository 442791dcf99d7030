import Foundation
import Generated
import Sandbox
import SandboxHTTP
import SOAPRuntime
import Testing
import X509

/// `serve --tls`: HTTPS with a server certificate for the loopback names, whose root is
/// `trust/tls-root.pem`; clients that trust that root connect, others are refused.
@Suite(.serialized) struct TLSTests {
    static func organizationTypes(at sandbox: EmbeddedSandbox, trusting roots: [URL]) async throws -> GetGenericOrganizationTypesResponseType {
        let transport = try URLSessionTransport(configuration: .init(requestTimeout: 20, extraTrustRoots: roots))
        let client = CertRaV2Client(soap: SOAPClient(endpoint: sandbox.certRAEndpoint, transport: transport))
        return try await client.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(id: "_tls", issueInstant: .now))
    }

    static func withTLSSandbox(_ body: (EmbeddedSandbox) async throws -> Void) async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sandbox = try await EmbeddedSandbox.start(stateDirectory: directory, configuration: SandboxConfiguration(deliveryDelay: 0), tls: true)
        do {
            try await body(sandbox)
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    @Test func aClientTrustingTheSandboxRootTalksHTTPS() async throws {
        try await Self.withTLSSandbox { sandbox in
            #expect(sandbox.baseURL.scheme == "https")
            #expect(sandbox.certRAEndpoint.absoluteString.hasPrefix("https://127.0.0.1:"))
            let response = try await Self.organizationTypes(at: sandbox, trusting: [sandbox.tlsRootFile])
            #expect(response.status.statusCode.value == "urn:be:fgov:ehealth:2.0:status:Success")
            #expect(response.organizationType.contains { $0.identifierType == "CBE" })
        }
    }

    @Test func aClientThatDoesNotTrustTheRootIsRefused() async throws {
        try await Self.withTLSSandbox { sandbox in
            // Another root than the sandbox's: the handshake must fail on the certificate.
            let otherRoot = FileManager.default.temporaryDirectory.appendingPathComponent("other-root-\(UUID().uuidString).pem")
            defer { try? FileManager.default.removeItem(at: otherRoot) }
            try FileManager.default.copyItem(at: sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem"), to: otherRoot)
            await #expect(throws: (any Error).self) {
                _ = try await Self.organizationTypes(at: sandbox, trusting: [otherRoot])
            }
        }
    }

    @Test func plainHTTPToTheHTTPSPortGetsNoSOAPAnswer() async throws {
        try await Self.withTLSSandbox { sandbox in
            var components = URLComponents(url: sandbox.certRAEndpoint, resolvingAgainstBaseURL: false)!
            components.scheme = "http"
            let transport = try URLSessionTransport(configuration: .init(requestTimeout: 10))
            let client = CertRaV2Client(soap: SOAPClient(endpoint: try require(components.url), transport: transport))
            await #expect(throws: (any Error).self) {
                _ = try await client.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(id: "_plain", issueInstant: .now))
            }
        }
    }

    /// OpenSSL, as another TLS client, verifies the chain and the names the certificate covers.
    @Test func opensslVerifiesTheServerCertificateForTheLoopbackNames() async throws {
        try await Self.withTLSSandbox { sandbox in
            for check in [["-verify_ip", "127.0.0.1"], ["-verify_hostname", "localhost"]] {
                let result = try Self.run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(sandbox.port)", "-CAfile", sandbox.tlsRootFile.path,
                                                              "-verify_return_error", "-brief"] + check, input: "Q\n")
                #expect(result.status == 0, "openssl s_client \(check): \(result.output)")
                #expect(result.output.contains("Verification: OK"), "\(result.output)")
            }
            let wrongName = try Self.run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(sandbox.port)", "-CAfile", sandbox.tlsRootFile.path,
                                                             "-verify_return_error", "-brief", "-verify_hostname", "ehealth.fgov.be"], input: "Q\n")
            #expect(wrongName.status != 0, "a certificate for another name must not verify")
        }
    }

    @Test func theIdentityIsMadeOnceAndKeptAcrossRestarts() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let world = try SandboxWorld.load(from: directory)
        let first = try SandboxTLSIdentity.ensure(in: world)
        let rootPEM = try Data(contentsOf: SandboxTLSIdentity.rootFile(in: world))
        let second = try SandboxTLSIdentity.ensure(in: world)
        #expect(first.certificateChain == second.certificateChain)
        #expect(try Data(contentsOf: SandboxTLSIdentity.rootFile(in: world)) == rootPEM)
        let server = try require(first.certificateChain.first)
        let names = try require(server.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("localhost")))
        #expect(server.issuer == first.certificateChain[1].subject)
        let keyFile = directory.appendingPathComponent("tls/server-key.pem")
        let permissions = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test(.enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
    func serveWithTLSPrintsTheHTTPSEndpointsAndTheRootToTrust() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServingSandboxProcess(arguments: ["serve", "--state", directory.path, "--port", "0", "--tls"])
        defer { server.kill() }
        let printed = try await server.waitFor("the HTTPS endpoints") { text in text.contains("HTTPS: trust") ? text : nil }
        #expect(printed.contains("https://127.0.0.1:"))
        #expect(printed.contains(directory.appendingPathComponent("trust/tls-root.pem").path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("trust/tls-root.pem").path))
    }

    struct ToolResult { let status: Int32; let output: String }

    static func run(_ tool: String, _ arguments: [String], input: String) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
