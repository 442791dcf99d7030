import ArgumentParser
import CertManagerKit
import Foundation

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a flow that stopped (not yet delivered, Ctrl-C, crash, network failure).",
        discussion: """
        Continues from the last step recorded in the flow's journal; nothing done is done again, and \
        your eID is asked for only if a remaining step signs with it. Without FLOW-ID, resumes the \
        only unfinished flow of the work directory. --list shows the flows. A foreigner's flow \
        (`ehcert foreigner`) waits here, within --max-wait, for the person to confirm on the validation page.
        """)

    @Argument(help: "The flow to resume (see --list).")
    var flowID: String?

    @Flag(help: "List the flows of the work directory instead.")
    var list = false

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "eID") var eID: EIDOptionGroup
    @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup
    @OptionGroup(title: "Flow") var flow: FlowOptionGroup

    @Option(name: .customLong("save-contract"), help: ArgumentHelp("Save the contract's HTML to this file.", valueName: "FILE"))
    var saveContract: String?

    @Flag(name: .customLong("force-environment"), help: "Continue the flow against the environment or URLs given here although it was started against others.")
    var forceEnvironment = false

    @Flag(name: .customLong("accept-contract"), help: "Accept the contract without asking (for scripts, once you have read it).")
    var acceptContract = false

    func validate() throws {
        if let flowID, FlowID(rawValue: flowID) == nil { throw ValidationError("\(flowID) is not a flow id (see --list)") }
    }

    func run() async throws {
        let printer = FlowPrinter(json: flow.json)
        let runner = FlowRunner(printer: printer, json: flow.json)
        let work = flow.work
        if list {
            let flows = work.flows()
            if flow.json {
                JSONOutput.print(flows.map { ["id": $0.id.rawValue, "owner": $0.owner, "next": $0.nextStep.map { "\($0.number)) \($0.title)" } ?? "finished",
                                               "keystore": $0.keystoreFile.path] })
            } else if flows.isEmpty {
                print("no flows in \(work.url.path)")
            } else {
                for summary in flows {
                    print("\(summary.id)  \(summary.owner)  " + (summary.nextStep.map { "next: \($0)" } ?? "finished: \(summary.keystoreFile.path)"))
                }
            }
            return
        }
        let id: FlowID
        if let flowID {
            id = FlowID(rawValue: flowID)!
        } else {
            let unfinished = work.unfinishedFlows()
            guard unfinished.count == 1, let only = unfinished.first else {
                throw ValidationError(unfinished.isEmpty
                    ? "no unfinished flow in \(work.url.path)"
                    : "several unfinished flows; name one: " + unfinished.map(\.id.rawValue).joined(separator: ", "))
            }
            id = only.id
        }
        do {
            let opened = try CreateETKFlow.open(id, in: work)
            let endpoints = try Self.endpoints(recorded: await opened.endpoints, asked: connection.commandLineEndpoints, force: forceEnvironment)
            if let next = await opened.nextStep { printer.say("Resuming flow \(id) at step \(next) (\(endpoints))\n") }
            let keystorePassword = try password.read(new: false)
            let settings = FlowSettings(endpoints: endpoints, connection: try connection.connectionOptions(defaultFrom: await opened.request.contact.email, endpoints: endpoints),
                                        polling: flow.polling)
            let contract = ContractPresenter(mode: acceptContract ? .acceptedBeforehand : .ask,
                                             saveHTMLTo: saveContract.map { URL(fileURLWithPath: $0) }, maximumLines: nil,
                                             quiet: flow.json && acceptContract, terminal: .current)
            let result = try await runner.run(opened, eID: try eID.deferredKeySource(), keystorePassword: keystorePassword,
                                              settings: settings, contract: contract)
            runner.finish(result, report: try? KeystoreReport.read(file: result.keystoreFile, password: keystorePassword))
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }

    /// A flow continues where it was started: the configuration file's `env` does not move it.
    /// The command line may name the same place, or another one with --force-environment.
    static func endpoints(recorded: ServiceEndpoints, asked: ServiceEndpoints?, force: Bool) throws -> ServiceEndpoints {
        guard let asked, asked != recorded else { return recorded }
        guard force else {
            throw CertManagerError(.init("ENVIRONMENT_MISMATCH"), .configuration,
                                   reason: "the flow was started against \(recorded), not \(asked)",
                                   advice: "Resume without --env/--certra-url/--etkra-url to continue against \(recorded); give --force-environment only if the flow must move.")
        }
        return asked
    }
}
