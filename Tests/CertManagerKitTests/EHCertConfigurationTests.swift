import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Testing

/// The configuration file: where it is found, that options on the command line win over it, and
/// that a wrong file stops with exit 5 naming the file and the key.
@Suite("ehcert configuration file", .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertConfigurationTests {
    static func write(_ object: [String: Any], to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: object).write(to: file)
    }

    static func serviceKeys(_ sandbox: EmbeddedSandbox) -> [String: Any] {
        ["certra-url": sandbox.certRAEndpoint.absoluteString, "etkra-url": sandbox.etkRAEndpoint.absoluteString]
    }

    static func traceFiles(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".xml") }
    }

    @Test("--config: endpoints and trace-dir from the file; --trace-dir and --certra-url on the command line win")
    func commandLineWins() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folder = try EHCertIsolated.folder("config")
        let file = folder.appendingPathComponent("ehcert.json")
        // A relative path is relative to the file's folder.
        try Self.write(Self.serviceKeys(sandbox).merging(["trace-dir": "trace-from-file"]) { $1 }, to: file)

        let fromFile = try await EHCertIsolated.run(["org-types", "--config", file.path, "--json"])
        #expect(fromFile.status == 0, "\(fromFile.standardError)")
        let fileTrace = folder.appendingPathComponent("trace-from-file")
        #expect(Self.traceFiles(fileTrace).contains { $0.contains("getGenericOrganizationTypes-request") })
        let traced = Self.traceFiles(fileTrace).count

        let commandLineTrace = folder.appendingPathComponent("trace-from-command-line")
        let overridden = try await EHCertIsolated.run(["--config=\(file.path)", "org-types", "--trace-dir", commandLineTrace.path])
        #expect(overridden.status == 0, "\(overridden.standardError)")
        #expect(Self.traceFiles(commandLineTrace).count == 2)
        #expect(Self.traceFiles(fileTrace).count == traced, "the file's trace-dir is not used when --trace-dir is given")

        // Custom URLs on the command line replace the file's: nothing listens on port 9.
        let elsewhere = try await EHCertIsolated.run(["org-types", "--config", file.path, "--timeout", "5",
                                                      "--certra-url", "http://127.0.0.1:9/CertRa/v2", "--etkra-url", "http://127.0.0.1:9/EtkRa/v2"])
        #expect(elsewhere.status == 4, "\(elsewhere.standardError)")
    }

    @Test("the default place: $XDG_CONFIG_HOME/ehcert/config.json; EHCERT_CONFIG names another; --config beats both")
    func locations() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let home = try EHCertIsolated.folder("xdg")
        try Self.write(Self.serviceKeys(sandbox), to: home.appendingPathComponent("ehcert/config.json"))
        let byDefault = try await EHCertIsolated.run(["org-types", "--json"], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(byDefault.status == 0, "\(byDefault.standardError)")

        let broken = home.appendingPathComponent("broken.json")
        try Data("{\"env\": \"staging\"}".utf8).write(to: broken)
        let named = try await EHCertIsolated.run(["org-types"], environment: ["XDG_CONFIG_HOME": home.path, "EHCERT_CONFIG": broken.path])
        #expect(named.status == 5, "EHCERT_CONFIG is read instead of the default file")
        #expect(named.standardError.contains(broken.path))

        let good = home.appendingPathComponent("ehcert/config.json")
        let explicit = try await EHCertIsolated.run(["org-types", "--config", good.path], environment: ["EHCERT_CONFIG": broken.path])
        #expect(explicit.status == 0, "\(explicit.standardError)")

        let missing = try await EHCertIsolated.run(["endpoints", "--config", home.appendingPathComponent("none.json").path])
        #expect(missing.status == 5)
        #expect(missing.standardError.contains("does not exist"))
    }

    @Test("warn-days from the file, --warn-days on the command line wins")
    func warnDays() async throws {
        let (sandbox, result) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let file = try EHCertIsolated.folder("warn").appendingPathComponent("config.json")
        // The fixture's certificate has about 200 days left.
        try Self.write(Self.serviceKeys(sandbox).merging(["warn-days": 365]) { $1 }, to: file)
        let environment = ["KEYSTORE_PASSWORD": FlowFixture.password]
        func warnings(_ extra: [String]) async throws -> [String] {
            let run = try await EHCertIsolated.run(["status", result.keystoreFile.path, "--config", file.path, "--password-env", "KEYSTORE_PASSWORD", "--json"] + extra,
                                                   environment: environment)
            #expect(run.status == 0, "\(run.standardError)")
            return (try EHCertIsolated.object(run.standardOutput)["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        }
        #expect(try await warnings([]).contains("EXPIRES_SOON"))
        #expect(try await !warnings(["--warn-days", "30"]).contains("EXPIRES_SOON"))
    }

    @Test("a wrong file stops with exit 5 naming the file and the key", arguments: [
        ("{\"warn-dayz\": 10}", "\"warn-dayz\" is not a configuration key"),
        ("{\"warndays\": 10}", "did you mean \"warn-days\""),
        ("{\"warn-days\": -1}", "\"warn-days\" must be a whole number of days, 0 or more"),
        ("{\"warn-days\": \"ten\"}", "\"warn-days\" must be a whole number of days"),
        ("{\"env\": \"staging\"}", "\"env\" must be sandbox, acceptance or production"),
        ("{\"certra-url\": \"ftp://example.be\"}", "\"certra-url\" must be an http(s) URL"),
        ("{\"certra-url\": \"https://example.be/CertRa/v2\"}", "\"certra-url\" needs its partner"),
        ("{\"eid-pin\": \"1234\"}", "\"eid-pin\" looks like a secret"),
        ("{\"keystore-password\": \"x\"}", "looks like a secret"),
        ("{\"env\": \"acceptance\", \"certra-url\": \"https://a.be\", \"etkra-url\": \"https://b.be\"}", "exclude each other"),
        ("[1, 2]", "must hold one JSON object"),
        ("{\"env\": ", "is not valid JSON"),
    ])
    func badFile(content: String, message: String) async throws {
        let file = try EHCertIsolated.folder("bad").appendingPathComponent("config.json")
        try Data(content.utf8).write(to: file)
        let run = try await EHCertIsolated.run(["endpoints", "--config", file.path])
        #expect(run.status == 5)
        #expect(run.standardError.contains("CONFIG_INVALID"))
        #expect(run.standardError.contains(file.path))
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)

        let json = try await EHCertIsolated.run(["endpoints", "--json", "--config", file.path])
        #expect(json.status == 5)
        let error = try #require(try EHCertIsolated.object(json.standardOutput)["error"] as? [String: Any])
        #expect(error["code"] as? String == "CONFIG_INVALID")
        #expect(error["exitCode"] as? Int == 5)
    }

    @Test("--help documents the file and its keys")
    func help() async throws {
        let run = try await EHCertIsolated.run(["--help"])
        #expect(run.status == 0)
        let text = run.standardOutput.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        #expect(text.contains("$XDG_CONFIG_HOME/ehcert/config.json"))
        #expect(text.contains("warn-days"))
        #expect(text.contains("org-types"))
        #expect(text.contains("etk"))
    }
}
