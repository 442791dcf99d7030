import ArgumentParser
import CertManagerKit
import Foundation

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check keystores for certificates to renew (for monitoring and cron).",
        discussion: """
        For each keystore (default: *.p12 in the configuration's keystore-dir, else ~/ehealth/keystore), asks the platform for its \
        certificate's status. Exits with 8 and says why when a certificate expires within \
        --warn-days, its replacement window is open, it is no longer valid, or a keystore could not \
        be checked; 0 when nothing needs doing.

        Passwords: a keystore's own comes from --password-map (a JSON object from keystore path \
        or file name to password) or from a file next to it named like the keystore plus \
        `.password` (`X.p12.password`, first line); the others share the common password \
        (--password-env, --password-file, or asked once, only when some keystore needs it).
        """)

    @Argument(help: "The keystores (.p12) to check.")
    var keystores: [String] = []

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup
    @OptionGroup(title: "Environment") var environmentGuard: EnvironmentGuardOptionGroup

    @Option(name: .customLong("password-map"), help: ArgumentHelp("A JSON file mapping keystore paths or file names to their passwords.", valueName: "FILE"))
    var passwordMap: String?

    @OptionGroup(title: "Warnings") var warning: WarningWindowOptionGroup

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        try connection.requireEndpoints()
    }

    func run() async throws {
        let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
        let files = keystores.isEmpty ? CertificateCheck.defaultKeystores(in: ActiveConfiguration.keystoreDirectory) : keystores.map { URL(fileURLWithPath: $0) }
        guard !files.isEmpty else {
            throw runner.report(CertManagerError(.fileFailed, .local, reason: "no keystore to check in \(ActiveConfiguration.keystoreDirectory.path)",
                                                 advice: "Name the keystores to check."), flowID: nil)
        }
        let findings: [CertificateCheck.Finding]
        do {
            let information = CertificateInformation(endpoints: connection.endpoints!,
                                                     settings: FlowSettings(connection: try connection.connectionOptions(), allowsOtherEnvironment: environmentGuard.force))
            var passwords = KeystorePasswords(map: try passwordMap.map { try KeystorePasswords.readMap(URL(fileURLWithPath: $0)) } ?? [:])
            // The common password is asked for only when some keystore has none of its own.
            if try files.contains(where: { try passwords.specificPassword(for: $0) == nil }) {
                passwords.common = try password.read(new: false)
            }
            findings = await CertificateCheck(information: information, warnDays: warning.days).check(files, passwords: passwords)
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
        let now = Date()
        let terminal = Terminal.current
        if json {
            JSONOutput.print(findings.map {
                JSONOutput.CheckFinding(keystore: $0.keystore.path, needsAttention: $0.needsAttention,
                                        certificate: $0.status.map { JSONOutput.Status($0, now: now, warnDays: warning.days) },
                                        error: $0.error.map { JSONOutput.Failure($0).error })
            })
        } else {
            for finding in findings {
                if let error = finding.error {
                    print(terminal.styled("✗", .red) + " \(finding.keystore.path): \(error.code.rawValue): \(error.reason)")
                } else if finding.warnings.isEmpty {
                    let until = finding.status?.notAfter.map { ", valid until \(KeystorePrinter.format($0))" } ?? ""
                    print(terminal.styled("✓", .green) + " \(finding.keystore.path)\(until)")
                } else {
                    print(terminal.styled("⚠", .yellow) + " \(finding.keystore.path)")
                    for warning in finding.warnings { print("    \(warning.code): \(warning.description)") }
                }
            }
        }
        if findings.contains(where: \.needsAttention) { throw ExitStatus.attention.exitCode }
    }
}
