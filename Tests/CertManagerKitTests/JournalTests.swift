@testable import CertManagerKit
import _CryptoExtras
import Foundation
import Security
import Testing

@Suite("Journal and secrets: durable, private, resumable")
struct JournalTests {
    static func permissions(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("starting a flow writes its journal (0600, folder 0700), and opening it reads the same state")
    func startAndOpen() async throws {
        let folders = TestFolders()
        let request = FlowFixture.request(.organization(.init(type: "CBE", identifier: "0412345614", applicationID: "APP-1")), folders: folders)
        let flow = try CreateETKFlow.start(request, endpoints: ServiceEndpoints(.acceptance), workDirectory: folders.work)
        let folder = folders.work.folder(for: flow.id)
        #expect(try Self.permissions(folder) == 0o700)
        #expect(try Self.permissions(CreateETKJournal.url(in: folder)) == 0o600)

        let reopened = try CreateETKFlow.open(flow.id, in: folders.work)
        #expect(await reopened.request == request)
        #expect(await reopened.endpoints == ServiceEndpoints(.acceptance))
        #expect(await reopened.nextStep == FlowStep.CreateETK.signActorQualities)
        let summaries = folders.work.unfinishedFlows()
        #expect(summaries.map(\.id) == [flow.id])
        #expect(summaries.first?.owner == "CBE=0412345614, APP-1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["journal.json"])
    }

    @Test("a malformed application id or identifier type is refused before anything is recorded")
    func inputChecks() {
        let folders = TestFolders()
        for organization in [CreateETKRequest.Organization(type: "CBE", identifier: "0412345614", applicationID: "lower case"),
                             CreateETKRequest.Organization(type: "cbe", identifier: "0412345614")] {
            let error = #expect(throws: CertManagerError.self) {
                try CreateETKFlow.start(FlowFixture.request(.organization(organization), folders: folders),
                                        endpoints: ServiceEndpoints(.acceptance), workDirectory: folders.work)
            }
            #expect(error?.category == .invalidInput)
        }
        #expect(folders.work.flows().isEmpty)
    }

    @Test("the next step is read off what the journal records")
    func nextStep() throws {
        typealias Step = FlowStep.CreateETK
        var person = CreateETKJournal(flowID: .make(), request: FlowFixture.request(.naturalPerson, folders: TestFolders()),
                                      endpoints: ServiceEndpoints(.acceptance), now: Date())
        #expect(person.nextStep == Step.signActorQualities)
        person.signer = EIDHolder(ssin: "85073003328", firstNames: "Jean", lastName: "DUPONT")
        person.actorQualities = ActorQualitiesRecord(naturalPersonAuthorization: true, organizations: [:])
        // Steps 3 and 4 are for organizations only.
        #expect(person.nextStep == Step.generateContract)
        person.contract = ContractRecord(distinguishedName: "CN=x", signerIdentifiers: [], signerFirstNames: [], signerName: "x", texts: [])
        #expect(person.nextStep == Step.generateContract, "a contract not yet accepted is presented again")
        person.contractAcceptedAt = Date()
        #expect(person.nextStep == Step.prepareCertificateRequest)
        person.csr = Data([1])
        person.certificateRequestSentAt = Date()
        #expect(person.nextStep == Step.generateCertificate, "sent is not accepted: the request is sent again and recognised")
        person.certificateRequestAcceptedAt = Date()
        #expect(person.nextStep == Step.getCertificate)
        person.certificateChain = [Data([1])]
        person.encryptionPublicKey = Data([1])
        #expect(person.nextStep == Step.startETKRegistration)
        person.challenge = Data([1])
        person.encryptionCertificate = Data([1])
        #expect(person.nextStep == Step.completeETKRegistration)
        person.etkRegisteredWithoutCopy = true
        person.challenge = nil
        #expect(person.nextStep == Step.completeETKRegistration, "registered: only the keystore entry remains")
        person.finishedAt = Date()
        #expect(person.nextStep == nil)

        var organization = CreateETKJournal(flowID: .make(), request: FlowFixture.request(
            .organization(.init(type: "CBE", identifier: "0412345614", applicationID: "A")), folders: TestFolders()),
            endpoints: ServiceEndpoints(.acceptance), now: Date())
        organization.actorQualities = ActorQualitiesRecord(naturalPersonAuthorization: false, organizations: [:])
        #expect(organization.nextStep == Step.getGenericOrganizationTypes)
        organization.organizationRule = OrganizationIdentifierRule(identifierType: "CBE")
        #expect(organization.nextStep == Step.getExistingApplicationIds)
    }

    @Test("the keystore is named as the platform's connector names it")
    func keystoreName() throws {
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        var journal = CreateETKJournal(flowID: .make(at: created), request: FlowFixture.request(
            .organization(.init(type: "NIHII-HOSPITAL", identifier: "71000436", applicationID: "LAB")), folders: TestFolders()),
            endpoints: ServiceEndpoints(.acceptance), now: created)
        let name = try #require(journal.proposedKeystoreFileName())
        #expect(name.hasPrefix("NIHII-HOSPITAL=71000436,LAB "))
        #expect(name.hasSuffix(" acceptance.p12"), "the environment is in the name outside production: \(name)")
        journal.keystoreFileName = name
        #expect(journal.etkFile.lastPathComponent == String(name.dropLast(4)) + ".etk")
        // Production keeps the platform's own name exactly.
        let production = CreateETKJournal(flowID: .make(at: created), request: FlowFixture.request(
            .organization(.init(type: "NIHII-HOSPITAL", identifier: "71000436", applicationID: "LAB")), folders: TestFolders()),
            endpoints: ServiceEndpoints(.production), now: created)
        let productionName = try #require(production.proposedKeystoreFileName())
        #expect(productionName.range(of: #"^NIHII-HOSPITAL=71000436,LAB [0-9]{8}-[0-9]{6}\.p12$"#, options: .regularExpression) != nil, "\(productionName)")
    }

    @Test("pending keys survive a restart, encrypted with the keystore password, mode 0600")
    func secrets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString.prefix(8))")
        try DurableFile.makePrivateDirectory(folder)
        var secrets = try FlowSecrets(folder: folder, password: "right")
        #expect(try secrets.authenticationKey == nil)
        let authentication = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let encryption = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        try secrets.storeAuthenticationKey(authentication)
        try secrets.storeEncryptionKey(encryption)

        let reopened = try FlowSecrets(folder: folder, password: "right")
        #expect(try reopened.authenticationKey?.derRepresentation == authentication.derRepresentation)
        #expect(try reopened.encryptionKey?.derRepresentation == encryption.derRepresentation)
        #expect(try JournalTests.permissions(reopened.file) == 0o600)
        // Only the file itself: no temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [FlowSecrets.fileName])
        // The file is encrypted: the key's bytes do not appear in it.
        let bytes = try Data(contentsOf: reopened.file)
        #expect(bytes.range(of: authentication.derRepresentation.suffix(64)) == nil)

        let wrong = #expect(throws: CertManagerError.self) { try FlowSecrets(folder: folder, password: "wrong") }
        #expect(wrong?.category == .configuration)
    }

    @Test("a durable write replaces the file whole and leaves no temporary file")
    func durableFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString.prefix(8))")
        try DurableFile.makePrivateDirectory(folder)
        let file = folder.appendingPathComponent("journal.json")
        try DurableFile.write(Data("first".utf8), to: file)
        try DurableFile.write(Data("second, longer".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second, longer")
        #expect(try JournalTests.permissions(file) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["journal.json"])
    }

    @Test("a journal from a newer version, or a damaged one, is refused with advice")
    func unreadableJournal() throws {
        let folders = TestFolders()
        let flow = try CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: ServiceEndpoints(.acceptance),
                                           workDirectory: folders.work)
        let url = CreateETKJournal.url(in: folders.work.folder(for: flow.id))
        var json = try String(contentsOf: url, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"format\" : 1", with: "\"format\" : 99")
        try json.write(to: url, atomically: true, encoding: .utf8)
        let newer = #expect(throws: CertManagerError.self) { try CreateETKFlow.open(flow.id, in: folders.work) }
        #expect(newer?.code == .journalUnusable)
        try "{ not json".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: CertManagerError.self) { try CreateETKFlow.open(flow.id, in: folders.work) }
        let missing = #expect(throws: CertManagerError.self) { try CreateETKFlow.open(FlowID(rawValue: "nope")!, in: folders.work) }
        #expect(missing?.code == .flowNotFound)
    }
}
