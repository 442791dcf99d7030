import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing

/// The state survives a restart, and concurrent requests neither fail nor lose each other's
/// writes (issue 4, "Reliability").
@Suite struct PersistenceTests {
    @Test func aCertificateRequestedBeforeARestartIsDeliveredAfterIt() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 3600)) { before in
            let jean = try before.citizen(Sandboxed.jean)
            let contract = try await before.contract(signedBy: jean)
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            let generated = try await before.generateCertificate(contract: contract, privateKey: key, signedBy: jean)
            let publicKeyIdentifier = try require(generated.publicKeyIdentifier)
            await expectRefusal(EHealthStatusError.notYetDeliveredCode) { try await before.getCertificate(publicKeyIdentifier) }
            // A contract handed out before the restart is still recognised after it.
            let organizationContract = try await before.contract(signedBy: jean, organization: Sandboxed.dupontCBE, organizationName: Sandboxed.dupontName)

            // An hour and a second later, in a new process' worth of sandbox on the same directory.
            let after = try await before.restarted(SandboxConfiguration(deliveryDelay: 3600, clockOffset: 3601))
            let chain = try await after.certificateChain(publicKeyIdentifier, attempts: 1)
            #expect(chain.count == 2)
            #expect(chain[0].subject == (try EHealthDistinguishedName(contract.dn).distinguishedName))
            #expect(try await after.registerETK(with: SoftwareSigningKey(key: .rsa(key), certificateChain: chain)).response.toBeActivated == false)
            let organization = try await after.generateCertificate(contract: organizationContract,
                                                                   privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            #expect(organization.publicKeyIdentifier != nil)

            // And once more: what happened after the first restart is there too.
            let again = try await after.restarted(SandboxConfiguration(deliveryDelay: 0, clockOffset: 3601))
            let infos = try await again.certificateInfo(forCitizen: jean)
            #expect(infos.map(\.etkStatus) == [.validActive, .notRequested])
            #expect(infos.map(\.authenticationCertificateStatus) == [.validActive, .inProgress])
        }
    }

    @Test func everyChangeIsInTheDatabase() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            _ = try await fixture.contract(signedBy: jean)
            _ = try await fixture.obtainCertificate(for: jean)
            let state = try StateDatabase(directory: fixture.directory)
            #expect(state.contracts == 2)
            #expect(state.certificates.values.map(\.status) == ["VALID_ACTIVE"])
            #expect(state.certificates.values.map(\.etkStatus) == ["NOT_REQUESTED"])
            // Read by another connection while the sandbox still has the database open: WAL mode.
            #expect(state.journalMode == "wal")
        }
    }

    @Test func twentyConcurrentRequestsAllSucceedAndAllAreKept() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let successes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let types = try await fixture.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
                        let contract = try await fixture.contract(signedBy: jean, organization: index.isMultiple(of: 2) ? Sandboxed.dupontCBE : nil,
                                                                  organizationName: Sandboxed.dupontName)
                        return types.organizationType.map(\.identifierType).contains("CBE") && !contract.dn.isEmpty
                    }
                }
                return try await group.reduce(into: 0) { count, succeeded in count += succeeded ? 1 : 0 }
            }
            #expect(successes == 20)
            #expect(try StateDatabase(directory: fixture.directory).contracts == 20)
        }
    }

    @Test func concurrentRequestsForOneDNCertifyOnlyOne() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 3600)) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let codes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                                      signedBy: jean)
                            return "accepted"
                        } catch let error as EHealthStatusError {
                            return error.errors.first?.code ?? error.statusCode
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == "accepted" }.count == 1, "\(codes)")
            #expect(codes.filter { $0 == "CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED" }.count == 7, "\(codes)")
            #expect(try StateDatabase(directory: fixture.directory).certificates.count == 1)
        }
    }
}
