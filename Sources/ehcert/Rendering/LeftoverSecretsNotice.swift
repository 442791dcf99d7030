import CertManagerKit
import Foundation

/// Private keys a flow left in the work directory: an unfinished flow's (a crash, Ctrl-C, or
/// waiting for delivery; `resume` needs them) and a finished flow's whose clean-up did not
/// happen. Said on standard error, so JSON on standard output stays clean.
enum LeftoverSecretsNotice {
    /// The work directory of the configuration file, else the default one.
    static var workDirectory: WorkDirectory {
        ActiveConfiguration.current.workDirectory.map { WorkDirectory(URL(fileURLWithPath: $0)) } ?? .default
    }

    static func lines(for flows: [FlowSummary], in work: WorkDirectory) -> [String] {
        flows.map { flow in
            let file = work.folder(for: flow.id).appendingPathComponent("secrets.p12").path
            if let next = flow.nextStep {
                return "note: flow \(flow.id) (\(flow.owner)) stopped before step \(next.number) and keeps private keys in \(file): `ehcert resume \(flow.id)` finishes it"
            }
            return "note: flow \(flow.id) (\(flow.owner)) finished but left private keys in \(file): `ehcert resume \(flow.id)` removes them once \(flow.keystoreFile.path) holds them"
        }
    }

    static func print(work: WorkDirectory = workDirectory) {
        for line in lines(for: work.flowsHoldingSecrets(), in: work) { Terminal.printError(line) }
    }
}
