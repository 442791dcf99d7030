import Foundation
import Security
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ehcert create` as a person runs it at a terminal, through a pseudo-terminal: the software
/// eID's password typed at a prompt that does not echo it, the contract shown and confirmed (or
/// declined), and Ctrl-C while polling, after which `ehcert resume` finishes the flow.
@Suite("ehcert at a terminal: secret prompt, contract confirmation, Ctrl-C", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertTerminalTests {
    /// Only ever typed at the prompt: it must never appear on the terminal.
    static let typedPassword = "Typed-eID-7q3Zx"

    @Test("password typed without echo, contract shown and accepted with y; Ctrl-C while polling exits 6 and resume finishes")
    func acceptThenInterrupt() async throws {
        // Delivery a while after generateCertificate: the first getCertificate finds nothing.
        let sandbox = try await SandboxProcess.start(deliveryDelay: 10)
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let terminal = try Self.create(sandbox, .dupont, folders)

        let prompt = try await terminal.waitFor("Password of the software eID: ")
        try await terminal.waitForEchoOff()
        terminal.type(Self.typedPassword + "\n")
        let question = try await terminal.waitFor("Do you accept this contract and sign the certificate request with your eID? [y/N] ", after: prompt)
        let contract = Self.plain(String(terminal.transcript[prompt..<question]))
        #expect(contract.contains("Contract for CN=SSIN=85073003328"))
        #expect(contract.contains("to be signed by "))
        #expect(contract.contains("\n  Je soussigné(e), Jean DUPONT"), "the contract's text, indented")
        #expect(!contract.contains("<p>") && !contract.contains("</"), "the HTML rendered as text")
        terminal.type("y\n")
        _ = try await terminal.waitFor("CERT_NOT_YET_DELIVERED", after: question)
        terminal.pressControlC()
        let status = try await terminal.exitStatus()

        let transcript = terminal.transcript
        #expect(status == 6, "\(transcript)")
        #expect(!transcript.contains(Self.typedPassword), "the typed password was echoed")
        #expect(transcript.contains("\u{1B}["), "colour on a terminal")
        let shown = Self.plain(transcript)
        #expect(shown.contains("Interrupted: stopping after the current step"))
        #expect(shown.contains("CANCELLED: the flow was interrupted"), "\(shown)")
        let flowID = try #require(EndToEnd.flowID(in: shown), "\(shown)")
        #expect(shown.contains("ehcert resume \(flowID)"))
        #expect(!shown.contains("Continue with:"), "the advice names the resume command once: \(shown)")

        // Resumable: the request is journalled; resume needs neither the eID nor a terminal.
        let resumed = try await EndToEnd.ehcert(["resume", flowID, "--json", "--workdir", folders.work, "--password-file", try Self.passwordFile(folders)]
                                                + sandbox.serviceArguments)
        #expect(resumed.status == 0, "\(resumed.standardOutput) \(resumed.standardError)")
        let result = try EndToEnd.object(resumed.standardOutput)
        #expect(result["flow"] as? String == flowID)
        let steps = try #require(result["steps"] as? [[String: Any]])
        #expect(steps.contains { $0["event"] as? String == "stepFinished" && $0["step"] as? Int == 13 })
        #expect(!steps.contains { $0["event"] as? String == "stepStarted" && $0["step"] as? Int == 7 }, "generateCertificate is not sent again")
        let keystore = try #require(result["keystoreFile"] as? String)
        let opened = try await EndToEnd.openssl(["pkcs12", "-in", keystore, "-passin", "env:\(EndToEnd.keystorePasswordVariable)", "-nokeys", "-clcerts"])
        #expect(opened.status == 0, "\(opened.standardError)")
    }

    @Test("answering n to the contract sends nothing signed: exit 6, CONTRACT_DECLINED, no generateCertificate")
    func decline() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let terminal = try Self.create(sandbox, .peeters, folders)
        let prompt = try await terminal.waitFor("Password of the software eID: ")
        try await terminal.waitForEchoOff()
        terminal.type(Self.typedPassword + "\n")
        _ = try await terminal.waitFor("[y/N] ", after: prompt)
        terminal.type("n\n")
        let status = try await terminal.exitStatus()

        let shown = Self.plain(terminal.transcript)
        #expect(status == 6, "\(shown)")
        #expect(!shown.contains(Self.typedPassword))
        #expect(shown.contains("CONTRACT_DECLINED"))
        #expect(shown.contains("nothing was signed"))
        let trace = try FileManager.default.contentsOfDirectory(atPath: folders.trace.path)
        #expect(trace.contains { $0.hasSuffix("-generateContract-response.xml") })
        #expect(!trace.contains { $0.contains("generateCertificate") }, "\(trace)")
        let list = try await EndToEnd.ehcert(["list"] + EndToEnd.eIDOptions(sandbox, .peeters) + sandbox.serviceArguments)
        #expect(list.status == 0, "\(list.standardError)")
        #expect(list.standardOutput.contains("The platform knows no certificate of yours."))
    }

    @Test("the pseudo-terminal echoes what is typed and turns Ctrl-C into SIGINT, so the tests above mean something")
    func pseudoTerminalItself() async throws {
        let cat = try PseudoTerminalProcess(executable: URL(fileURLWithPath: "/bin/cat"), arguments: [], environment: [:])
        #expect(cat.echoes)
        cat.type("visible\n")
        // Once echoed by the line discipline, once written back by cat.
        try await cat.waitFor("visible\nvisible\n")
        cat.pressControlC()
        #expect(try await cat.exitStatus() == 128 + SIGINT)
    }

    /// `ehcert create` on a new terminal, with a copy of the citizen's eID whose password is
    /// only typed, and the keystore password in a file.
    static func create(_ sandbox: SandboxProcess, _ citizen: SandboxProcess.Citizen, _ folders: EndToEnd) throws -> PseudoTerminalProcess {
        let eID = folders.root.appendingPathComponent("typed-eid.p12")
        try Keystore(contentsOf: sandbox.eID(citizen), password: EndToEnd.eIDPassword).write(to: eID, password: typedPassword)
        let executable = try #require(EHCertExecutable.url)
        let environment = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG", "TMPDIR"].contains($0.key) }
            .merging(["TERM": "xterm-256color"].merging(EndToEnd.noConfiguration) { $1 }) { $1 }
        return try PseudoTerminalProcess(
            executable: executable,
            arguments: ["create", "--email", "e2e@example.be", "--phone", "+3220000000", "--keystore-dir", folders.keystores,
                        "--workdir", folders.work, "--password-file", try passwordFile(folders), "--eid-p12", eID.path,
                        "--trace-dir", folders.trace.path] + sandbox.serviceArguments,
            environment: environment)
    }

    static func passwordFile(_ folders: EndToEnd) throws -> String {
        let file = folders.root.appendingPathComponent("keystore-password")
        try Data((EndToEnd.keystorePassword + "\n").utf8).write(to: file)
        return file.path
    }

    /// The text without the terminal's colour sequences.
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }
}
