import ArgumentParser
import CertManagerKit

@main
struct EHCert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ehcert",
        abstract: "Obtain, renew and revoke eHealth certificates and encryption tokens (ETKs).",
        discussion: """
        Talks to the eHealth platform's Certificate Manager services, CertRA v2 and EtkRA v2.
        The certificate flows arrive in later releases; today this lists the platform endpoints.
        """,
        subcommands: [Endpoints.self]
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
