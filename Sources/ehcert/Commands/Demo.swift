import ArgumentParser
import CertManagerKit
import Foundation
import Sandbox

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an eHealth certificate and ETK end to end against an embedded sandbox.",
        discussion: """
        Runs a local CertRA v2 / EtkRA v2 inside the process (state in WORKDIR/sandbox, trust \
        anchors in WORKDIR/sandbox/trust; every envelope is encoded, signed, traced and checked as \
        on the wire, only HTTP is left out: `ehcert-sandbox serve` serves the same over HTTP), takes the sandbox's first test citizen and their software eID, and \
        runs the whole create-new-ETK flow of the cookbook (4.3.4 steps 1 to 13), printing each step. \
        The contract is shown and accepted automatically. Ends with the keystore's path and contents.

        Running it again with the same --workdir resumes an unfinished demo flow.

        --scenario all goes on through every other flow, in a sandbox whose certificates are in \
        their replacement window as soon as they are issued: a certificate for an organization with \
        an application id, status and list, renewal and activation, revocation, and a foreigner \
        (the demo confirms on the validation page as the person would). Together they call all 14 \
        operations; --trace-dir records them.
        """)

    enum Scenario: String, ExpressibleByArgument, CaseIterable {
        /// The create-new-ETK flow for the citizen.
        case create
        /// create, then organization, status, renew, activate, revoke, foreigner.
        case all
    }

    @Option(help: "create (the person's new certificate and ETK) or all (every flow of the cookbook).")
    var scenario: Scenario = .create

    @Option(name: .customLong("workdir"), help: ArgumentHelp("Where the sandbox, the flow's journal and the keystore go (default: a new temporary folder).", valueName: "DIR"))
    var workDirectory: String?

    @Option(name: .customLong("trace-dir"), help: ArgumentHelp("Record every request and response in this folder.", valueName: "DIR"))
    var traceDirectory: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    static let keystorePassword = "ehcert-demo"

    func run() async throws {
        let terminal = Terminal.current
        let printer = FlowPrinter(terminal: terminal, json: json)
        let runner = FlowRunner(printer: printer, json: json)
        let folder = try workDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? Self.temporaryFolder()
        let sandbox: InProcessSandbox
        do {
            sandbox = try InProcessSandbox(stateDirectory: folder.appendingPathComponent("sandbox"),
                                           configuration: scenario == .all ? Self.allScenariosConfiguration : SandboxConfiguration())
        } catch {
            throw runner.report(CertManagerError(.init("SANDBOX_FAILED"), .local, reason: "the embedded sandbox did not start: \(error)",
                                                 advice: "Check that \(folder.path) is writable."), flowID: nil)
        }
        if scenario == .all, !WorkDirectory(folder).flows().isEmpty {
            throw runner.report(CertManagerError(.init("DEMO_FOLDER_USED"), .invalidInput, reason: "\(folder.path) already holds demo flows",
                                                 advice: "--scenario all needs a new --workdir (or none: a temporary folder)."), flowID: nil)
        }
        let outcome = try await demo(in: folder, sandbox: sandbox, printer: printer, runner: runner, terminal: terminal)
        if scenario == .all {
            if !json { runner.finish(outcome.result, report: outcome.report) }
            let summary = try await allScenarios(after: outcome.result, in: folder, sandbox: sandbox, printer: printer, runner: runner, terminal: terminal)
            if json { JSONOutput.print(summary) }
            return
        }
        runner.finish(outcome.result, report: outcome.report)
        if !json {
            print("")
            print("Keystore password: \(Self.keystorePassword)   Work folder: \(folder.path)")
            print("Inspect it again with: ehcert keystore show '\(outcome.result.keystoreFile.path)'")
        }
    }

    private func demo(in folder: URL, sandbox: InProcessSandbox, printer: FlowPrinter, runner: FlowRunner,
                      terminal: Terminal) async throws -> (result: CreateETKResult, report: KeystoreReport?) {
        guard let citizen = sandbox.world.citizens.first else {
            throw runner.report(CertManagerError(.init("SANDBOX_FAILED"), .local, reason: "the sandbox world has no citizen", advice: ""), flowID: nil)
        }
        let endpoints = ServiceEndpoints(certRA: sandbox.certRAEndpoint, etkRA: sandbox.etkRAEndpoint)
        printer.say(terminal.styled("ehcert demo", .bold) + ": a new eHealth certificate and ETK, cookbook 4.3.4 steps 1 to 13")
        printer.say("Sandbox  in this process, as \(endpoints.certRA.absoluteString) and \(endpoints.etkRA.absoluteString) (state in \(sandbox.world.directory.path))")
        printer.say("User     \(citizen.firstName) \(citizen.lastName), SSIN \(citizen.ssin), software eID \(citizen.eidKeystore.path) (\(citizen.keyKind))")
        printer.say("")

        let work = WorkDirectory(folder)
        let flow: CreateETKFlow
        if let unfinished = work.unfinishedFlows().last {
            printer.say("Resuming the unfinished demo flow \(unfinished.id)\n")
            flow = try CreateETKFlow.open(unfinished.id, in: work)
        } else if let finished = work.flows().last {
            // A second certificate for the same person would be refused (CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS).
            printer.say("The demo already ran in this folder (flow \(finished.id)); showing its result. Use a new --workdir for a fresh run.\n")
            flow = try CreateETKFlow.open(finished.id, in: work)
        } else {
            let request = CreateETKRequest(owner: .naturalPerson,
                                           contact: .init(email: "demo@example.be", phone: "+3220000000"),
                                           keystoreDirectory: folder.appendingPathComponent("keystore"))
            flow = try CreateETKFlow.start(request, endpoints: endpoints, workDirectory: work)
        }
        let settings = demoSettings(sandbox)
        let eID = PKCS12EIDKeySource(file: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)
        let contract = ContractPresenter(mode: .demo, saveHTMLTo: nil, maximumLines: 6, quiet: json, terminal: terminal)
        let result = try await runner.run(flow, eID: eID, keystorePassword: Self.keystorePassword, settings: settings, contract: contract)
        let report = try? KeystoreReport.read(file: result.keystoreFile, password: Self.keystorePassword)
        return (result, report)
    }

    /// The flows talk to the in-process sandbox through its transport, with tracing as usual;
    /// delivered certificates are checked against the eHealth root the sandbox publishes.
    func demoSettings(_ sandbox: InProcessSandbox) -> FlowSettings {
        var connection = ConnectionOptions(tracingHeaders: try? .init(from: "demo@example.be"),
                                           traceDirectory: traceDirectory.map { URL(fileURLWithPath: $0) },
                                           transport: sandbox.transport)
        connection.eHealthRoots = [sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem")]
        return FlowSettings(
            endpoints: ServiceEndpoints(certRA: sandbox.certRAEndpoint, etkRA: sandbox.etkRAEndpoint),
            connection: connection,
            retry: RetryPolicy(maximumAttempts: 3, backoff: Backoff(initial: .milliseconds(500), maximum: .seconds(2))),
            // The sandbox delivers within seconds: poll every second or two.
            polling: PollingPolicy(backoff: Backoff(initial: .seconds(1), multiplier: 1.5, maximum: .seconds(3)), maximumWait: .seconds(120)))
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ehcert-demo-" + UUID().uuidString.prefix(8).lowercased(), isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }
}
