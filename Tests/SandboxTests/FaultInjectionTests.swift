import _CryptoExtras
import Foundation
import Generated
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import Testing
import X509

/// The sandbox's staged network faults (issue 4), seen by a real HTTP client: every fault kind,
/// before the request is handled (no effect) and after (the effect stays, the answer is lost),
/// counts that run out, and `ehcert-sandbox serve --fault`.
@Suite("Fault injection through real HTTP", .serialized)
struct FaultInjectionTests {
    /// Clients on a transport of their own. A connection URLSession reuses and the server then
    /// drops is resent once by libcurl, without telling the caller; a fresh transport's first
    /// request goes over a new connection, so the fault reaches the caller as it was staged.
    /// (The faults' responses are also kept out of the fixture's recorder, whose answers are
    /// checked against the XSDs.)
    struct FreshClient {
        let certRA: CertRaV2Client
        let etkRA: EtkRaV2Client
        let transport: URLSessionTransport

        init(_ fixture: SandboxFixture) throws {
            transport = try URLSessionTransport()
            certRA = CertRaV2Client(soap: SOAPClient(endpoint: fixture.sandbox.certRAEndpoint, transport: transport))
            etkRA = EtkRaV2Client(soap: SOAPClient(endpoint: fixture.sandbox.etkRAEndpoint, transport: transport))
        }

        /// The raw HTTP answer to a getGenericOrganizationTypes request.
        func organizationTypesExchange(_ fixture: SandboxFixture) async throws -> SOAPHTTPResponse {
            let operation = CertRaV2Client.Operations.getGenericOrganizationTypes
            let envelope = try SOAPEnvelope.request(body: operation.inputElement, GetGenericOrganizationTypesRequestType(issueInstant: .now))
            return try await transport.send(SOAPHTTPRequest(url: fixture.sandbox.certRAEndpoint, soapAction: operation.soapAction,
                                                            body: Data(envelope.utf8)))
        }
    }

    /// A signed generateCertificate for Jean's own certificate, ready to send (the same bytes can be
    /// sent twice), with the PublicKeyIdentifier its CSR carries.
    static func certificateRequest(_ fixture: SandboxFixture) async throws -> (GenerateCertificateRequestType, Generated.PublicKeyIdentifier) {
        let jean = try fixture.citizen(Sandboxed.jean)
        let contract = try await fixture.contract(signedBy: jean)
        let key = try EHealthCertificateSigningRequest.generatePrivateKey()
        let csr = try EHealthCertificateSigningRequest(contractDistinguishedName: contract.dn, privateKey: Certificate.PrivateKey(key))
        let request = try await Sandboxed.signer.sign({ signature in
            GenerateCertificateRequestType(issueInstant: .now, eHealthCSR: EHealthCertificateSigningRequestType(
                contactData: Sandboxed.contact, csr: Data(csr.derEncoded), contract: contract), signature: signature)
        }, with: jean.signature)
        let identifier = try Generated.PublicKeyIdentifier(HexBinary(Data(try csr.publicKeyIdentifier.bytes)))
        return (request, identifier)
    }

    // MARK: each kind

    @Test("latency: the answer comes no sooner than the staged delay, and it is the normal answer")
    func latency() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.latency(.milliseconds(600)), on: .getGenericOrganizationTypes)
            let client = try FreshClient(fixture)
            let clock = ContinuousClock()
            let started = clock.now
            let types = try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            #expect(clock.now - started >= .milliseconds(600))
            #expect(types.organizationType.contains { $0.identifierType == "CBE" })
            #expect(fixture.sandbox.faults.applied == [.init(operation: .getGenericOrganizationTypes, fault: .latency(.milliseconds(600)))])
        }
    }

    @Test("503: HTTP 503 with a load balancer's page, which the SOAP client reports as that status")
    func serviceUnavailable() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.serviceUnavailable(), on: .getGenericOrganizationTypes, count: .times(2))
            let client = try FreshClient(fixture)
            let response = try await client.organizationTypesExchange(fixture)
            #expect(response.statusCode == 503)
            #expect(response.contentType?.hasPrefix("text/html") == true)
            #expect(String(decoding: response.body, as: UTF8.self).contains("Service Unavailable"))

            let error = await #expect(throws: SOAPError.self) {
                try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            }
            #expect(error?.code == .httpStatus)
            #expect(error?.httpStatus == 503)
        }
    }

    @Test("dropped connection: no HTTP response at all, a transport error for the client (not a 500)")
    func droppedConnection() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.droppedConnection(), on: .getGenericOrganizationTypes)
            let client = try FreshClient(fixture)
            let error = await #expect(throws: SOAPError.self) { try await client.organizationTypesExchange(fixture) }
            #expect(error?.code == .transport)
            #expect(error?.httpStatus == nil)
            // The server itself is fine: the next call, on a new connection, is answered.
            let types = try await FreshClient(fixture).certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            #expect(!types.organizationType.isEmpty)
        }
    }

    @Test("malformed response: HTTP 200 text/xml that is not XML, which the client cannot parse")
    func malformedResponse() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.malformedResponse(), on: .getGenericOrganizationTypes, count: .times(2))
            let client = try FreshClient(fixture)
            let response = try await client.organizationTypesExchange(fixture)
            #expect(response.statusCode == 200)
            #expect(response.contentType?.hasPrefix("text/xml") == true)
            #expect(throws: XMLError.self) { try SOAPRuntime.XMLDocument(parsing: response.body) }

            await #expect(throws: XMLError.self) {
                try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            }
        }
    }

    // MARK: counts

    @Test("counts run out: the next N calls are hit, then the operation answers normally; other operations are never hit")
    func countsExpire() async throws {
        try await SandboxFixture.with { fixture in
            let faults = fixture.sandbox.faults
            faults.inject(.serviceUnavailable(), on: .getGenericOrganizationTypes, count: .times(2))
            faults.inject(.malformedResponse(), on: .getGenericOrganizationTypes)
            let client = try FreshClient(fixture)
            #expect(try await client.organizationTypesExchange(fixture).statusCode == 503)
            #expect(faults.plan.rules.first?.remaining == .times(1))
            // Another operation is not affected by the plan.
            _ = try await fixture.contract(signedBy: try fixture.citizen(Sandboxed.jean))
            #expect(try await client.organizationTypesExchange(fixture).statusCode == 503)
            // The next rule for the operation, in the order given.
            let malformed = try await client.organizationTypesExchange(fixture)
            #expect(malformed.statusCode == 200)
            #expect(throws: XMLError.self) { try SOAPRuntime.XMLDocument(parsing: malformed.body) }
            #expect(faults.plan.isEmpty)
            let types = try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
            #expect(!types.organizationType.isEmpty)
            #expect(faults.applied.map(\.fault) == [.serviceUnavailable(), .serviceUnavailable(), .malformedResponse()])
        }
    }

    @Test("always: every call is hit until the plan is cleared")
    func always() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.serviceUnavailable(), on: .getGenericOrganizationTypes, count: .always)
            let client = try FreshClient(fixture)
            for _ in 1...3 {
                #expect(try await client.organizationTypesExchange(fixture).statusCode == 503)
            }
            fixture.sandbox.faults.removeAll()
            #expect(try await client.organizationTypesExchange(fixture).statusCode == 200)
        }
    }

    // MARK: before or after the request is handled

    @Test("a fault before handling has no effect: the same generateCertificate sent again is accepted")
    func beforeHandlingHasNoEffect() async throws {
        try await SandboxFixture.with { fixture in
            let (request, identifier) = try await Self.certificateRequest(fixture)
            fixture.sandbox.faults.inject(.serviceUnavailable(), on: .generateCertificate)
            let client = try FreshClient(fixture)
            let refused = await #expect(throws: SOAPError.self) { try await client.certRA.generateCertificate(request) }
            #expect(refused?.httpStatus == 503)
            // The platform never saw it: the key is unknown, and the request goes through now.
            await expectRefusal("AUTH_CERT_NOT_FOUND") { try await fixture.getCertificate(identifier) }
            let accepted = try await client.certRA.generateCertificate(request)
            #expect(accepted.publicKeyIdentifier == identifier)
        }
    }

    @Test("a lost answer: generateCertificate is handled, the connection dropped; the certificate is issued all the same",
          arguments: [SandboxFault.droppedConnection(.afterHandling), .malformedResponse(.afterHandling), .serviceUnavailable(.afterHandling)])
    func lostAnswerKeepsTheEffect(fault: SandboxFault) async throws {
        try await SandboxFixture.with { fixture in
            let (request, identifier) = try await Self.certificateRequest(fixture)
            fixture.sandbox.faults.inject(fault, on: .generateCertificate)
            let client = try FreshClient(fixture)
            await #expect(throws: (any Error).self, "\(fault)") { try await client.certRA.generateCertificate(request) }
            #expect(fixture.sandbox.faults.applied.map(\.fault) == [fault])
            // The platform did it: the certificate is delivered, and the same CSR is now a duplicate.
            let chain = try await fixture.certificateChain(identifier)
            #expect(chain.count >= 2)
            await expectRefusal("CSR_PUB_KEY_NOT_UNIQUE") { try await client.certRA.generateCertificate(request) }
        }
    }

    @Test("a truncated answer is the real answer cut off: it starts like the envelope and is no XML document")
    func truncatedAnswer() async throws {
        try await SandboxFixture.with { fixture in
            fixture.sandbox.faults.inject(.malformedResponse(.afterHandling), on: .getGenericOrganizationTypes)
            let client = try FreshClient(fixture)
            let cut = try await client.organizationTypesExchange(fixture)
            let whole = try await client.organizationTypesExchange(fixture)
            #expect(cut.statusCode == 200)
            #expect(cut.body.count < whole.body.count)
            #expect(String(decoding: cut.body, as: UTF8.self).hasPrefix("<soapenv:Envelope"))
            #expect(throws: XMLError.self) { try SOAPRuntime.XMLDocument(parsing: cut.body) }
            _ = try SOAPRuntime.XMLDocument(parsing: whole.body)
        }
    }

    // MARK: the text form

    @Test("rules as `serve --fault` takes them: OPERATION=KIND[:COUNT]")
    func parsing() throws {
        #expect(try SandboxFaultPlan.Rule(parsing: "getCertificate=503") == .init(.serviceUnavailable(), on: .getCertificate))
        #expect(try SandboxFaultPlan.Rule(parsing: "generateCertificate=drop-after:2")
                == .init(.droppedConnection(.afterHandling), on: .generateCertificate, count: .times(2)))
        #expect(try SandboxFaultPlan.Rule(parsing: "completeetkregistration=malformed:always")
                == .init(.malformedResponse(), on: .completeETKRegistration, count: .always))
        #expect(try SandboxFaultPlan.Rule(parsing: "getActorQualities=latency-1.5")
                == .init(.latency(.milliseconds(1500)), on: .getActorQualities))
        for fault in [SandboxFault.latency(.milliseconds(1500), .afterHandling), .latency(.seconds(2)), .droppedConnection(), .serviceUnavailable(.afterHandling)] {
            #expect(try SandboxFault(parsing: fault.description) == fault)
        }

        let unknownOperation = #expect(throws: SandboxFaultSyntaxError.self) { try SandboxFaultPlan.Rule(parsing: "getCertificat=503") }
        #expect(unknownOperation?.description.contains("getCertificate") == true, "lists the operations")
        let unknownKind = #expect(throws: SandboxFaultSyntaxError.self) { try SandboxFaultPlan.Rule(parsing: "getCertificate=500") }
        #expect(unknownKind?.description.contains("503, drop, malformed or latency-SECONDS") == true)
        #expect(throws: SandboxFaultSyntaxError.self) { try SandboxFaultPlan.Rule(parsing: "getCertificate=drop:0") }
        #expect(throws: SandboxFaultSyntaxError.self) { try SandboxFaultPlan.Rule(parsing: "getCertificate=latency-x") }
    }

    @Test("ehcert-sandbox serve --fault stages the plan for an out-of-process client",
          .enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
    func serveWithFaults() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServingSandboxProcess(arguments: ["serve", "--state", directory.path, "--port", "0",
                                                           "--fault", "getGenericOrganizationTypes=503:2",
                                                           "--fault", "getGenericOrganizationTypes=drop"])
        defer { server.kill() }
        let baseURL = try await server.waitFor("the endpoints") { ServingSandboxProcess.baseURL(inEndpointLine: $0) }
        #expect(server.printed.contains("staged faults: getGenericOrganizationTypes=503:2, getGenericOrganizationTypes=drop:1"))

        func organizationTypes() async throws -> GetGenericOrganizationTypesResponseType {
            // A transport per call: each call on a new connection (see FreshClient).
            let client = CertRaV2Client(soap: SOAPClient(endpoint: baseURL.appendingPathComponent("CertRa/v2"), transport: try URLSessionTransport()))
            return try await client.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        }
        for _ in 1...2 {
            let error = await #expect(throws: SOAPError.self) { try await organizationTypes() }
            #expect(error?.httpStatus == 503)
        }
        let dropped = await #expect(throws: SOAPError.self) { try await organizationTypes() }
        #expect(dropped?.code == .transport)
        #expect(!(try await organizationTypes()).organizationType.isEmpty)
    }

    @Test("serve refuses a fault it cannot understand, saying what it expects",
          .enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
    func serveRefusesBadFault() throws {
        let output = try SandboxExecutable.run(["serve", "--state", "/nonexistent", "--fault", "getCertificate=explode"])
        #expect(output.status != 0)
        #expect(output.standardError.contains("503, drop, malformed or latency-SECONDS"))
        let help = try SandboxExecutable.run(["serve", "--help"])
        #expect(help.standardOutput.contains("--fault"))
        #expect(help.standardOutput.contains("drop-after"))
    }
}
