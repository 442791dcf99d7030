import ArgumentParser
import CertManagerKit
import Foundation

@main
struct EHCert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ehcert",
        abstract: "Obtain eHealth certificates and encryption tokens (ETKs) from the eHealth platform.",
        discussion: """
        Talks to the eHealth platform's Certificate Manager services, CertRA v2 and EtkRA v2, following \
        the cookbook's flows. Try it offline first: `ehcert demo`.

        \(ConfigurationFile.documentation)

        \(ExitStatus.documentation)
        Colour is used on a terminal only, and never when NO_COLOR is set.
        """,
        subcommands: [Demo.self, Create.self, Resume.self, Status.self, List.self, Check.self, Renew.self, Activate.self, Revoke.self, Foreigner.self,
                      Qualities.self, ReleaseSamplesCommand.self, OrganizationTypes.self, ApplicationIDs.self, KeystoreCommand.self, ETKCommand.self, Endpoints.self]
    )

    /// Reads the configuration file (taking `--config FILE` out of the arguments) before the
    /// arguments are parsed, so that options can fall back on it; then runs the command.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        do {
            let explicit = try ConfigurationFile.extractOption(from: &arguments)
            ActiveConfiguration.activate(try ConfigurationFile.load(explicit: explicit))
        } catch {
            let json = arguments.contains("--json")
            let code = FlowRunner(printer: FlowPrinter(json: json), json: json).report(CertManagerError(error), flowID: nil)
            exit(withError: code)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

struct Endpoints: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the CertRA and EtkRA endpoints of each environment.")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() {
        // The local sandbox (`ehcert-sandbox serve`, default port) first, then the platform's.
        let sandbox = ConnectionOptionGroup.sandboxEndpoints
        let table = [("sandbox", sandbox.certRA, sandbox.etkRA)]
            + PlatformEnvironment.allCases.map { ($0.rawValue, $0.certRAEndpoint, $0.etkRAEndpoint) }
        if json {
            JSONOutput.print(table.map { ["environment": $0.0, "certRA": $0.1.absoluteString, "etkRA": $0.2.absoluteString] })
            return
        }
        for (name, certRA, etkRA) in table {
            print("\(name): CertRA \(certRA.absoluteString)  EtkRA \(etkRA.absoluteString)")
        }
    }
}
