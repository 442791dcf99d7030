import CertManagerKit
import Foundation
import Generated
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import Testing

/// The flows against network faults the sandbox stages over real HTTP (issue 5, "each injected
/// network fault"): read-only calls are retried with backoff and the flow goes through; a call
/// that changes state is sent once, the flow stops with a transient error, and `resume`
/// finishes it, also when the platform did the work and only the answer was lost.
///
/// The flows use the real transport (``ConnectionOptions`` without a transport of the test's).
@Suite("Network faults: retries of safe calls, resume after unsafe ones", .serialized)
struct NetworkFaultTests {
    /// A sandbox of this suite's own, so that its faults hit no other suite's calls.
    actor Fixture {
        static let shared = Fixture()
        private var started: Task<EmbeddedSandbox, any Error>?

        func sandbox() async throws -> EmbeddedSandbox {
            let task = started ?? Task { try await Self.start() }
            started = task
            let sandbox = try await task.value
            // Whatever a failed test left staged is not the next test's business.
            sandbox.faults.removeAll()
            return sandbox
        }

        private static func start() async throws -> EmbeddedSandbox {
            // The shared sandbox's world (its keys take long to make), with a state of its own.
            let world = try await SandboxFixture.shared.sandbox().world.directory
            let copy = TestFolders().root.appendingPathComponent("sandbox")
            try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: world, to: copy)
            for file in try FileManager.default.contentsOfDirectory(atPath: copy.path) where file.hasPrefix("state") || file.hasPrefix(".state") {
                try FileManager.default.removeItem(at: copy.appendingPathComponent(file))
            }
            return try await EmbeddedSandbox.start(stateDirectory: copy, configuration: SandboxConfiguration(deliveryDelay: 0.2),
                                                   logLevel: .critical)
        }
    }

    /// Quick backoff without jitter, so that the pauses can be compared with the policy's.
    static let retry = RetryPolicy(maximumAttempts: 4, backoff: Backoff(initial: .milliseconds(20), multiplier: 2, maximum: .milliseconds(200)))

    /// The timeouts are generous: the whole suite shares two cores, and an in-process sandbox's
    /// answer can wait its turn for a long time; no test here depends on them.
    static func settings(_ sandbox: EmbeddedSandbox, sleeper: PauseRecordingSleeper) -> FlowSettings {
        FlowSettings(endpoints: FlowFixture.endpoints(sandbox), connection: ConnectionOptions(requestTimeout: .seconds(180)), retry: retry,
                     polling: PollingPolicy(backoff: Backoff(initial: .milliseconds(100), multiplier: 1.5, maximum: .milliseconds(400)),
                                            maximumWait: .seconds(180)),
                     sleeper: sleeper)
    }

    /// An organization of DUPONT's with an application id of its own: every test gets a DN no
    /// other certificate has.
    static func owner(_ applicationID: String) -> CreateETKRequest.Owner {
        .organization(.init(type: "NIHII-HOSPITAL", identifier: "71000436", applicationID: applicationID))
    }

    /// For application ids (upper case, digits, - and _).
    static func label(_ kind: SandboxFault.Kind) -> String {
        switch kind {
        case .latency: "LATENCY"
        case .serviceUnavailable: "503"
        case .droppedConnection: "DROP"
        case .malformedResponse: "MALFORMED"
        case .status: "STATUS"
        case .soapFault: "SOAPFAULT"
        }
    }

    static func retries(in events: EventLog) -> [(PlatformOperation, Int, Duration)] {
        events.events.compactMap {
            if case .retrying(let operation, let attempt, let delay, _) = $0 { (operation, attempt, delay) } else { nil }
        }
    }

    // MARK: safe to repeat

    /// Every read-only call of the create flow gets the fault, before or after the sandbox handled it.
    static let safeOperations: [SandboxOperation] = [.getActorQualities, .getGenericOrganizationTypes, .getExistingApplicationIds,
                                                     .generateContract, .getCertificate]

    @Test("a fault on every read-only call: each is sent again after the backoff's pause, and the flow completes",
          arguments: [SandboxFault.Kind.serviceUnavailable, .droppedConnection, .malformedResponse])
    func safeCallsAreRetried(kind: SandboxFault.Kind) async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        for (index, operation) in Self.safeOperations.enumerated() {
            // Half of them after the sandbox handled the call: a lost answer to a read is harmless.
            // A connection that URLSession reused and that the server drops is resent once by
            // libcurl itself; the second drop then reaches the flow.
            let moment: SandboxFault.Moment = index.isMultiple(of: 2) ? .beforeHandling : .afterHandling
            sandbox.faults.inject(SandboxFault(kind, moment), on: operation, count: .times(kind == .droppedConnection ? 2 : 1))
        }
        let sleeper = PauseRecordingSleeper()
        let events = EventLog()
        let result = try await CreateETKFlow.start(FlowFixture.request(Self.owner("SAFE-" + Self.label(kind)), folders: folders),
                                                   endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
            .run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                 settings: Self.settings(sandbox, sleeper: sleeper), reviewContract: FlowFixture.accept, progress: { events.append($0) })

        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
        #expect(sandbox.faults.plan.isEmpty, "every staged fault struck")
        let retries = Self.retries(in: events)
        for operation in Self.safeOperations {
            let platformOperation = try #require(PlatformOperation(name: operation.rawValue))
            let attempts = retries.filter { $0.0 == platformOperation }
            #expect(!attempts.isEmpty, "\(operation) was retried")
            // The backoff's pauses, in order: 20 ms before the 2nd attempt, 40 ms before the 3rd.
            #expect(attempts.map(\.1) == Array(2..<(2 + attempts.count)), "\(operation)")
            #expect(attempts.map(\.2) == attempts.indices.map { Self.retry.backoff.nominalDelay(afterAttempt: $0 + 1) }, "\(operation)")
        }
        for (_, _, delay) in retries {
            #expect(sleeper.pauses.contains(delay), "the flow paused for the retry's delay")
        }
    }

    @Test("latency is no failure: a slow answer is waited for, not retried")
    func latencyIsWaitedFor() async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        let earlier = sandbox.faults.applied.count
        sandbox.faults.inject(.latency(.milliseconds(300)), on: .generateCertificate)
        sandbox.faults.inject(.latency(.milliseconds(300), .afterHandling), on: .completeETKRegistration)
        let events = EventLog()
        let result = try await CreateETKFlow.start(FlowFixture.request(Self.owner("SLOW"), folders: folders),
                                                   endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
            .run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                 settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()), reviewContract: FlowFixture.accept, progress: { events.append($0) })
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
        #expect(Self.retries(in: events).isEmpty)
        #expect(sandbox.faults.applied.dropFirst(earlier).map(\.operation) == [.generateCertificate, .completeETKRegistration])
    }

    @Test("the information calls are retried too: a keystore's status and the citizen's list")
    func informationCallsAreRetried() async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        let created = try await CreateETKFlow.start(FlowFixture.request(Self.owner("INFO"), folders: folders),
                                                    endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
            .run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                 settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()), reviewContract: FlowFixture.accept, progress: { _ in })

        sandbox.faults.inject(.serviceUnavailable(), on: .getCertificateInfoForAuthenticationCertificate)
        sandbox.faults.inject(.malformedResponse(.afterHandling), on: .getCertificateInfoForAuthenticationCertificate)
        sandbox.faults.inject(.droppedConnection(.afterHandling), on: .getCertificateInfoForCitizen, count: .times(2))
        let information = CertificateInformation(endpoints: FlowFixture.endpoints(sandbox), settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()))
        let events = EventLog()
        let status = try await information.status(ofKeystore: created.keystoreFile, password: FlowFixture.password, progress: { events.append($0) })
        #expect(status.state == .validActive)
        #expect(status.etkState == .validActive)
        #expect(Self.retries(in: events).map(\.0) == [.getCertificateInfoForAuthenticationCertificate, .getCertificateInfoForAuthenticationCertificate])

        let listEvents = EventLog()
        let list = try await information.certificates(of: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), progress: { listEvents.append($0) })
        #expect(list.contains { $0.publicKeyIdentifier == status.publicKeyIdentifier })
        #expect(Self.retries(in: listEvents).contains { $0.0 == .getCertificateInfoForCitizen })
        #expect(sandbox.faults.plan.isEmpty)
    }

    @Test("a read-only call that keeps failing stops after the policy's attempts, with a transient error")
    func retriesRunOut() async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let earlier = sandbox.faults.applied.count
        sandbox.faults.inject(.serviceUnavailable(), on: .getGenericOrganizationTypes, count: .always)
        defer { sandbox.faults.removeAll() }
        let folders = TestFolders()
        let sleeper = PauseRecordingSleeper()
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.owner("DOWN"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let error = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                               settings: Self.settings(sandbox, sleeper: sleeper), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(error?.code == .httpError)
        #expect(error?.category == .unavailable)
        #expect(error?.isTransient == true)
        #expect(error?.operation == "CertRa.getGenericOrganizationTypes")
        #expect(sandbox.faults.applied.dropFirst(earlier).map(\.operation) == Array(repeating: .getGenericOrganizationTypes, count: Self.retry.maximumAttempts))
        #expect(sleeper.pauses == [.milliseconds(20), .milliseconds(40), .milliseconds(80)])
        #expect(await flow.nextStep == FlowStep.CreateETK.getGenericOrganizationTypes)
    }

    @Test("an answer that is not XML at all is transient (a cut connection); well-formed XML of the wrong shape is not")
    func unreadableAnswers() {
        let cut = CertManagerError(XMLError(.malformed, "premature end of data"), operation: "CertRa.getCertificate")
        #expect(cut.code == .malformedResponse)
        #expect(cut.isTransient)
        #expect(cut.category == .unavailable)
        let wrongShape = CertManagerError(XMLError(.missingElement, "Status"))
        #expect(!wrongShape.isTransient)
        #expect(wrongShape.category == .protocolViolation)
    }

    @Test("the transport knows every request's operation from the name SOAPClient gives it, so it can tell the unsafe ones")
    func operationsOfRequests() {
        typealias CertRA = CertRaV2Client.Operations
        typealias EtkRA = EtkRaV2Client.Operations
        let names: [(String, PlatformOperation, safe: Bool)] = [
            (CertRA.getActorQualities.name, .getActorQualities, true), (CertRA.generateCertificate.name, .generateCertificate, false),
            (CertRA.getCertificate.name, .getCertificate, true), (CertRA.revoke.name, .revoke, false),
            (CertRA.getExistingApplicationIds.name, .getExistingApplicationIds, true),
            (EtkRA.completeETKRegistration.name, .completeETKRegistration, false), (EtkRA.activateETK.name, .activateETK, false),
        ]
        for (name, operation, safe) in names {
            #expect(PlatformOperation(name: name) == operation, "\(name)")
            #expect(operation.isSafeToRepeat == safe, "\(name)")
        }
        #expect(PlatformOperation(name: "somethingElse") == nil)
        #expect(PlatformOperation.activateETK.qualifiedName == "EtkRa.activateETK")
        #expect(PlatformOperation.revoke.qualifiedName == "CertRa.revoke")
    }

    // MARK: not safe to repeat

    struct UnsafeCase: Sendable, CustomTestStringConvertible {
        let operation: SandboxOperation
        let fault: SandboxFault
        var testDescription: String { "\(operation)=\(fault)" }
    }

    static let unsafeCases: [UnsafeCase] = [
        .init(operation: .generateCertificate, fault: .droppedConnection()),
        .init(operation: .generateCertificate, fault: .droppedConnection(.afterHandling)),
        .init(operation: .generateCertificate, fault: .serviceUnavailable(.afterHandling)),
        .init(operation: .generateCertificate, fault: .malformedResponse(.afterHandling)),
        .init(operation: .startETKRegistration, fault: .serviceUnavailable()),
        .init(operation: .startETKRegistration, fault: .droppedConnection(.afterHandling)),
        .init(operation: .completeETKRegistration, fault: .droppedConnection()),
        .init(operation: .completeETKRegistration, fault: .droppedConnection(.afterHandling)),
        .init(operation: .completeETKRegistration, fault: .malformedResponse(.afterHandling)),
    ]

    @Test("a call that changes state is sent once: the flow stops with a transient error, and resume completes it",
          arguments: unsafeCases.indices)
    func unsafeCallStopsThenResumes(index: Int) async throws {
        let faultCase = Self.unsafeCases[index]
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let operation = try #require(PlatformOperation(name: faultCase.operation.rawValue))
        let earlier = sandbox.faults.applied.count
        sandbox.faults.inject(faultCase.fault, on: faultCase.operation)
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.owner("UNSAFE-\(index)"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let events = EventLog()
        let stopped = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                               settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()), reviewContract: FlowFixture.accept,
                               progress: { events.append($0) })
        }
        let error = try #require(stopped)
        #expect(error.category == .unavailable, "\(error)")
        #expect(error.isTransient)
        #expect([CertManagerError.Code.transportFailed, .httpError, .malformedResponse].contains(error.code), "\(error)")
        #expect(error.operation == operation.qualifiedName)
        #expect(!error.advice.isEmpty)
        // Sent once: no retry, and no resend by the HTTP layer either (the fault was for one call).
        #expect(Self.retries(in: events).isEmpty)
        #expect(sandbox.faults.applied.dropFirst(earlier).map(\.operation) == [faultCase.operation])
        #expect(await flow.nextStep?.operation == operation)

        // resume: the flow is opened from disk and run again.
        let resumedEvents = EventLog()
        let result = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
            settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()), reviewContract: FlowFixture.accept,
            progress: { resumedEvents.append($0) })
        // Only when completeETKRegistration's answer was lost is there no copy of the ETK: the
        // platform registered it all the same.
        let etkAnswerLost = faultCase.operation == .completeETKRegistration && faultCase.fault.moment == .afterHandling
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox, expectETK: !etkAnswerLost)
        #expect(folders.work.unfinishedFlows().isEmpty)
        let status = try await CertificateInformation(endpoints: FlowFixture.endpoints(sandbox), settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()))
            .status(ofKeystore: result.keystoreFile, password: FlowFixture.password)
        #expect(status.state == .validActive)
        #expect(status.etkState == .validActive)
        if faultCase.operation == .generateCertificate && faultCase.fault.moment == .afterHandling {
            // The platform had the request: resume recognised it (CSR_PUB_KEY_NOT_UNIQUE) and polled.
            #expect(resumedEvents.events.contains {
                if case .stepFinished(FlowStep.CreateETK.generateCertificate, let detail) = $0 { detail.contains("CSR_PUB_KEY_NOT_UNIQUE") } else { false }
            })
        }
    }

    @Test("revoke is sent once: refused before it is handled, the certificate stays valid; handled with the answer lost, it is revoked")
    func revokeIsNotRepeated() async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        let eID = FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox))
        let created = try await CreateETKFlow.start(FlowFixture.request(Self.owner("REVOKE"), folders: folders),
                                                    endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
            .run(eID: eID, keystorePassword: FlowFixture.password, settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()),
                 reviewContract: FlowFixture.accept, progress: { _ in })
        let identifier = try PublicKeyIdentifier(certificate: created.authenticationCertificate)
        let revocation = CertificateRevocation(endpoints: FlowFixture.endpoints(sandbox), settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()))
        let information = CertificateInformation(endpoints: FlowFixture.endpoints(sandbox), settings: Self.settings(sandbox, sleeper: PauseRecordingSleeper()))

        let earlier = sandbox.faults.applied.count
        sandbox.faults.inject(.droppedConnection(), on: .revoke)
        let refused = await #expect(throws: CertManagerError.self) {
            try await revocation.revoke(identifier, reason: .cessationOfOperation, eID: eID, review: { _ in .accept })
        }
        #expect(refused?.category == .unavailable)
        #expect(refused?.operation == "CertRa.revoke")
        #expect(try await information.status(ofKeystore: created.keystoreFile, password: FlowFixture.password).state == .validActive)

        sandbox.faults.inject(.droppedConnection(.afterHandling), on: .revoke)
        let lost = await #expect(throws: CertManagerError.self) {
            try await revocation.revoke(identifier, reason: .cessationOfOperation, eID: eID, review: { _ in .accept })
        }
        #expect(lost?.isTransient == true)
        #expect(try await information.status(ofKeystore: created.keystoreFile, password: FlowFixture.password).state == .revoked)
        // Asking again says it is done, rather than revoking twice.
        let again = await #expect(throws: CertManagerError.self) {
            try await revocation.revoke(identifier, reason: .cessationOfOperation, eID: eID, review: { _ in .accept })
        }
        #expect(again?.code == .certificateNotRevocable)
        #expect(sandbox.faults.applied.dropFirst(earlier).map(\.operation) == [.revoke, .revoke])
    }
}

/// Really pauses (the delays here are milliseconds), and records each pause.
final class PauseRecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []
    var pauses: [Duration] { lock.withLock { recorded } }

    func sleep(for duration: Duration) async throws {
        lock.withLock { recorded.append(duration) }
        try await Task.sleep(for: duration)
    }

    var now: Date { Date() }
}
