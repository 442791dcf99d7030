import ArgumentParser
import CertManagerKit
import Foundation

/// Runs a create-new-ETK flow for a command: Ctrl-C cancels it cleanly, events are printed,
/// failures become one or two lines (or a JSON document) and a documented exit code.
struct FlowRunner {
    let printer: FlowPrinter
    let json: Bool
    let terminal: Terminal = .current

    struct Outcome: Encodable {
        let flow: String
        let keystore: JSONOutput.Keystore?
        let keystoreFile: String
        let etkFile: String?
        let distinguishedName: String
        let encryptionKeyAlias: String
        /// A renewal: the replaced certificate, the old encryption keys kept, and whether the ETK waits for activation.
        let replacesCertificate: String?
        let keptEncryptionKeyAliases: [String]
        let etkToBeActivated: Bool
        let steps: [FlowPrinter.Record]
    }

    func run(_ flow: CreateETKFlow, eID: any EIDKeySource, keystorePassword: String, settings: FlowSettings,
             contract: ContractPresenter) async throws -> CreateETKResult {
        let printer = self.printer
        defer { printer.endWaiting() }
        do {
            return try await withInterruptCancellation {
                try await flow.run(eID: eID, keystorePassword: keystorePassword, settings: settings,
                                   reviewContract: { try await contract.review($0) },
                                   progress: { printer.handle($0) })
            }
        } catch let error as CertManagerError {
            throw report(error, flowID: flow.id)
        } catch {
            throw report(CertManagerError(error), flowID: flow.id)
        }
    }

    /// Prints the error and what to do, returns the exit code to throw.
    func report(_ error: CertManagerError, flowID: FlowID?) -> ExitCode {
        printer.endWaiting()
        let status = ExitStatus(error.category)
        if json {
            JSONOutput.print(JSONOutput.Failure(error))
            return status.exitCode
        }
        var text = terminal.styled("error:", .red) + " \(error.code.rawValue): \(error.reason)"
        if let operation = error.operation { text = terminal.styled("error:", .red) + " \(operation): \(error.code.rawValue): \(error.reason)" }
        if let ticket = error.ticket { text += " (platform ticket \(ticket))" }
        Terminal.printError(text)
        var advice = error.advice
        if let flowID {
            // The advice says `resume` in CertManagerKit's words; here it can name the command.
            let command = "`ehcert resume \(flowID)`"
            if advice.contains("`resume`") {
                advice = advice.replacingOccurrences(of: "`resume`", with: command)
            } else if [.pending, .cancelled, .unavailable, .configuration].contains(error.category) {
                advice += (advice.isEmpty ? "" : " ") + "Continue with: ehcert resume \(flowID)"
            }
        }
        if !advice.isEmpty { Terminal.printError("  → " + advice) }
        return status.exitCode
    }

    func finish(_ result: CreateETKResult, report: KeystoreReport?) {
        if json {
            JSONOutput.print(Outcome(flow: result.flowID.rawValue, keystore: report.map(JSONOutput.Keystore.init),
                                     keystoreFile: result.keystoreFile.path, etkFile: result.etkFile?.path,
                                     distinguishedName: result.distinguishedName, encryptionKeyAlias: result.encryptionKeyAlias,
                                     replacesCertificate: result.replacesCertificate, keptEncryptionKeyAliases: result.keptEncryptionKeyAliases,
                                     etkToBeActivated: result.etkToBeActivated, steps: printer.events))
            return
        }
        print("")
        print(terminal.styled("Done.", .green) + " New eHealth certificate and ETK for \(result.distinguishedName)")
        if let report { print(KeystorePrinter(terminal: terminal).text(report)) }
        if report?.isJava8Compatible == false {
            print("")
            print("This keystore is AES/PBKDF2-protected, which Java 8 runtimes cannot open. For them, rewrite it legacy-protected")
            print("(the new password may be the same):  ehcert keystore passwd '\(result.keystoreFile.path)' --format legacy")
            print("or pass --keystore-format legacy to create, renew and foreigner.")
        }
        if result.etkToBeActivated {
            print("")
            print(terminal.styled("The new ETK waits for activation.", .yellow) + " Install the new keystore where messages are decrypted, then run:")
            print("  ehcert activate '\(result.keystoreFile.path)'")
        }
    }
}
