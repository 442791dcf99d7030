import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import Testing
import X509

/// The create-new-ETK flow (cookbook 4.3.4) end to end against the embedded sandbox over HTTP.
@Suite("Create a new ETK against the sandbox", .serialized)
struct CreateETKFlowTests {
    /// Checks what the flow must produce: a keystore whose `authentication` certificate chains to
    /// the sandbox's eHealth root, and an ETK whose encryption certificate matches the key the
    /// keystore holds under the certificate's serial number.
    static func checkKeystore(_ result: CreateETKResult, sandbox: EmbeddedSandbox, expectETK: Bool = true) throws -> Keystore {
        let keystore = try Keystore(contentsOf: result.keystoreFile, password: FlowFixture.password)
        let authentication = try #require(keystore[Keystore.authenticationAlias])
        let chain = authentication.certificateChain
        #expect(chain.first == result.authenticationCertificate)
        #expect(try EHealthDistinguishedName(chain[0].subject) == EHealthDistinguishedName(result.distinguishedName))
        let root = try Certificate(pemEncoded: String(contentsOf: sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem"), encoding: .utf8))
        // Every certificate is signed by the next; the last by the root from the trust folder.
        for (certificate, issuer) in zip(chain, chain.dropFirst()) {
            #expect(certificate.issuer == issuer.subject)
            #expect(issuer.publicKey.isValidSignature(certificate.signature, for: certificate))
        }
        let top = try #require(chain.last)
        #expect(top.issuer == root.subject)
        #expect(root.publicKey.isValidSignature(top.signature, for: top))
        // The authentication key signs as its certificate says.
        _ = try keystore.authenticationKey()

        let encryptionAlias = result.encryptionKeyAlias
        #expect(keystore.encryptionAliases == [encryptionAlias])
        if expectETK {
            let etkFile = try #require(result.etkFile)
            let etk = try ETK(derEncoded: Data(contentsOf: etkFile))
            #expect(Keystore.alias(forEncryptionCertificate: etk.encryptionCertificate.certificate) == encryptionAlias)
            let key = try #require(keystore[encryptionAlias]?.privateKey)
            #expect(key.belongs(to: etk.encryptionCertificate.certificate))
            #expect(etk.hasEncryptionKey(try key.rsaEncryptionKey()))
            #expect(etk.authenticationCertificate == chain[0])
        } else {
            #expect(result.etkFile == nil)
            #expect(keystore[encryptionAlias]?.privateKey != nil)
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: result.keystoreFile.path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
        return keystore
    }

    @Test("a natural person: steps 1-13, polling through CERT_NOT_YET_DELIVERED, a complete keystore and ETK")
    func naturalPerson() async throws {
        // Delivery 10 s after the request: the first getCertificate finds nothing, however busy the machine.
        let sandbox = try await SandboxFixture.slowDelivery.sandbox()
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let folders = TestFolders()
        let transport = try RecordingTransport()
        let events = EventLog()
        let reviewed = EventLog()
        let flow = try CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let result = try await flow.run(
            eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
            settings: FlowFixture.settings(sandbox, transport: transport),
            reviewContract: { offer in
                reviewed.append(.notice(offer.distinguishedName))
                // Nothing is signed with the eID Signature key before the contract is accepted.
                #expect(transport.count("generatecertificate") == 0)
                #expect(offer.text(preferring: ["fr"])?.plainText.contains("Jean DUPONT") == true)
                return .accept
            },
            progress: { events.append($0) })

        #expect(result.distinguishedName == "CN=SSIN\\=85073003328,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN\\=85073003328,O=Federal Government,C=BE")
        // The contract as generateContract wrote it (the cookbook's form); the result in the escaped form.
        #expect(reviewed.events == [.notice("CN=SSIN=85073003328,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN=85073003328,O=Federal Government,C=BE")])
        #expect(events.startedSteps == [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        #expect(events.events.contains(.stepSkipped(FlowStep.CreateETK.getGenericOrganizationTypes, reason: "not needed for a natural person")))
        #expect(events.events.contains { if case .certificateNotYetDelivered = $0 { true } else { false } })
        #expect(transport.count("getcertificate") >= 2)
        #expect(transport.operations.filter { $0 != "getcertificate" } == [
            "getactorqualities", "generatecontract", "generatecertificate", "startetkregistration", "completeetkregistration",
        ])
        _ = try Self.checkKeystore(result, sandbox: sandbox)
        #expect(await flow.isFinished)
        #expect(folders.work.unfinishedFlows().isEmpty)

        // Running a finished flow again changes nothing and sends nothing.
        let sent = transport.operations.count
        let again = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
            settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        #expect(again.keystoreFile == result.keystoreFile)
        #expect(transport.operations.count == sent)
    }

    @Test("an EC P-384 eID (applet 1.8) signs with ECDSA-SHA384, and a cancelled poll resumes where it stopped")
    func ecEIDAndCancellation() async throws {
        let sandbox = try await SandboxFixture.slowDelivery.sandbox()
        let citizen = SandboxFixture.citizen("PEETERS", in: sandbox)
        #expect(citizen.keyKind == "EC P-384")
        let folders = TestFolders()
        let flow = try CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        // The first pause of the poll is interrupted, as Ctrl-C would.
        let interrupted = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: try RecordingTransport(), sleeper: CancellingSleeper()),
                               reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(interrupted?.category == .cancelled)
        #expect(await flow.nextStep == FlowStep.CreateETK.getCertificate)

        let transport = try RecordingTransport()
        let events = EventLog()
        let result = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: NoEIDKeySource(), keystorePassword: FlowFixture.password,
            settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { events.append($0) })
        // The eID is not needed again: steps 1-7 are done.
        #expect(events.alreadyDoneSteps == [1, 2, 5, 6, 7])
        #expect(!transport.operations.contains("getactorqualities"))
        #expect(!transport.operations.contains("generatecertificate"))
        _ = try Self.checkKeystore(result, sandbox: sandbox)
    }

    @Test("an organization with an application id: type rules, free id, a DN with the id; the id is then in use")
    func organization() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.organization(.init(type: "CBE", identifier: "0412345614", applicationID: "E2E-APP"))
        let transport = try RecordingTransport()
        let events = EventLog()
        let result = try await CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                                   workDirectory: folders.work)
            .run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                 settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { events.append($0) })
        let name = try EHealthDistinguishedName(result.distinguishedName)
        #expect(name.identifier.description == "CBE=0412345614")
        #expect(name.applicationID?.rawValue == "E2E-APP")
        #expect(name.name == "CABINET MEDICAL DUPONT SRL")
        #expect(events.startedSteps == Array(1...13))
        #expect(result.keystoreFile.lastPathComponent.hasPrefix("CBE=0412345614,E2E-APP "))
        _ = try Self.checkKeystore(result, sandbox: sandbox)

        let second = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                             workDirectory: folders.work)
        let secondTransport = try RecordingTransport()
        let inUse = await #expect(throws: CertManagerError.self) {
            try await second.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                                 settings: FlowFixture.settings(sandbox, transport: secondTransport), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(inUse?.code == .applicationIDInUse)
        #expect(!secondTransport.operations.contains("generatecontract"))
    }

    @Test("an identifier that fails the type's check digit is refused before the contract is asked for")
    func invalidOrganizationIdentifier() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await CreateETKFlow.start(FlowFixture.request(.organization(.init(type: "CBE", identifier: "0412345615", name: "Unknown SRL")), folders: folders),
                                          endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
                .run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                     settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(error?.code == .organizationIdentifierInvalid)
        #expect(transport.operations == ["getactorqualities", "getgenericorganizationtypes"])
    }

    @Test("a person without a health-care quality is told so, and nothing is recorded as done")
    func notAuthorized() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let flow = try CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let error = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("MARTIN", in: sandbox)), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(error?.code == .notAuthorized)
        #expect(error?.category == .refused)
        #expect(await flow.nextStep == FlowStep.CreateETK.signActorQualities)
    }

    @Test("a declined contract signs nothing; resume shows the same contract again without asking the qualities again")
    func declinedContract() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.organization(.init(type: "NIHII-HOSPITAL", identifier: "71000436", applicationID: "DECLINE"))
        let flow = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let transport = try RecordingTransport()
        let seen = EventLog()
        let declined = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: transport),
                               reviewContract: { seen.append(.notice($0.distinguishedName)); return .decline }, progress: { _ in })
        }
        #expect(declined?.code == .contractDeclined)
        #expect(declined?.category == .cancelled)
        #expect(!transport.operations.contains("generatecertificate"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folders.work.folder(for: flow.id).path) == ["journal.json"],
                "no key was made before the contract was accepted")

        let resumed = try RecordingTransport()
        let result = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password, settings: FlowFixture.settings(sandbox, transport: resumed),
            reviewContract: { seen.append(.notice($0.distinguishedName)); return .accept }, progress: { _ in })
        #expect(seen.events.count == 2)
        #expect(seen.events.first == seen.events.last)
        #expect(resumed.operations.prefix(1) == ["generatecertificate"])
        _ = try Self.checkKeystore(result, sandbox: sandbox)
    }

    @Test("manual validation: one poll, a pending stop, and after the operator's approval resume completes")
    func manualValidation() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let citizen = SandboxFixture.citizen("LAMBERT", in: sandbox)
        let folders = TestFolders()
        // Personal certificates are validated automatically (cookbook 4.3.4.2); her pharmacy's are not.
        let pharmacy = CreateETKRequest.Owner.organization(.init(type: "CBE", identifier: "0876543270"))
        let flow = try CreateETKFlow.start(FlowFixture.request(pharmacy, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let transport = try RecordingTransport()
        let pending = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(pending?.code.rawValue == "CERT_NOT_YET_DELIVERED")
        #expect(pending?.category == .pending)
        #expect(transport.count("getcertificate") == 1)

        let waiting = await sandbox.engine.pendingApprovals()
        let request = try #require(waiting.first { $0.dn.contains("0876543270") })
        try await sandbox.engine.approve(publicKeyIdentifier: request.publicKeyIdentifier)
        #expect(await sandbox.engine.pendingApprovals().isEmpty)
        // The platform e-mails once the certificate is issued: after the sandbox's delivery delay.
        try await Task.sleep(for: .milliseconds(400))

        let result = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: NoEIDKeySource(), keystorePassword: FlowFixture.password,
            settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })
        _ = try Self.checkKeystore(result, sandbox: sandbox)
    }

    @Test("resuming with another password fails before anything is sent")
    func wrongPassword() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.organization(.init(type: "CBE", identifier: "0412345614", applicationID: "PASSWORD"))
        let flow = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        // Stops after step 6 stored the key: generateCertificate cannot be sent.
        _ = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: try RecordingTransport(failing: .beforeSending(operation: "generatecertificate"))),
                               reviewContract: FlowFixture.accept, progress: { _ in })
        }
        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await CreateETKFlow.open(flow.id, in: folders.work).run(
                eID: NoEIDKeySource(), keystorePassword: "another", settings: FlowFixture.settings(sandbox, transport: transport),
                reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(error?.category == .configuration)
        #expect(transport.operations.isEmpty)
    }

    /// The points at which a run can stop with a request in flight.
    static let crashPoints: [RecordingTransport.Failure] = [
        "getactorqualities", "getgenericorganizationtypes", "getexistingapplicationids", "generatecontract",
        "generatecertificate", "getcertificate", "startetkregistration", "completeetkregistration",
    ].flatMap { [RecordingTransport.Failure.beforeSending(operation: $0), .afterSending(operation: $0)] }

    @Test("a run that stops at any request, sent or not, resumes to a complete keystore", arguments: crashPoints.indices)
    func resumeAfterStop(index: Int) async throws {
        let failure = Self.crashPoints[index]
        let sandbox = try await SandboxFixture.shared.sandbox()
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.organization(.init(type: "NIHII-HOSPITAL", identifier: "71000436", applicationID: "STOP-\(index)"))
        let flow = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let failing = try RecordingTransport(failing: failure)
        let stopped = await #expect(throws: CertManagerError.self, "\(failure)") {
            try await flow.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: failing), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(failing.failureInjected)
        #expect(stopped?.category == .unavailable)

        // A new process: the flow is opened from disk.
        let events = EventLog()
        let result = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
            settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()), reviewContract: FlowFixture.accept,
            progress: { events.append($0) })
        // Only when the answer to completeETKRegistration was lost is there no copy of the ETK.
        let etkLost: Bool
        if case .afterSending("completeetkregistration") = failure { etkLost = true } else { etkLost = false }
        _ = try Self.checkKeystore(result, sandbox: sandbox, expectETK: !etkLost)
        #expect(folders.work.unfinishedFlows().isEmpty)
    }
}

/// Interrupts the first pause, as a cancelled task would.
struct CancellingSleeper: Sleeper {
    func sleep(for duration: Duration) async throws { throw CancellationError() }
    var now: Date { Date() }
}

/// For runs that must not need the eID any more.
struct NoEIDKeySource: EIDKeySource {
    func authenticationKey() async throws -> any SigningKey {
        Issue.record("the eID Authentication key was asked for")
        throw CancellationError()
    }

    func signatureKey() async throws -> any SigningKey {
        Issue.record("the eID Signature key was asked for")
        throw CancellationError()
    }
}
