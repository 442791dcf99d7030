import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import Testing

/// Status of a keystore's certificate, the citizen's list, the check, and activation, against a
/// sandbox whose certificates are in their replacement window as soon as they are issued.
@Suite("Certificate information and ETK activation against the sandbox", .serialized)
struct InformationTests {
    /// Certificates live 200 days, the last 250 of which are the replacement period: Replaceable at once.
    static let configuration = SandboxConfiguration(deliveryDelay: 0.1, certificateLifetime: 200 * 86_400, replacementPeriod: 250 * 86_400)

    actor Fixture {
        static let shared = Fixture()
        private var made: Task<(EmbeddedSandbox, CreateETKResult), any Error>?

        /// A sandbox of its own, and DUPONT's personal certificate made in it (once, for every suite).
        func sandboxWithCertificate() async throws -> (EmbeddedSandbox, CreateETKResult) {
            let task = made ?? Task { try await Self.make() }
            made = task
            return try await task.value
        }

        private static func make() async throws -> (EmbeddedSandbox, CreateETKResult) {
            let folders = TestFolders()
            // The shared sandbox's world (its keys take long to make), with a state of its own.
            let shared = try await SandboxFixture.shared.sandbox().world.directory
            let copy = folders.root.appendingPathComponent("sandbox")
            try FileManager.default.createDirectory(at: folders.root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: shared, to: copy)
            for file in try FileManager.default.contentsOfDirectory(atPath: copy.path) where file.hasPrefix("state") || file.hasPrefix(".state") {
                try FileManager.default.removeItem(at: copy.appendingPathComponent(file))
            }
            let sandbox = try await EmbeddedSandbox.start(stateDirectory: copy,
                                                          configuration: InformationTests.configuration, logLevel: .critical)
            let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
            let result = try await CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                                       workDirectory: folders.work)
                .run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                     settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })
            return (sandbox, result)
        }
    }

    static func information(_ sandbox: EmbeddedSandbox, transport: RecordingTransport) -> CertificateInformation {
        CertificateInformation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: transport))
    }

    @Test("a keystore's status: signed with its authentication key; valid, ETK active, expiry, replacement window open")
    func keystoreStatus() async throws {
        let (sandbox, result) = try await Fixture.shared.sandboxWithCertificate()
        let transport = try RecordingTransport()
        let status = try await Self.information(sandbox, transport: transport).status(ofKeystore: result.keystoreFile, password: FlowFixture.password)
        #expect(transport.operations == ["getcertificateinfoforauthenticationcertificate"])
        #expect(status.publicKeyIdentifier == (try PublicKeyIdentifier(certificate: result.authenticationCertificate)))
        #expect(status.state == .validActive)
        #expect(status.etkState == .validActive)
        #expect(status.owner == "SSIN=85073003328")
        #expect(!status.isOrganization)
        #expect(status.notAfter == result.authenticationCertificate.notValidAfter)
        #expect(status.replaceable)
        let start = try #require(status.replacementPeriodStart)
        #expect(abs(start.timeIntervalSince(result.authenticationCertificate.notValidAfter.addingTimeInterval(-250 * 86_400))) < 1)
        #expect(status.renewal() == .open(since: start))
        let warnings = status.warnings(warnDays: 30)
        #expect(warnings == [.replacementWindowOpen(since: start)])
        // 200 days left: a 365-day warning period adds the expiry warning.
        #expect(status.warnings(warnDays: 365).contains { $0.code == "EXPIRES_SOON" })
    }

    @Test("the citizen's list, signed with the eID Authentication key, holds the keystore's certificate")
    func citizenList() async throws {
        let (sandbox, result) = try await Fixture.shared.sandboxWithCertificate()
        let transport = try RecordingTransport()
        let list = try await Self.information(sandbox, transport: transport)
            .certificates(of: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)))
        #expect(transport.operations == ["getcertificateinfoforcitizen"])
        let identifier = try PublicKeyIdentifier(certificate: result.authenticationCertificate)
        let mine = try #require(list.first { $0.publicKeyIdentifier == identifier })
        #expect(mine.state == .validActive)
        #expect(mine.revocable)
        #expect(mine.distinguishedName.flatMap { try? EHealthDistinguishedName($0) } == (try EHealthDistinguishedName(result.distinguishedName)))

        // Another citizen's list does not show DUPONT's certificate.
        let others = try await Self.information(sandbox, transport: try RecordingTransport())
            .certificates(of: FlowFixture.eID(SandboxFixture.citizen("PEETERS", in: sandbox)))
        #expect(!others.contains { $0.publicKeyIdentifier == identifier })
    }

    @Test("check: an open replacement window and an unreadable keystore need attention")
    func check() async throws {
        let (sandbox, result) = try await Fixture.shared.sandboxWithCertificate()
        let missing = TestFolders().root.appendingPathComponent("missing.p12")
        let findings = await CertificateCheck(information: Self.information(sandbox, transport: try RecordingTransport()), warnDays: 30)
            .check([result.keystoreFile, missing], password: FlowFixture.password)
        #expect(findings.count == 2)
        #expect(findings[0].status != nil)
        #expect(findings[0].warnings.map(\.code) == ["REPLACEMENT_WINDOW_OPEN"])
        #expect(findings[0].needsAttention)
        #expect(findings[1].status == nil)
        #expect(findings[1].error != nil)
        #expect(findings[1].needsAttention)
    }

    @Test("activating an ETK that is already active says so (RENEW_ACTIVATION_ETK_ALREADY_ACTIF) and changes nothing")
    func activateActiveETK() async throws {
        let (sandbox, result) = try await Fixture.shared.sandboxWithCertificate()
        let transport = try RecordingTransport()
        let outcome = try await ETKActivation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: transport))
            .activate(keystore: result.keystoreFile, password: FlowFixture.password)
        #expect(outcome == .alreadyActive)
        #expect(transport.operations == ["activateetk"])
    }

    @Test("a wrong keystore password is a configuration error and nothing is sent")
    func wrongPassword() async throws {
        let (sandbox, result) = try await Fixture.shared.sandboxWithCertificate()
        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await Self.information(sandbox, transport: transport).status(ofKeystore: result.keystoreFile, password: "wrong")
        }
        #expect(error?.category == .configuration)
        #expect(transport.operations.isEmpty)
    }
}

/// What a status means, at chosen dates.
@Suite("Certificate status: renewal and warnings")
struct CertificateStatusTests {
    static let day: TimeInterval = 86_400
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func status(_ state: CertificateStatus.State = .validActive, daysLeft: Double, replaceable: Bool,
                       replacementDaysBeforeExpiry: Double = 90) throws -> CertificateStatus {
        let notAfter = now.addingTimeInterval(daysLeft * day)
        return CertificateStatus(publicKeyIdentifier: try PublicKeyIdentifier(bytes: Array(repeating: 0xAB, count: 20)),
                                 owner: "SSIN=85073003328", ownerName: "Jean DUPONT", applicationID: nil, isOrganization: false,
                                 state: state, etkState: .validActive, requestedAt: now.addingTimeInterval(-1000 * day),
                                 distinguishedName: nil, serialNumber: "1", notBefore: notAfter.addingTimeInterval(-1095 * day),
                                 notAfter: notAfter, replaceable: replaceable, revocable: state == .validActive,
                                 replacementPeriodStart: notAfter.addingTimeInterval(-replacementDaysBeforeExpiry * day))
    }

    @Test("a status a later CertRA version adds is kept as it came and named in a warning, never taken for another")
    func unrecognizedStatus() throws {
        let status = try Self.status(.unrecognized("SUSPENDED"), daysLeft: 400, replaceable: false)
        let warnings = status.warnings(at: Self.now, warnDays: 30)
        #expect(warnings == [.unrecognizedStatus("SUSPENDED")])
        #expect(warnings.first?.code == "UNRECOGNIZED_STATUS")
        #expect(warnings.first?.description.contains("SUSPENDED, a status this version of ehcert does not know") == true)
        #expect(status.state.rawValue == "SUSPENDED")
    }

    @Test("far from expiry: renewal possible from ReplacementPeriodStartDate, no warning")
    func notYet() throws {
        let status = try Self.status(daysLeft: 400, replaceable: false)
        #expect(status.renewal(at: Self.now) == .notYet(from: Self.now.addingTimeInterval(310 * Self.day)))
        #expect(status.warnings(at: Self.now, warnDays: 30).isEmpty)
        #expect(status.daysLeft(at: Self.now) == 400)
    }

    @Test("the window opens within the warning period: a warning that it is closing in")
    func opensSoon() throws {
        let status = try Self.status(daysLeft: 100, replaceable: false)
        #expect(status.warnings(at: Self.now, warnDays: 30).map(\.code) == ["REPLACEMENT_WINDOW_OPENS"])
    }

    @Test("Replaceable and close to expiry: window open and expires soon")
    func openAndExpiring() throws {
        let status = try Self.status(daysLeft: 10.5, replaceable: true)
        #expect(status.warnings(at: Self.now, warnDays: 30).map(\.code) == ["EXPIRES_SOON", "REPLACEMENT_WINDOW_OPEN"])
        #expect(status.warnings(at: Self.now, warnDays: 30).first == .expiresSoon(days: 10, on: Self.now.addingTimeInterval(10.5 * Self.day)))
    }

    @Test("an expired certificate cannot be renewed, only requested anew")
    func expired() throws {
        let lapsed = try Self.status(daysLeft: -1, replaceable: false)
        #expect(lapsed.renewal(at: Self.now) == .requestAnew)
        #expect(lapsed.warnings(at: Self.now, warnDays: 30) == [.expired])
        #expect(lapsed.warnings(at: Self.now, warnDays: 30)[0].description.contains("only requested anew"))
        let reported = try Self.status(.expired, daysLeft: -1, replaceable: false)
        #expect(reported.renewal(at: Self.now) == .requestAnew)
        #expect(reported.warnings(at: Self.now, warnDays: 30) == [.expired])
        let revoked = try Self.status(.revoked, daysLeft: 300, replaceable: false)
        #expect(revoked.renewal(at: Self.now) == .requestAnew)
        #expect(revoked.warnings(at: Self.now, warnDays: 30) == [.revoked])
    }
}
