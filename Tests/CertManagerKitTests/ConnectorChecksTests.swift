import Crypto
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import SwiftASN1
import Testing
import X509
@testable import CertManagerKit


/// The Java connector's checks before anything is signed (contact data, BaseServiceUsage), kept
/// at renewal; getActorQualities; the User-Agent every client sends; per-keystore passwords.
@Suite("Contact data, qualities, tracing headers, keystore passwords", .serialized)
struct ConnectorChecksTests {
    // MARK: - 7. The connector's contact checks, BaseServiceUsage, qualities

    @Test(arguments: ["me@example.be", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@localhost.localdomain"])
    func acceptedEmails(_ email: String) throws {
        try CreateETKRequest(owner: .naturalPerson, contact: .init(email: email, phone: "+32 2 123 45 67")).validate()
    }

    @Test(arguments: ["", "me", "me@", "@example.be", "me@example", "me@@example.be", "me@exa mple.be", "me..you@example.be", "me@-example.be",
                      String(repeating: "a", count: 310) + "@example.be"])
    func refusedEmails(_ email: String) {
        let error = #expect(throws: CertManagerError.self) {
            try CreateETKRequest(owner: .naturalPerson, contact: .init(email: email, phone: "+3220000000")).validate()
        }
        #expect(error?.code == .contactDataInvalid)
        #expect(error?.category == .invalidInput)
    }

    @Test(arguments: ["+3220000000", "02 123 45 67", "0", "+"])
    func acceptedPhones(_ phone: String) throws {
        try CreateETKRequest(owner: .naturalPerson, contact: .init(email: "me@example.be", phone: phone, generalPhone: phone)).validate()
    }

    @Test(arguments: ["", "+32-2-123", "(02) 123", "+32 2 123 45 67 ext 3", " 0212", "0800/123"])
    func refusedPhones(_ phone: String) {
        let error = #expect(throws: CertManagerError.self) {
            try CreateETKRequest(owner: .naturalPerson, contact: .init(email: "me@example.be", phone: "+3220000000", generalPhone: phone)).validate()
        }
        #expect(error?.code == .contactDataInvalid)
        #expect(error?.reason.contains("general phone") == true)
    }

    @Test func baseServiceUsagesAreTheConnectorsFour() throws {
        let contact = CreateETKRequest.Contact(email: "me@example.be", phone: "+3220000000")
        try CreateETKRequest(owner: .naturalPerson, contact: contact, baseServiceUsage: ["tsa", "consultrn", "codage", "other"]).validate()
        for wrong in [["TSA"], ["ehbox"], ["tsa", "tsa"]] {
            let error = #expect(throws: CertManagerError.self) {
                try CreateETKRequest(owner: .naturalPerson, contact: contact, baseServiceUsage: wrong).validate()
            }
            #expect(error?.code == .baseServiceUsageInvalid)
        }
    }

    @Test("a refused contact stops the flow before it is even recorded")
    func invalidContactIsRefusedAtStart() throws {
        let folders = TestFolders()
        let error = #expect(throws: CertManagerError.self) {
            _ = try CreateETKFlow.start(CreateETKRequest(owner: .naturalPerson, contact: .init(email: "not an address", phone: "+3220000000"),
                                                         keystoreDirectory: folders.keystores),
                                        endpoints: ServiceEndpoints(.acceptance), workDirectory: folders.work)
        }
        #expect(error?.code == .contactDataInvalid)
        #expect(!FileManager.default.fileExists(atPath: folders.work.url.path))
    }

    @Test("renewal carries the BaseServiceUsage over to the new certificate, and writes the keystore format asked for")
    func renewalKeepsBaseServiceUsage() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folders = TestFolders()
        let settings = FlowFixture.settings(sandbox, transport: try RecordingTransport())
        var request = FlowFixture.request(PlatformFidelity.organization("USAGE-APP"), folders: folders)
        request.baseServiceUsage = ["tsa", "codage"]
        let eID = FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox))
        let old = try await CreateETKFlow.start(request, endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
            .run(eID: eID, keystorePassword: FlowFixture.password, settings: settings, reviewContract: FlowFixture.accept, progress: { _ in })
        let information = CertificateInformation(endpoints: FlowFixture.endpoints(sandbox), settings: settings)
        #expect(try await information.status(ofKeystore: old.keystoreFile, password: FlowFixture.password).baseServiceUsage == ["tsa", "codage"])

        // Asked for legacy protection, although the replaced keystore is modern.
        #expect(try Keystore(contentsOf: old.keystoreFile, password: FlowFixture.password).format == .modern)
        let renewal = try await CertificateRenewal.start(keystore: old.keystoreFile, password: FlowFixture.password,
                                                         endpoints: FlowFixture.endpoints(sandbox), settings: settings, workDirectory: folders.work,
                                                         keystoreFormat: .legacy)
        #expect(await renewal.request.baseServiceUsage == ["tsa", "codage"])
        let transport = try ExchangeRecorder()
        let renewed = try await renewal.run(eID: eID, keystorePassword: FlowFixture.password,
                                            settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        let sent = try #require(transport.requests(of: "generatecertificate").first)
        #expect(sent.contains(">tsa</") && sent.contains(">codage</"))
        #expect(try await information.status(ofKeystore: renewed.keystoreFile, password: FlowFixture.password).baseServiceUsage == ["tsa", "codage"])
        #expect(try Keystore(contentsOf: renewed.keystoreFile, password: FlowFixture.password).format == .legacy)
    }

    @Test("getActorQualities: DUPONT may request a personal certificate and manages his organizations")
    func actorQualities() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let transport = try ExchangeRecorder()
        let qualities = try await ActorQualities.read(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), endpoints: FlowFixture.endpoints(sandbox),
                                                      settings: FlowFixture.settings(sandbox, transport: transport))
        #expect(qualities.ssin == "85073003328")
        #expect(qualities.naturalPersonAuthorization)
        let cbe = try #require(qualities.organizations.first { $0.type == "CBE" })
        #expect(cbe.identifier == "0412345614")
        #expect(!cbe.name(preferring: ["fr"]).isEmpty)
        #expect(qualities.organizations.contains { $0.type == "NIHII-HOSPITAL" && $0.identifier == "71000436" })
        #expect(transport.requests(of: "getactorqualities").count == 1)

        let martin = try await ActorQualities.read(eID: FlowFixture.eID(SandboxFixture.citizen("MARTIN", in: sandbox)), endpoints: FlowFixture.endpoints(sandbox),
                                                   settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
        #expect(!martin.naturalPersonAuthorization)
        #expect(martin.organizations.isEmpty)
    }

    // MARK: - 4. User-Agent by default

    @Test("the library sends the toolkit's User-Agent by default, and From only when set")
    func userAgentByDefault() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let transport = try ExchangeRecorder()
        _ = try await OrganizationDirectory(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: transport))
            .organizationTypes()
        let headers = try #require(transport.headers.first)
        #expect(headers.first { $0.0 == "User-Agent" }?.1 == TracingHeaders.defaultUserAgent)
        #expect(TracingHeaders.defaultUserAgent.hasPrefix("ehcert/\(TracingHeaders.toolkitVersion) "))
        #expect(!headers.contains { $0.0 == "From" })

        var settings = FlowFixture.settings(sandbox, transport: transport)
        settings.connection.tracingHeaders = try TracingHeaders(userAgent: "MyPractice/2.1 ehcert/0.1", from: "it@practice.be")
        _ = try await OrganizationDirectory(endpoints: FlowFixture.endpoints(sandbox), settings: settings).organizationTypes()
        let configured = try #require(transport.headers.last)
        #expect(configured.first { $0.0 == "User-Agent" }?.1 == "MyPractice/2.1 ehcert/0.1")
        #expect(configured.first { $0.0 == "From" }?.1 == "it@practice.be")
    }

    // MARK: - check: per-keystore passwords

    @Test("passwords: the map first, then the file next to the keystore, then the common one")
    func keystorePasswords() throws {
        let folders = TestFolders()
        let folder = folders.root
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = folder.appendingPathComponent("SSIN=85073003328 20260101-101010.p12")
        let second = folder.appendingPathComponent("CBE=0412345614,APP 20260101-101010.p12")
        let third = folder.appendingPathComponent("third.p12")
        try Data("from the file\nignored".utf8).write(to: KeystorePasswords.passwordFile(for: second))
        let map = folder.appendingPathComponent("passwords.json")
        try Data(#"{"SSIN=85073003328 20260101-101010.p12": "from the map", "./third.p12": "third by path"}"#.utf8).write(to: map)
        var passwords = KeystorePasswords(map: try KeystorePasswords.readMap(map))
        #expect(try passwords.password(for: first) == "from the map")
        #expect(try passwords.password(for: second) == "from the file")
        #expect(try passwords.password(for: third) == "third by path")
        let fourth = folder.appendingPathComponent("fourth.p12")
        #expect(try passwords.specificPassword(for: fourth) == nil)
        #expect(throws: CertManagerError.self) { try passwords.password(for: fourth) }
        passwords.common = "common"
        #expect(try passwords.password(for: fourth) == "common")
        #expect(try passwords.password(for: first) == "from the map")

        try Data("[1, 2]".utf8).write(to: map)
        let error = #expect(throws: CertManagerError.self) { try KeystorePasswords.readMap(map) }
        #expect(error?.code == .passwordMapInvalid)
        try Data(#"{"a.p12": 3}"#.utf8).write(to: map)
        #expect(throws: CertManagerError.self) { try KeystorePasswords.readMap(map) }
    }
}
