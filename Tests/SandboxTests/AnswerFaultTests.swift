import Foundation
import Generated
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import Testing

/// Staged answers (issue 15, item 9): any eHealth status code, any SOA fault code, for any
/// operation, before or after the request's effects; over HTTP, in-process, and from
/// `ehcert-sandbox serve --fault`. Every answer is the operation's own response, checked
/// against the official XSDs by the fixture.
@Suite("Fault injection: staged eHealth statuses and SOA faults", .serialized)
struct AnswerFaultTests {
    @Test("status:CODE and soap-fault:CODE as `serve --fault` takes them, with -after and a count")
    func parsing() throws {
        #expect(try SandboxFaultPlan.Rule(parsing: "getCertificate=status:CSR_NOT_VALID")
                == .init(.status("CSR_NOT_VALID"), on: .getCertificate))
        #expect(try SandboxFaultPlan.Rule(parsing: "generateCertificate=status-after:CSR_PUB_KEY_NOT_UNIQUE:2")
                == .init(.status("CSR_PUB_KEY_NOT_UNIQUE", .afterHandling), on: .generateCertificate, count: .times(2)))
        #expect(try SandboxFaultPlan.Rule(parsing: "getActorQualities=soap-fault:SOA-03001:always")
                == .init(.soapFault("SOA-03001"), on: .getActorQualities, count: .always))
        for fault in [SandboxFault.status("AUTH_CERT_NOT_FOUND"), .status("X", .afterHandling), .soapFault("SOA-03003"), .soapFault("SOA-03002", .afterHandling)] {
            #expect(try SandboxFault(parsing: fault.description) == fault)
            let rule = SandboxFaultPlan.Rule(fault, on: .revoke, count: .times(3))
            #expect(try SandboxFaultPlan.Rule(parsing: rule.description) == rule)
        }
        #expect(SandboxFault.status("A").kind.isAnswer && SandboxFault.soapFault("B").kind.isAnswer)
        #expect(!SandboxFault.droppedConnection().kind.isAnswer)
        for wrong in ["getCertificate=status:", "getCertificate=status:csr_not_valid", "getCertificate=status:A B", "getCertificate=status:A:1:2"] {
            #expect(throws: SandboxFaultSyntaxError.self, "\(wrong)") { try SandboxFaultPlan.Rule(parsing: wrong) }
        }
    }

    @Test("an injected status is the operation's response, with its Status and EteeStatusDetail error, answering the request")
    func statusOverHTTP() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.status("CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED"), on: .getGenericOrganizationTypes)
            let error = await #expect(throws: EHealthStatusError.self) {
                try await fixture.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            }
            #expect(error?.errors.map(\.code) == ["CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED"])
            #expect(error?.statusCode == "urn:be:fgov:ehealth:2.0:status:Requester")
            // Spent: the next call is answered normally.
            let normal = try await fixture.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            #expect(!normal.organizationType.isEmpty)
        }
    }

    @Test("status-after: generateCertificate is handled (the certificate is issued), only its answer is the staged code")
    func statusAfterHandling() async throws {
        try await SandboxFixture.with { fixture in
            let (request, identifier) = try await FaultInjectionTests.certificateRequest(fixture)
            fixture.sandbox.faults.inject(.status("CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED", .afterHandling), on: .generateCertificate)
            await expectRefusal("CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED") { try await fixture.certRA.generateCertificate(request) }
            let chain = try await fixture.certificateChain(identifier)
            #expect(chain.count >= 2, "the platform did the work: the certificate is issued")
        }
    }

    @Test("the not-yet-valid codes carry a date, as the platform's message does")
    func notYetValidCarriesADate() async throws {
        try await SandboxFixture.with { fixture in
            let (request, identifier) = try await FaultInjectionTests.certificateRequest(fixture)
            _ = try await fixture.certRA.generateCertificate(request)
            _ = try await fixture.certificateChain(identifier)
            fixture.sandbox.faults.inject(.status("AUTH_CERT_NOT_YET_VALID"), on: .getCertificate)
            let error = await #expect(throws: EHealthStatusError.self) { try await fixture.getCertificate(identifier) }
            let detail = try require(error?.errors.first, "error")
            #expect(detail.code == "AUTH_CERT_NOT_YET_VALID")
            #expect(detail.message.contains("valid from 20"), "\(detail.message)")
            #expect(detail.parameters.map(\.name) == ["validFrom"])
        }
    }

    @Test("soap-fault:CODE is a SOAP fault with the SOA error; getExistingApplicationIds, whose answer has no Status, gets its status as one")
    func soapFaults() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.soapFault("SOA-03002"), on: .getGenericOrganizationTypes)
            let fault = await #expect(throws: SOAPFault.self) {
                try await fixture.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            }
            #expect(fault?.soaError?.code == "SOA-03002")
            #expect(fault?.faultCodeName?.localName == "Client")

            fixture.sandbox.faults.inject(.status("CSR_NOT_VALID"), on: .getExistingApplicationIds)
            let statusAsFault = await #expect(throws: SOAPFault.self) {
                try await fixture.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                    issueInstant: .now, organizationIdentifier: Sandboxed.dupontCBE))
            }
            #expect(statusAsFault?.soaError?.code == "CSR_NOT_VALID")
        }
    }

    @Test("in-process: staged answers strike, network faults stay staged for an HTTP server")
    func inProcess() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sandbox = try InProcessSandbox(stateDirectory: directory)
        let certRA = CertRaV2Client(soap: SOAPClient(endpoint: sandbox.certRAEndpoint, transport: sandbox.transport))
        sandbox.faults.inject(.status("NO_VALID_AUTH_CERT_FOUND"), on: .getGenericOrganizationTypes)
        sandbox.faults.inject(.droppedConnection(), on: .getCertificate)
        let error = await #expect(throws: EHealthStatusError.self) {
            try await certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        }
        #expect(error?.errors.first?.code == "NO_VALID_AUTH_CERT_FOUND")
        await expectRefusal("AUTH_CERT_NOT_FOUND") {
            try await certRA.getCertificate(GetCertificateRequestType(
                issueInstant: .now, publicKeyIdentifier: try Generated.PublicKeyIdentifier(xmlText: String(repeating: "0B", count: 20))))
        }
        #expect(sandbox.faults.plan.rules.map(\.operation) == [.getCertificate])
    }

    @Test("ehcert-sandbox serve --fault OP=status:CODE stages it for an out-of-process client",
          .enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
    func serveWithStatus() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServingSandboxProcess(arguments: ["serve", "--state", directory.path, "--port", "0",
                                                           "--fault", "getGenericOrganizationTypes=status:RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD",
                                                           "--fault", "getGenericOrganizationTypes=soap-fault:SOA-03001"])
        defer { server.kill() }
        let baseURL = try await server.waitFor("the endpoints") { ServingSandboxProcess.baseURL(inEndpointLine: $0) }
        let client = CertRaV2Client(soap: SOAPClient(endpoint: baseURL.appendingPathComponent("CertRa/v2"), transport: try URLSessionTransport()))
        let status = await #expect(throws: EHealthStatusError.self) {
            try await client.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        }
        #expect(status?.errors.first?.code == "RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD")
        let fault = await #expect(throws: SOAPFault.self) {
            try await client.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        }
        #expect(fault?.soaError?.code == "SOA-03001")
        let normal = try await client.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        #expect(!normal.organizationType.isEmpty)
    }
}
