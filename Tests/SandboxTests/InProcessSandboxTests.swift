import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing

/// The engine behind `InProcessSandbox.transport` (what `ehcert demo` talks to) answers like the
/// HTTP server: same refusals, same checks of signatures and schemas.
@Suite struct InProcessSandboxTests {
    static func withSandbox(_ body: (InProcessSandbox) async throws -> Void) async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(try InProcessSandbox(stateDirectory: directory, configuration: SandboxConfiguration(deliveryDelay: 0)))
    }

    @Test func aSignedRequestIsAnsweredAndATamperedOneRefused() async throws {
        try await Self.withSandbox { sandbox in
            let citizen = try require(sandbox.world.citizen(ssin: "85073003328"), "citizen")
            let keystore = try Keystore(contentsOf: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)
            let authentication = try keystore.signingKey(alias: "Authentication")
            let certRA = CertRaV2Client(soap: SOAPClient(endpoint: sandbox.certRAEndpoint, transport: sandbox.transport))
            let signed = try await EnvelopedSigner().sign({ signature in
                GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: citizen.ssin), signature: signature)
            }, with: authentication)
            let qualities = try await certRA.getActorQualities(signed)
            #expect(qualities.naturalPersonAuthorization == true)

            // The same request for someone else, with the signature left as it was.
            var tampered = signed
            tampered.ssin = IdType(type: "SSIN", value: "90021512766")
            await #expect(throws: (any Error).self) { try await certRA.getActorQualities(tampered) }
        }
    }

    @Test func refusalsAreTheServersOnes() async throws {
        try await Self.withSandbox { sandbox in
            let operation = CertRaV2Client.Operations.getGenericOrganizationTypes
            let notXML = try await sandbox.transport.send(SOAPHTTPRequest(url: sandbox.certRAEndpoint, soapAction: operation.soapAction,
                                                                         body: Data("this is not XML at all".utf8)))
            _ = try SOAPFaultTests.expectFault(notXML, code: "SOA-03001")

            let nowhere = try await sandbox.transport.send(SOAPHTTPRequest(url: InProcessSandbox.baseURL.appendingPathComponent("Other/v2"),
                                                                          soapAction: operation.soapAction, body: Data()))
            #expect(nowhere.statusCode == 404)

            let tooLarge = try await sandbox.transport.send(SOAPHTTPRequest(url: sandbox.certRAEndpoint, soapAction: operation.soapAction,
                                                                           body: Data(count: SandboxEngine.maximumRequestBytes + 1)))
            #expect(tooLarge.statusCode == 413)

            // A header an HTTP transport could not send is refused here too.
            await #expect(throws: SOAPError.self) {
                try await sandbox.transport.send(SOAPHTTPRequest(url: sandbox.certRAEndpoint, soapAction: "a\"b", body: Data()))
            }
        }
    }

    @Test func aForeignerConfirmsThroughTheValidationLink() async throws {
        try await Self.withSandbox { sandbox in
            await #expect(throws: SandboxError.self) {
                try await sandbox.confirmForeigner(validationURL: InProcessSandbox.baseURL.appendingPathComponent("foreigner/validate/unknown-token"))
            }
            await #expect(throws: SandboxError.self) {
                try await sandbox.confirmForeigner(validationURL: InProcessSandbox.baseURL.appendingPathComponent("somewhere/else"))
            }
        }
    }
}
