@testable import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import Testing
import X509

/// The client against every error code of cookbook chapter 7.1 (issue 15, item 9). The sandbox
/// answers one call of a real create flow with the code (`sandbox.faults.inject(.status(...))`,
/// over HTTP); the flow either stops with that code, the category that decides ehcert's exit
/// code, the cookbook's meaning and advice, or, for the codes that mean "later" or "already
/// done", waits and goes on. Nothing is lost: after a stop the flow's key and journal are
/// intact, and `resume` (the platform answering normally again) finishes with the same key.
@Suite("Every published eHealth code: what the client does", .serialized)
struct PublishedCodeReactionTests {
    /// What the client does with a code.
    enum Reaction: Sendable, Equatable {
        /// Stops with this category (ehcert: 2 refused, 4 unavailable, 7 protocol violation).
        case stops(CertManagerError.Category)
        /// Waits, or recognises an earlier request, and finishes in the same run.
        case continues
    }

    struct Case: Sendable, CustomStringConvertible {
        let code: String
        let operation: SandboxOperation
        let moment: SandboxFault.Moment
        let reaction: Reaction

        init(_ code: String, on operation: SandboxOperation, _ reaction: Reaction, _ moment: SandboxFault.Moment = .beforeHandling) {
            self.code = code
            self.operation = operation
            self.moment = moment
            self.reaction = reaction
        }

        var description: String { "\(code) from \(operation)" }
    }

    /// The 28 codes, each where the platform gives it, with what the client must do. The
    /// expectations are written out here, not read from PlatformErrorCatalog, so that a wrong
    /// entry there fails.
    static let cases: [Case] = [
        // generateCertificate (cookbook 4.3.4.6): CSR checks; a client defect, the CA, or the owner's other requests.
        Case("CSR_NOT_VALID", on: .generateCertificate, .stops(.protocolViolation)),
        Case("CSR_SIGNATURE_NOT_VALID", on: .generateCertificate, .stops(.protocolViolation)),
        Case("CSR_INVALID_NO_SUBJECT_PRESENT", on: .generateCertificate, .stops(.protocolViolation)),
        Case("CSR_INVALID_PUBLIC_KEY_INVALID", on: .generateCertificate, .stops(.protocolViolation)),
        Case("CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED", on: .generateCertificate, .stops(.unavailable)),
        Case("CSR__CSR_DELIVERY_TO_CA_FAILED__INVALID_SIGN_KEY_PWD", on: .generateCertificate, .stops(.unavailable)),
        Case("CSR__INPUT_NOT_PARSEBLE_INTO_CSR", on: .generateCertificate, .stops(.protocolViolation)),
        Case("CSR__INPUT_NOT_UNMARSHALLABLE_INTO_EHCSR", on: .generateCertificate, .stops(.protocolViolation)),
        Case("CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS", on: .generateCertificate, .stops(.refused)),
        Case("CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED", on: .generateCertificate, .stops(.refused)),
        Case("CSR_INVALID_DN_INVALID", on: .generateCertificate, .stops(.protocolViolation)),
        // The platform has the request (its answer says so instead of Success): polling goes on.
        Case("CSR_PUB_KEY_NOT_UNIQUE", on: .generateCertificate, .continues, .afterHandling),
        Case("CSR_ALREADY_VALIDATED", on: .generateCertificate, .continues, .afterHandling),
        Case("RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD", on: .generateCertificate, .stops(.refused)),
        Case("EHCSR__SIGNED_DATA_HAS_NO_CONTENT", on: .generateCertificate, .stops(.protocolViolation)),
        // getCertificate (4.3.4.6, 7.1): later, not never.
        Case("CERT_NOT_YET_DELIVERED", on: .getCertificate, .continues),
        Case("AUTH_CERT_NOT_YET_VALID", on: .getCertificate, .continues),
        // startETKRegistration (4.3.4.7).
        Case("ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA", on: .startETKRegistration, .stops(.refused)),
        Case("ETK_REQUESTED_FOR_AUTH_CERT_REVOKED", on: .startETKRegistration, .stops(.refused)),
        Case("ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED", on: .startETKRegistration, .stops(.refused)),
        Case("ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID", on: .startETKRegistration, .continues),
        Case("NO_VALID_AUTH_CERT_FOUND", on: .startETKRegistration, .stops(.refused)),
        // completeETKRegistration (4.3.4.9).
        Case("REQUEST_HAS_NO_VALID_CMS_FORMAT", on: .completeETKRegistration, .stops(.protocolViolation)),
        Case("AUTH_CERT_NOT_FOUND", on: .completeETKRegistration, .stops(.refused)),
        Case("PUBLIC_KEY_NOT_YET_REGISTERED", on: .completeETKRegistration, .stops(.refused)),
        Case("AUTH_CERT_NOT_VALID", on: .completeETKRegistration, .stops(.refused)),
        Case("VALID_ETK_ALREADY_EXISTS", on: .completeETKRegistration, .stops(.refused)),
        // activateETK (renewal): activating an active ETK is nothing to worry about.
        Case("RENEW_ACTIVATION_ETK_ALREADY_ACTIF", on: .activateETK, .continues),
    ]

    /// A sandbox of this suite's own, so that its faults hit no other suite's calls.
    actor Fixture {
        static let shared = Fixture()
        private var started: Task<EmbeddedSandbox, any Error>?

        func sandbox() async throws -> EmbeddedSandbox {
            let task = started ?? Task {
                try await SandboxCopy.make(in: TestFolders().root).start(deliveryDelay: 0.2)
            }
            started = task
            let sandbox = try await task.value
            sandbox.faults.removeAll()
            return sandbox
        }
    }

    static func settings(_ sandbox: EmbeddedSandbox) -> FlowSettings {
        var settings = NetworkFaultTests.settings(sandbox, sleeper: PauseRecordingSleeper())
        settings.retry = .never
        settings.connection.eHealthRoots = [sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem")]
        return settings
    }

    /// An organization of DUPONT's with an application id made from the code: a DN of its own.
    static func owner(_ code: String) -> CreateETKRequest.Owner {
        let letters = code.replacingOccurrences(of: "_", with: "")
        return .organization(.init(type: "NIHII-HOSPITAL", identifier: "71000436", applicationID: "C" + String(letters.suffix(29))))
    }

    static func run(_ flow: CreateETKFlow, _ sandbox: EmbeddedSandbox) async throws -> CreateETKResult {
        try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                           settings: settings(sandbox), reviewContract: FlowFixture.accept, progress: { _ in })
    }

    /// The create flow's step for each operation of the table.
    static func step(of operation: SandboxOperation) -> FlowStep? {
        switch operation {
        case .generateCertificate: FlowStep.CreateETK.generateCertificate
        case .getCertificate: FlowStep.CreateETK.getCertificate
        case .startETKRegistration: FlowStep.CreateETK.startETKRegistration
        case .completeETKRegistration: FlowStep.CreateETK.completeETKRegistration
        default: nil
        }
    }

    @Test("the table is cookbook chapter 7.1: 28 codes, each once")
    func tableCoversChapterSeven() {
        let codes = Self.cases.map(\.code)
        #expect(codes.count == 28)
        #expect(Set(codes).count == codes.count)
        #expect(Set(codes) == Set(PlatformErrorCatalog.codes.filter { !$0.hasPrefix("SOA-") }))
    }

    // One case at a time: the cases share one sandbox, whose requests are serialised by its
    // database; 27 flows at once beside the rest of the suite kept answers waiting past the timeout.
    @Test("the client's reaction to each published code", .serialized, arguments: cases.filter { $0.operation != .activateETK })
    func reaction(to entry: Case) async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        let entry = entry
        let catalogue = try #require(PlatformErrorCatalog.entry(for: entry.code))
        sandbox.faults.inject(.status(entry.code, entry.moment), on: entry.operation)
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.owner(entry.code), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let result: CreateETKResult
        switch entry.reaction {
        case .continues:
            result = try await Self.run(flow, sandbox)
        case .stops(let category):
            let error = await #expect(throws: CertManagerError.self) { try await Self.run(flow, sandbox) }
            #expect(error?.code.rawValue == entry.code)
            #expect(error?.category == category)
            #expect(error?.isTransient == (category == .unavailable))
            // What ehcert prints: the cookbook's meaning and what to do, for the operation concerned.
            #expect(error?.reason.contains(catalogue.meaning) == true, "\(error?.reason ?? "")")
            #expect(error?.advice.isEmpty == false)
            #expect(error?.operation?.hasSuffix("." + entry.operation.rawValue) == true, "\(error?.operation ?? "no operation")")

            // Nothing lost: the flow stopped at the step the code answered, its keys kept.
            #expect(await flow.isFinished == false)
            #expect(await flow.nextStep == Self.step(of: entry.operation))
            let keptIdentifier = try #require(await flow.journal.publicKeyIdentifier)
            let secrets = try FlowSecrets(folder: folders.work.folder(for: flow.id), password: FlowFixture.password)
            let keptKey = try #require(try secrets.authenticationKey)
            #expect(try PublicKeyIdentifier(publicKey: Certificate.PublicKey(keptKey.publicKey)).hex == keptIdentifier.uppercased())

            // The platform answers normally again: resume finishes with the very same key.
            result = try await Self.run(try CreateETKFlow.open(flow.id, in: folders.work), sandbox)
            #expect(try PublicKeyIdentifier(publicKey: result.authenticationCertificate.publicKey).hex == keptIdentifier.uppercased())
        }
        #expect(sandbox.faults.applied.last == SandboxFaults.Applied(operation: entry.operation, fault: .status(entry.code, entry.moment)))
        #expect(sandbox.faults.plan.isEmpty, "the injected answer struck")
        _ = try CreateETKFlowTests.checkKeystore(result, sandbox: sandbox)
    }

    @Test("RENEW_ACTIVATION_ETK_ALREADY_ACTIF: activating an active ETK is reported as already active, the keystore untouched")
    func alreadyActive() async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        let created = try await Self.run(try CreateETKFlow.start(FlowFixture.request(Self.owner("ACTIVE"), folders: folders),
                                                                 endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work), sandbox)
        let before = try Data(contentsOf: created.keystoreFile)
        sandbox.faults.inject(.status("RENEW_ACTIVATION_ETK_ALREADY_ACTIF"), on: .activateETK)
        let outcome = try await ETKActivation(endpoints: FlowFixture.endpoints(sandbox), settings: Self.settings(sandbox))
            .activate(keystore: created.keystoreFile, password: FlowFixture.password)
        #expect(outcome == .alreadyActive)
        #expect(sandbox.faults.plan.isEmpty)
        #expect(try Data(contentsOf: created.keystoreFile) == before)
    }

    @Test("the SOA faults of cookbook 7.2 on the first call: a defect to report, exit 7, nothing sent after",
          arguments: ["SOA-03001", "SOA-03002", "SOA-03003"])
    func soaFault(code: String) async throws {
        let sandbox = try await Fixture.shared.sandbox()
        let folders = TestFolders()
        sandbox.faults.inject(.soapFault(code), on: .getActorQualities)
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.owner(code), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let earlier = sandbox.faults.applied.count
        let error = await #expect(throws: CertManagerError.self) { try await Self.run(flow, sandbox) }
        #expect(error?.code.rawValue == code)
        #expect(error?.category == .protocolViolation)
        #expect(error?.reason.contains(try #require(PlatformErrorCatalog.entry(for: code)).meaning) == true)
        #expect(error?.reason.contains("injected by the sandbox's fault plan") == true, "the platform's own message is shown too")
        #expect(sandbox.faults.applied.count == earlier + 1)
        #expect(await flow.nextStep == FlowStep.CreateETK.signActorQualities)
    }
}
