import _CryptoExtras
import Foundation
import Generated
import GRDB
import Sandbox
import Security
import SOAPRuntime
import Testing
import X509

/// The sandbox's state as a database (issue 13, item 8): another process changes it while a
/// server runs without any write being lost, folders from before the database are imported, and a
/// database the sandbox does not know is refused rather than misread.
@Suite struct StateStoreTests {
    /// Before: `approve` read state.json, changed it and wrote it whole, and the server reloaded the
    /// file only when its modification date changed, so the contracts the server wrote in between
    /// (or the approval) could be lost.
    @Test(.enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
    func approvingFromAnotherProcessWhileServingLosesNoWrite() async throws {
        try await SandboxFixture.with { fixture in
            let marie = try fixture.citizen(Sandboxed.marie)
            let jean = try fixture.citizen(Sandboxed.jean)
            let organizationContract = try await fixture.contract(signedBy: marie, organization: Sandboxed.lambertCBE,
                                                                  organizationName: Sandboxed.lambertName)
            let generated = try await fixture.generateCertificate(contract: organizationContract,
                                                                  privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: marie)
            let publicKeyIdentifier = try require(generated.publicKeyIdentifier)
            #expect(generated.automaticallyValidated == false)

            // The operator approves from another process while the server keeps writing contracts.
            let approvalsDone = Counter()
            let approval = Task.detached {
                defer { approvalsDone.increment() }
                return try SandboxExecutable.run(["approve", "--state", fixture.directory.path, publicKeyIdentifier.hex])
            }
            let acknowledged = Counter()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        // Bounded: at most 30 contracts a writer, fewer once the approval is done.
                        for round in 0..<30 {
                            if round >= 5, approvalsDone.value > 0 { break }
                            if (try? await fixture.contract(signedBy: jean)) != nil { acknowledged.increment() }
                        }
                    }
                }
            }
            let approved = try await approval.value
            #expect(approved.status == 0, "\(approved.standardError)")

            let state = try StateDatabase(directory: fixture.directory)
            // Every acknowledged contract is there (one whose answer was lost on the way may be too).
            #expect(state.contracts >= 1 + acknowledged.value, "\(acknowledged.value) contracts acknowledged during the approval")
            #expect(acknowledged.value >= 20, "the server wrote too little during the approval to test anything")
            #expect(state.certificates[publicKeyIdentifier.hex]?.approved == true)
            // And the server, which never reopened anything, sees the approval.
            #expect(try await fixture.certificateChain(publicKeyIdentifier, attempts: 1).count == 2)
        }
    }

    /// A folder whose state is still `state.json` (made by an earlier sandbox) keeps its contracts
    /// and requests: imported into the database when first opened, the file renamed.
    @Test func aStateJSONFolderIsImportedIntoTheDatabase() async throws {
        try await SandboxSlots.shared.run {
            let directory = try TestWorlds.freshCopy()
            defer { try? FileManager.default.removeItem(at: directory) }
            let world = try SandboxWorld.load(from: directory)
            let legacy = try LegacyState(world: world)
            try legacy.json.write(to: directory.appendingPathComponent("state.json"))

            let fixture = try await SandboxFixture.start(SandboxConfiguration(deliveryDelay: 0), directory: directory)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("state.json").path))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("state.json.imported").path))

            // The request recorded in state.json is delivered, with the contact data it was made with.
            let chain = try await fixture.certificateChain(try Generated.PublicKeyIdentifier(HexBinary(Data(legacy.publicKeyIdentifier.bytes))),
                                                           attempts: 1)
            #expect(chain[0].subject == legacy.eleonoreName.distinguishedName)
            let infos = try await fixture.certificateInfo(forCitizen: try fixture.citizen(Sandboxed.eleonore))
            #expect(infos.map(\.contactData.emailPrivate) == ["eleonore@example.be"])
            #expect(infos.map(\.authenticationCertificateStatus) == [.validActive])
            // The contract handed out before is still recognised.
            let jean = try fixture.citizen(Sandboxed.jean)
            let accepted = try await fixture.generateCertificate(contract: legacy.jeanContract,
                                                                 privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            #expect(accepted.publicKeyIdentifier != nil)
            await fixture.session.stopAll()

            // Opened again: imported once, not twice.
            #expect(try StateDatabase(directory: directory).certificates.count == 2)
            #expect(try StateDatabase(directory: directory).contracts == 1)
        }
    }

    @Test func aDatabaseOfAnotherSchemaVersionIsRefused() async throws {
        let directory = try TestWorlds.freshCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let world = try SandboxWorld.load(from: directory)
        _ = try SandboxEngine(world: world)
        try await DatabaseQueue(path: directory.appendingPathComponent("state.sqlite").path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA user_version = 99")
        }
        let error = #expect(throws: SandboxError.self) { _ = try SandboxEngine(world: world) }
        #expect(error?.description.contains("schema version 99") == true, "\(String(describing: error))")
    }
}

/// A `state.json` as the sandbox wrote it before its database: Jean's contract for his own
/// certificate, and Éléonore's request, approved and due, whose certificate is not issued yet.
struct LegacyState {
    let jeanContract: ContractType
    let eleonoreName: EHealthDistinguishedName
    let publicKeyIdentifier: Security.PublicKeyIdentifier
    let json: Data

    init(world: SandboxWorld) throws {
        let jean = ActorType(id: [IdType(type: "SSIN", value: Sandboxed.jean)], firstName: ["Jean"], name: "DUPONT")
        let text = TextType(value: [LocalizedString(language: try Lang(xmlText: "fr"), value: "<p>Contrat</p>"),
                                    LocalizedString(language: try Lang(xmlText: "nl"), value: "<p>Contract</p>")])
        jeanContract = ContractType(dn: "CN=SSIN=85073003328,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN=85073003328,O=Federal Government,C=BE",
                                    signer: jean, text: text)
        let key = try EHealthCertificateSigningRequest.generatePrivateKey()
        let csr = try EHealthCertificateSigningRequest(
            contractDistinguishedName: "CN=SSIN=90021512766,OU=eHealth-platform Belgium,OU=MULLER-LEFEVRE ELEONORE,OU=SSIN=90021512766,O=Federal Government,C=BE",
            privateKey: .init(key))
        publicKeyIdentifier = try csr.publicKeyIdentifier
        eleonoreName = csr.subject
        let contact = ContactDataType(emailPrivate: "eleonore@example.be", phonePrivate: "+3220000000")
        let issued = "2026-01-05T10:00:00Z"
        let document: [String: Any] = [
            "contracts": [["id": "_legacy-contract", "dn": jeanContract.dn, "signerSSIN": Sandboxed.jean, "issuedAt": issued,
                           "xml": try XMLWriter.document(root: XMLName(nil, "Contract"), jeanContract)]],
            "revocationContracts": [],
            "certificates": [publicKeyIdentifier.hex: [
                "publicKeyIdentifier": publicKeyIdentifier.hex, "dn": csr.subject.description,
                "identifierType": "SSIN", "identifierValue": Sandboxed.eleonore, "actorFirstNames": ["Éléonore"],
                "actorName": "Müller-Lefèvre", "isPerson": true, "csr": Data(csr.derEncoded).base64EncodedString(),
                "contactDataXML": try XMLWriter.document(root: XMLName(nil, "ContactData"), contact),
                "baseServiceUsage": [], "requestedAt": issued, "deliverAt": issued, "automaticallyValidated": true,
                "approved": true, "managers": [Sandboxed.eleonore], "status": "IN_PROGRESS", "chain": [],
                "etkStatus": "NOT_REQUESTED",
            ] as [String: Any]],
            "foreignerSubmissions": [:],
            "counter": 0,
        ]
        json = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }
}
