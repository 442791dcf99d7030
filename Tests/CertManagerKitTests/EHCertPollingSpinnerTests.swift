import CertManagerKit
import Foundation
import Sandbox
import Testing

/// The line the polling spinner draws (`PollingWait`), checked on fixed dates, and what `ehcert
/// create` shows while polling when its output is not a terminal.
@Suite("ehcert polling spinner")
struct EHCertPollingSpinnerTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let start = Date(timeIntervalSince1970: 1_750_000_000) // 2025-06-15 15:06:40 UTC

    @Test("the summary: time waited, attempts, next attempt's clock time and how long until it")
    func summary() {
        let wait = PollingWait(since: Self.start, attempt: 3, nextAttempt: Self.start.addingTimeInterval(77))
        #expect(wait.summary(at: Self.start.addingTimeInterval(65), timeZone: Self.utc)
                == "waiting for the certificate 1 min 05 s · 3 attempts · next at 15:07:57 (in 12 s)")
        let first = PollingWait(since: Self.start, attempt: 1, nextAttempt: Self.start.addingTimeInterval(10))
        #expect(first.summary(at: Self.start, timeZone: Self.utc) == "waiting for the certificate 0 s · 1 attempt · next at 15:06:50 (in 10 s)")
        #expect(first.summary(at: Self.start.addingTimeInterval(11), timeZone: Self.utc) == "waiting for the certificate 11 s · 1 attempt · next attempt now")
    }

    @Test("durations in seconds, minutes, hours", arguments: [
        (0.0, "0 s"), (7.4, "7 s"), (59.6, "1 min 00 s"), (65, "1 min 05 s"), (3599, "59 min 59 s"), (3725, "1 h 02 min"), (-3, "0 s"),
    ])
    func durations(seconds: Double, text: String) {
        #expect(PollingWait.duration(seconds: seconds) == text)
    }

    @Test("frames cycle; the line starts with the frame")
    func frames() {
        #expect(PollingWait.frame(0) == "⠋")
        #expect(PollingWait.frame(PollingWait.frames.count) == "⠋")
        #expect(PollingWait.frame(-1) == "⠏")
        #expect(Set(PollingWait.frames).count == PollingWait.frames.count)
        let wait = PollingWait(since: Self.start, attempt: 2, nextAttempt: Self.start.addingTimeInterval(30))
        #expect(wait.line(frame: 1, at: Self.start.addingTimeInterval(5), timeZone: Self.utc)
                == "⠙ waiting for the certificate 5 s · 2 attempts · next at 15:07:10 (in 25 s)")
    }

    @Test("without a terminal, `ehcert create` prints one plain line per attempt and no control sequences; --json prints only events",
          .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
    func plainLinesWithoutTerminal() async throws {
        // Delivery after 3 s: the first getCertificate answers CERT_NOT_YET_DELIVERED.
        let sandbox = try await SandboxFixture.slowDelivery.sandbox()
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let environment = ["KEYSTORE_PASSWORD": FlowFixture.password, "EID_PASSWORD": SandboxWorld.citizenKeystorePassword]
        func create(_ applicationID: String, _ extra: [String]) async throws -> EHCertExecutable.Output {
            let folder = try EHCertIsolated.folder("spinner")
            return try await EHCertIsolated.run(
                ["create", "--org-type", "NIHII-HOSPITAL", "--org-id", "71000436", "--app-id", applicationID,
                 "--email", "it@example.be", "--phone", "+3220000000", "--accept-contract",
                 "--keystore-dir", folder.appendingPathComponent("keystores").path, "--workdir", folder.appendingPathComponent("work").path,
                 "--password-env", "KEYSTORE_PASSWORD", "--eid-p12", citizen.eidKeystore.path, "--eid-pin-env", "EID_PASSWORD"]
                    + EHCertIsolated.service(sandbox) + extra,
                environment: environment)
        }

        let text = try await create("SPINNER-TEXT", [])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("CERT_NOT_YET_DELIVERED (attempt 1); next attempt at"))
        #expect(!text.standardOutput.contains("\u{1B}"))
        #expect(!text.standardError.contains("\u{1B}"))
        #expect(!text.standardError.contains("waiting for the certificate"))

        let json = try await create("SPINNER-JSON", ["--json"])
        #expect(json.status == 0, "\(json.standardError)")
        #expect(!json.standardError.contains("waiting for the certificate"))
        #expect(!json.standardError.contains("CERT_NOT_YET_DELIVERED"))
        let steps = try #require(try EHCertIsolated.object(json.standardOutput)["steps"] as? [[String: Any]])
        #expect(steps.contains { $0["event"] as? String == "certificateNotYetDelivered" })
    }
}
