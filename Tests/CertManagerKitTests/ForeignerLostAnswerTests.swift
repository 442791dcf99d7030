import CertManagerKit
import Foundation
import Sandbox
import Security
import Testing

/// A foreigner's submitCSRForForeigner whose answer is lost (issue 15, item 8). The validation
/// link exists only in that answer: the platform has no call that gives it again, and its
/// e-mail comes only after the person confirmed (cookbook 4.3.7.1). So nothing can recover
/// it; `resume` must say so at once, precisely, instead of polling for a confirmation that
/// cannot come.
@Suite("A foreigner's lost submission answer")
struct ForeignerLostAnswerTests {
    @Test("the answer lost after the platform took the CSR: the run stops as transient; resume says the link is lost and how to start again")
    func lostSubmission() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.foreigner(.init(bis: "92471004672", firstNames: ["Ann"], lastName: "Lost"))
        let flow = try CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
        let lost = try RecordingTransport(failing: .afterSending(operation: "submitCSRForForeigner"))
        let first = await #expect(throws: CertManagerError.self) {
            try await flow.run(eID: ForeignerFlowTests.NoEID(), keystorePassword: FlowFixture.password,
                               settings: FlowFixture.settings(sandbox, transport: lost), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        #expect(lost.failureInjected)
        #expect(first?.category == .unavailable)
        #expect(await flow.nextStep == FlowStep.Foreigner.submitCSRForForeigner)

        let transport = try RecordingTransport()
        let resumed = try CreateETKFlow.open(flow.id, in: folders.work)
        let error = await #expect(throws: CertManagerError.self) {
            try await resumed.run(eID: ForeignerFlowTests.NoEID(), keystorePassword: FlowFixture.password,
                                  settings: FlowFixture.settings(sandbox, transport: transport), reviewContract: FlowFixture.accept, progress: { _ in })
        }
        // One request, refused as a duplicate; no polling for a confirmation that cannot come.
        #expect(transport.operations == ["submitcsrforforeigner"])
        #expect(error?.code.rawValue == "CSR_PUB_KEY_NOT_UNIQUE")
        #expect(error?.category == .refused)
        #expect(error?.reason.contains("validation link, was lost") == true, "\(error?.reason ?? "")")
        #expect(error?.advice.contains("ehcert foreigner") == true, "\(error?.advice ?? "")")
        #expect(await resumed.validationURL == nil)
    }
}
