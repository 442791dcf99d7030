import CertManagerKit
import Foundation
import Sandbox
import Security
import Testing

/// Revocation (cookbook 4.3.6) against the sandbox.
@Suite("Revoke a certificate", .serialized)
struct RevocationFlowTests {
    @Test("declined: nothing signed; accepted: revoked with the reason, then no longer revocable")
    func revoke() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folders = TestFolders()
        let created = try await RenewalTests.createOrganization("REVOKE-APP", sandbox: sandbox, folders: folders)
        let identifier = try PublicKeyIdentifier(certificate: created.authenticationCertificate)
        let eID = FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox))

        let declinedTransport = try RecordingTransport()
        let declined = await #expect(throws: CertManagerError.self) {
            try await CertificateRevocation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: declinedTransport))
                .revoke(identifier, reason: .cessationOfOperation, eID: eID, review: { _ in .decline })
        }
        #expect(declined?.code == .contractDeclined)
        #expect(declinedTransport.operations == ["getcertificateinfoforcitizen", "generaterevocationcontract"])

        let transport = try RecordingTransport()
        let revocation = CertificateRevocation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: transport))
        let offers = OfferLog()
        let revoked = try await revocation.revoke(identifier, reason: .cessationOfOperation, eID: eID, review: { offer in
            offers.append(offer)
            return .accept
        })
        #expect(revoked.publicKeyIdentifier == identifier)
        #expect(transport.operations == ["getcertificateinfoforcitizen", "generaterevocationcontract", "revoke"])
        let offer = try #require(offers.offers.first)
        #expect(offer.reason == .cessationOfOperation)
        #expect(try EHealthDistinguishedName(offer.contract.distinguishedName) == EHealthDistinguishedName(created.distinguishedName))
        #expect(!offer.contract.texts.isEmpty)

        let status = try await CertificateInformation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()))
            .status(ofKeystore: created.keystoreFile, password: FlowFixture.password)
        #expect(status.state == .revoked)
        #expect(!status.revocable)
        #expect(status.renewal() == .requestAnew)
        #expect(try await !revocation.revocableCertificates(of: eID).contains { $0.publicKeyIdentifier == identifier })

        let again = await #expect(throws: CertManagerError.self) {
            try await revocation.revoke(identifier, reason: .cessationOfOperation, eID: eID, review: { _ in .accept })
        }
        #expect(again?.code == .certificateNotRevocable)
    }

    @Test("an identifier that is not in the list is refused before any contract")
    func unknownIdentifier() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let transport = try RecordingTransport()
        let error = await #expect(throws: CertManagerError.self) {
            try await CertificateRevocation(endpoints: FlowFixture.endpoints(sandbox), settings: FlowFixture.settings(sandbox, transport: transport))
                .revoke(try PublicKeyIdentifier(bytes: Array(repeating: 0x42, count: 20)), reason: .superseded,
                        eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), review: { _ in .accept })
        }
        #expect(error?.code == .certificateNotFound)
        #expect(transport.operations == ["getcertificateinfoforcitizen"])
    }
}

final class OfferLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [CertificateRevocation.Offer] = []
    var offers: [CertificateRevocation.Offer] { lock.withLock { recorded } }
    func append(_ offer: CertificateRevocation.Offer) { lock.withLock { recorded.append(offer) } }
}
