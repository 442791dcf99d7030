import ArgumentParser
import CertManagerKit

@main
struct EHCert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ehcert",
        abstract: "Obtain eHealth certificates and encryption tokens (ETKs) from the eHealth platform.",
        discussion: """
        Talks to the eHealth platform's Certificate Manager services, CertRA v2 and EtkRA v2, following \
        the cookbook's flows. Try it offline first: `ehcert demo`.

        \(ExitStatus.documentation)
        Colour is used on a terminal only, and never when NO_COLOR is set.
        """,
        subcommands: [Demo.self, Create.self, Resume.self, Status.self, List.self, Check.self, Renew.self, Activate.self, Revoke.self, Foreigner.self,
                      KeystoreCommand.self, Endpoints.self]
    )
}

struct Endpoints: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the CertRA and EtkRA endpoints of each environment.")

    func run() {
        for environment in PlatformEnvironment.allCases {
            print("\(environment.rawValue): CertRA \(environment.certRAEndpoint.absoluteString)  EtkRA \(environment.etkRAEndpoint.absoluteString)")
        }
    }
}
