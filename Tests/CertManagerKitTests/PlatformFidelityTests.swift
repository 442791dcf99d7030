import Crypto
import Foundation
import Generated
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import SwiftASN1
import Testing
import X509
@testable import CertManagerKit


/// Where the cookbook leaves room, behave like the platform's own Java connector (issue 15): the
/// contract DN sent back, the platform's PublicKeyIdentifier, the encryption certificate's
/// signature algorithm, and waiting for a certificate's validity.
@Suite("Platform fidelity", .serialized)
struct PlatformFidelityTests {
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
        let flow = try CreateETKFlow.start(FlowFixture.request(PlatformFidelity.organization("FIDELITY-DN"), folders: folders),
                                           endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let result = try await flow.run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                                        settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        let contractResponse = try #require(transport.responses(of: "generatecontract").first)
        let received = try #require(PlatformFidelity.distinguishedNames(in: contractResponse).first)
        #expect(received.hasPrefix("CN=CBE=0412345614\\, FIDELITY-DN,OU=eHealth-platform Belgium,"), "\(received)")
        let certificateRequest = try #require(transport.requests(of: "generatecertificate").first)
        let sent = try #require(PlatformFidelity.distinguishedNames(in: certificateRequest).first)
        #expect(sent == "CN=CBE\\=0412345614\\, FIDELITY-DN,OU=eHealth-platform Belgium,OU=CABINET MEDICAL DUPONT SRL,OU=CBE\\=0412345614,OU=FIDELITY-DN,O=Federal Government,C=BE")
        #expect(sent == ContractDistinguishedName.normalized(received, identifierType: "CBE"))
        #expect(result.distinguishedName == sent)
    }

    // MARK: - 1-3 together: a platform that escapes, computes another identifier, and signs with SHA-512

    @Test("escaped contract DN, another PublicKeyIdentifier, sha512WithRSA: the flow finishes, warns, polls with the platform's value")
    func platformVariations() async throws {
        let (sandbox, folders) = try await PlatformFidelity.sandbox {
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
        let received = try #require(PlatformFidelity.distinguishedNames(in: contractResponse).first)
        #expect(received.hasPrefix("CN=SSIN\\=85073003328,"))
        let certificateRequest = try #require(transport.requests(of: "generatecertificate").first)
        #expect(PlatformFidelity.distinguishedNames(in: certificateRequest) == [received])

        // 2: the platform's identifier is used for polling and recorded; ours is kept; a warning.
        let ours = try PublicKeyIdentifier(certificate: result.authenticationCertificate).hex
        var serializer = DER.Serializer()
        try serializer.serialize(result.authenticationCertificate.publicKey)
        let theirs = Insecure.SHA1.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined()
        #expect(ours != theirs)
        for poll in transport.requests(of: "getcertificate") {
            #expect(poll.contains(theirs) && !poll.contains(ours))
        }
        let journal = try PlatformFidelity.journal(flow, folders)
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
        let (sandbox, folders) = try await PlatformFidelity.sandbox {
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

}
