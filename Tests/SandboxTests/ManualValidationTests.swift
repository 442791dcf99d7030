import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing

/// Manual validation (cookbook 4.3.4 step 8): the request waits for an operator, getCertificate
/// answers CERT_NOT_YET_DELIVERED until then; `ehcert-sandbox approve` is the operator.
@Suite struct ManualValidationTests {
    /// Marie's requests (here, for the organization she manages) need an operator's approval.
    func requestAwaitingApproval(_ fixture: SandboxFixture) async throws -> GenerateCertificateResponseType {
        let marie = try fixture.citizen(Sandboxed.marie)
        let contract = try await fixture.contract(signedBy: marie, organization: Sandboxed.lambertCBE, organizationName: Sandboxed.lambertName)
        let generated = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                              signedBy: marie)
        #expect(generated.automaticallyValidated == false)
        return generated
    }

    @Test func aManuallyValidatedRequestIsDeliveredOnceApproved() async throws {
        try await SandboxFixture.with { fixture in
            let generated = try await requestAwaitingApproval(fixture)
            let publicKeyIdentifier = try require(generated.publicKeyIdentifier)
            // The delivery delay is 0: only the approval is missing.
            for _ in 1...3 {
                await expectRefusal(EHealthStatusError.notYetDeliveredCode) { try await fixture.getCertificate(publicKeyIdentifier) }
            }
            let marie = try fixture.citizen(Sandboxed.marie)
            let waiting = try await fixture.certificateInfo(forCitizen: marie)
            #expect(waiting.map(\.authenticationCertificateStatus) == [.inProgress])
            #expect(waiting.first?.automaticallyValidated == false)

            #expect(await fixture.engine.pendingApprovals().map(\.publicKeyIdentifier) == [publicKeyIdentifier.hex])
            try await fixture.engine.approve(publicKeyIdentifier: publicKeyIdentifier.hex.lowercased())
            #expect(await fixture.engine.pendingApprovals().isEmpty)
            let chain = try await fixture.certificateChain(publicKeyIdentifier, attempts: 1)
            #expect(chain.count == 2)
            #expect(chain[0].subject == (try EHealthDistinguishedName(Self.lambertDN).distinguishedName))
        }
    }

    @Test func approvingAnUnknownRequestFails() async throws {
        try await SandboxFixture.with { fixture in
            await #expect(throws: SandboxError.self) {
                try await fixture.engine.approve(publicKeyIdentifier: String(repeating: "0", count: 40))
            }
        }
    }

    @Test(.enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
    func theApproveCommandApprovesOnAStoppedSandboxsState() async throws {
        try await SandboxFixture.with { fixture in
            let generated = try await requestAwaitingApproval(fixture)
            let publicKeyIdentifier = try require(generated.publicKeyIdentifier)
            await fixture.stopServing()
            let state = fixture.directory.path

            let listed = try SandboxExecutable.run(["approve", "--state", state])
            #expect(listed.status == 0, "\(listed.standardError)")
            #expect(listed.standardOutput.contains(publicKeyIdentifier.hex), "\(listed.standardOutput)")

            let approved = try SandboxExecutable.run(["approve", "--state", state, publicKeyIdentifier.hex])
            #expect(approved.status == 0, "\(approved.standardError)")
            #expect(try SandboxExecutable.run(["approve", "--state", state]).standardOutput.contains("no request waits for approval"))

            let restarted = try await fixture.restarted(SandboxConfiguration(deliveryDelay: 0))
            #expect(try await restarted.certificateChain(publicKeyIdentifier, attempts: 1).count == 2)
        }
    }

    @Test(.enabled(if: SandboxExecutable.available, SandboxExecutable.skipReason))
    func theApproveCommandRefusesWhatIsNoPublicKeyIdentifier() async throws {
        try await SandboxFixture.with { fixture in
            await fixture.stopServing()
            let malformed = try SandboxExecutable.run(["approve", "--state", fixture.directory.path, "XYZ"])
            #expect(malformed.status != 0)
            let unknown = try SandboxExecutable.run(["approve", "--state", fixture.directory.path, String(repeating: "AB", count: 20)])
            #expect(unknown.status != 0)
            #expect(unknown.standardError.contains("no certificate request"), "\(unknown.standardError)")
        }
    }

    static let lambertDN = #"CN=CBE\=0876543270,OU=eHealth-platform Belgium,OU=PHARMACIE LAMBERT,OU=CBE\=0876543270,O=Federal Government,C=BE"#
}
