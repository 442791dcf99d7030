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

/// Where the cookbook leaves room, behave like the platform's own Java connector (issue 15):
/// the contract DN sent back, the platform's PublicKeyIdentifier, the encryption certificate's
/// signature algorithm, the contact checks, waiting for a certificate's validity, and the
/// tracing headers every client sends.
@Suite("Platform fidelity", .serialized)
struct PlatformFidelityTests {
    // MARK: - Sandboxes with platform variations

    /// The shared sandbox's world (its keys take long to make) with a state of its own, served
    /// with `configure`'s variations.
    static func sandbox(_ configure: (inout SandboxConfiguration) -> Void) async throws -> (EmbeddedSandbox, TestFolders) {
        let folders = TestFolders()
        let shared = try await SandboxFixture.shared.sandbox().world.directory
        let copy = folders.root.appendingPathComponent("sandbox")
        try FileManager.default.createDirectory(at: folders.root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: shared, to: copy)
        for file in try FileManager.default.contentsOfDirectory(atPath: copy.path) where file.hasPrefix("state") || file.hasPrefix(".state") {
            try FileManager.default.removeItem(at: copy.appendingPathComponent(file))
        }
        var configuration = SandboxConfiguration(deliveryDelay: 0.2)
        configure(&configuration)
        return (try await EmbeddedSandbox.start(stateDirectory: copy, configuration: configuration, logLevel: .critical), folders)
    }

    static func organization(_ applicationID: String) -> CreateETKRequest.Owner {
        .organization(.init(type: "CBE", identifier: "0412345614", applicationID: applicationID))
    }

    static func journal(_ flow: CreateETKFlow, _ folders: TestFolders) throws -> [String: Any] {
        let file = folders.work.folder(for: flow.id).appendingPathComponent("journal.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    }

    /// The text of every `DN` element (whatever its prefix) of an envelope.
    static func distinguishedNames(in envelope: String) -> [String] {
        var names: [String] = []
        var rest = envelope[...]
        while let range = rest.range(of: #"<([A-Za-z0-9_]+:)?DN>[^<]*</"#, options: .regularExpression) {
            let element = rest[range]
            let start = element.index(after: element.firstIndex(of: ">")!)
            names.append(String(element[start...].dropLast(2)))
            rest = rest[range.upperBound...]
        }
        return names
    }

    // MARK: - 1. The contract DN sent back

    @Test(arguments: [
        ("CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN=85210123617,O=Federal Government,C=BE", "SSIN",
         "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=BE"),
        // Already escaped: unchanged.
        ("CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=BE", "SSIN",
         "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=BE"),
        // Mixed, with an application id.
        ("CN=CBE\\=0412345614\\, APP1,OU=eHealth-platform Belgium,OU=X,OU=CBE=0412345614,OU=APP1,O=Federal Government,C=BE", "CBE",
         "CN=CBE\\=0412345614\\, APP1,OU=eHealth-platform Belgium,OU=X,OU=CBE\\=0412345614,OU=APP1,O=Federal Government,C=BE"),
        // Only the requested identifier type is rewritten.
        ("CN=NIHII-HOSPITAL=71000436,OU=SSIN=1", "NIHII-HOSPITAL", "CN=NIHII-HOSPITAL\\=71000436,OU=SSIN=1"),
    ])
    func contractDNIsNormalizedAsTheConnectorDoes(_ received: String, _ type: String, _ sent: String) throws {
        #expect(ContractDistinguishedName.normalized(received, identifierType: type) == sent)
    }

    @Test("a contract in the cookbook's form goes back with SSIN\\= / CBE\\=, and the sandbox accepts it as the same DN")
    func cookbookContractIsSentBackEscaped() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let transport = try ExchangeRecorder()
        let flow = try CreateETKFlow.start(FlowFixture.request(Self.organization("FIDELITY-DN"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let result = try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                                        settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        let contractResponse = try #require(transport.responses(of: "generatecontract").first)
        let received = try #require(Self.distinguishedNames(in: contractResponse).first)
        #expect(received.hasPrefix("CN=CBE=0412345614\\, FIDELITY-DN,OU=eHealth-platform Belgium,"), "\(received)")
        let certificateRequest = try #require(transport.requests(of: "generatecertificate").first)
        let sent = try #require(Self.distinguishedNames(in: certificateRequest).first)
        #expect(sent == "CN=CBE\\=0412345614\\, FIDELITY-DN,OU=eHealth-platform Belgium,OU=CABINET MEDICAL DUPONT SRL,OU=CBE\\=0412345614,OU=FIDELITY-DN,O=Federal Government,C=BE")
        #expect(sent == ContractDistinguishedName.normalized(received, identifierType: "CBE"))
        #expect(result.distinguishedName == sent)
    }

    // MARK: - 1-3 together: a platform that escapes, computes another identifier, and signs with SHA-512

    @Test("escaped contract DN, another PublicKeyIdentifier, sha512WithRSA: the flow finishes, warns, polls with the platform's value")
    func platformVariations() async throws {
        let (sandbox, folders) = try await Self.sandbox {
            $0.contractDistinguishedNameForm = .escaped
            $0.variations.publicKeyIdentifierAnswer = .subjectPublicKeyInfo
            $0.variations.certificateSignatureAlgorithm = .sha512WithRSAEncryption
        }
        defer { Task { await sandbox.stop() } }
        let transport = try ExchangeRecorder()
        let events = EventLog()
        let flow = try CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let result = try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                                        settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept,
                                        progress: { events.append($0) })

        // 1: the escaped DN went back as received.
        let contractResponse = try #require(transport.responses(of: "generatecontract").first)
        let received = try #require(Self.distinguishedNames(in: contractResponse).first)
        #expect(received.hasPrefix("CN=SSIN\\=85073003328,"))
        let certificateRequest = try #require(transport.requests(of: "generatecertificate").first)
        #expect(Self.distinguishedNames(in: certificateRequest) == [received])

        // 2: the platform's identifier is used for polling and recorded; ours is kept; a warning.
        let ours = try PublicKeyIdentifier(certificate: result.authenticationCertificate).hex
        var serializer = DER.Serializer()
        try serializer.serialize(result.authenticationCertificate.publicKey)
        let theirs = Insecure.SHA1.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined()
        #expect(ours != theirs)
        for poll in transport.requests(of: "getcertificate") {
            #expect(poll.contains(theirs) && !poll.contains(ours))
        }
        let journal = try Self.journal(flow, folders)
        #expect(journal["publicKeyIdentifier"] as? String == theirs)
        #expect(journal["computedPublicKeyIdentifier"] as? String == ours)
        #expect((journal["notes"] as? [String])?.contains { $0.contains(theirs) && $0.contains(ours) } == true)
        #expect(events.events.contains { if case .notice(let text) = $0 { text.hasPrefix("warning: ") && text.contains(theirs) } else { false } })

        // 3: the encryption certificate is signed as the authentication certificate is.
        #expect(result.authenticationCertificate.signatureAlgorithm == .sha512WithRSAEncryption)
        let etk = try #require(result.etk)
        #expect(etk.encryptionCertificate.certificate.signatureAlgorithm == .sha512WithRSAEncryption)
    }

    // MARK: - 8. Wait, don't stop

    @Test("AUTH_CERT_NOT_YET_VALID: beyond the maximum wait the flow stops as pending with the date; resumed, it waits and finishes")
    func waitsForTheCertificatesValidity() async throws {
        let (sandbox, folders) = try await Self.sandbox {
            // Issued at the first getCertificate, which then answers AUTH_CERT_NOT_YET_VALID at once.
            $0.deliveryDelay = 0
            $0.variations.certificateValidityDelay = 6
            $0.variations.withholdsCertificateUntilValid = true
        }
        defer { Task { await sandbox.stop() } }
        let eID = FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox))
        let flow = try CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(sandbox),
                                           workDirectory: folders.work)
        let impatient = FlowFixture.settings(sandbox, transport: try RecordingTransport(),
                                             polling: PollingPolicy(backoff: Backoff(initial: .milliseconds(100), multiplier: 1.5, maximum: .milliseconds(400)),
                                                                    maximumWait: .seconds(1)))
        let stopped = await #expect(throws: CertManagerError.self) {
            _ = try await flow.run(eID: eID, keystorePassword: FlowFixture.password, settings: impatient, reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(stopped?.code.rawValue == "AUTH_CERT_NOT_YET_VALID")
        #expect(stopped?.category == .pending)
        #expect(stopped?.reason.contains("valid from 20") == true, "\(stopped?.reason ?? "")")
        #expect(await flow.nextStep == FlowStep.CreateETK.getCertificate)

        let events = EventLog()
        let result = try await CreateETKFlow.open(flow.id, in: folders.work).run(
            eID: eID, keystorePassword: FlowFixture.password, settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()),
            reviewContract: FlowFixture.accept, progress: { events.append($0) })
        // The sandbox delivers only once the certificate is valid.
        #expect(Date() >= result.authenticationCertificate.notValidBefore)
        #expect(result.etk != nil)
        for case .notice(let text) in events.events where text.contains("AUTH_CERT_NOT_YET_VALID") {
            #expect(text.contains("waiting"))
        }
    }

    @Test(arguments: [
        ("Valid from 2026-12-03T10:15:00Z.", "2026-12-03T10:15:00Z"),
        ("(validFrom=2026-12-03T10:15:00.250+01:00)", "2026-12-03T09:15:00.250Z"),
        ("the certificate is valid only from 2026-12-03 10:15:00 +0000", "2026-12-03T10:15:00Z"),
    ])
    func validityStartIsReadFromTheAnswer(_ text: String, _ expected: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = expected.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        #expect(ValidityStart.date(in: text) == formatter.date(from: expected))
    }

    @Test func noDateNoValidityStart() {
        #expect(ValidityStart.date(in: "The authentication certificate has been delivered but is not yet valid.") == nil)
    }

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
        var request = FlowFixture.request(Self.organization("USAGE-APP"), folders: folders)
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

/// Forwards to the real HTTP transport and keeps every request and response body, by operation.
final class ExchangeRecorder: SOAPTransport, @unchecked Sendable {
    private let inner: any SOAPTransport
    private let lock = NSLock()
    private var exchanges: [(operation: String, request: String, response: String, headers: [(String, String)])] = []

    init() throws {
        inner = try URLSessionTransport()
    }

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        let response = try await inner.send(request)
        let operation = String(request.soapAction.split(separator: ":").last ?? "").lowercased()
        lock.withLock {
            exchanges.append((operation, String(decoding: request.body, as: UTF8.self), String(decoding: response.body, as: UTF8.self), request.headers))
        }
        return response
    }

    func requests(of operation: String) -> [String] { lock.withLock { exchanges.filter { $0.operation == operation }.map(\.request) } }
    func responses(of operation: String) -> [String] { lock.withLock { exchanges.filter { $0.operation == operation }.map(\.response) } }
    var headers: [[(String, String)]] { lock.withLock { exchanges.map(\.headers) } }
}
