import ArgumentParser
import CertManagerKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox
import Security

/// `ehcert demo --scenario all`: after the person's new certificate, every other flow of the
/// cookbook against the same embedded sandbox.
extension Demo {
    /// Certificates live 200 days, the last 250 of which are the replacement period: every
    /// certificate is Replaceable as soon as it is issued, so renewal can be shown today.
    static let allScenariosConfiguration = SandboxConfiguration(deliveryDelay: 1, certificateLifetime: 200 * 86_400, replacementPeriod: 250 * 86_400)

    static let demoOrganization = CreateETKRequest.Organization(type: "CBE", identifier: "0412345614", applicationID: "DEMO-APP")
    static let demoForeigner = CreateETKRequest.Foreigner(bis: "92471004573", firstNames: ["John"], lastName: "Smith")

    struct AllScenarios: Encodable {
        let person: String
        let organization: String
        let renewed: String
        let activation: String
        let revoked: String
        let foreigner: String
        let traceDirectory: String?
    }

    func allScenarios(after person: CreateETKResult, in folder: URL, sandbox: EmbeddedSandbox, printer: FlowPrinter, runner: FlowRunner,
                      terminal: Terminal) async throws -> AllScenarios {
        guard let citizen = sandbox.world.citizens.first else { throw ExitCode.failure }
        let endpoints = ServiceEndpoints(certRA: sandbox.certRAEndpoint, etkRA: sandbox.etkRAEndpoint)
        let settings = demoSettings(endpoints, sandbox: sandbox)
        let work = WorkDirectory(folder)
        let keystores = folder.appendingPathComponent("keystore")
        let eID = PKCS12EIDKeySource(file: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)
        let contract = ContractPresenter(mode: .demo, saveHTMLTo: nil, maximumLines: 3, quiet: json, terminal: terminal)
        let password = Self.keystorePassword
        func heading(_ text: String) {
            printer.say("\n" + terminal.styled("▶ " + text, .bold))
        }
        do {
            heading("An organization's certificate with an application id (cookbook 4.3.4): CBE 0412345614, DEMO-APP, signed by \(citizen.firstName) \(citizen.lastName)")
            let organizationFlow = try CreateETKFlow.start(
                CreateETKRequest(owner: .organization(Self.demoOrganization), contact: .init(email: "demo@example.be", phone: "+3220000000"),
                                 keystoreDirectory: keystores),
                endpoints: endpoints, workDirectory: work)
            let organization = try await runner.run(organizationFlow, eID: eID, keystorePassword: password, settings: settings, contract: contract)
            printer.say("    keystore \(organization.keystoreFile.path)")

            heading("Status and list (getCertificateInfoForAuthenticationCertificate, getCertificateInfoForCitizen)")
            let information = CertificateInformation(endpoints: endpoints, settings: settings)
            let status = try await information.status(ofKeystore: organization.keystoreFile, password: password)
            let statusPrinter = StatusPrinter(terminal: terminal, now: Date())
            printer.say(statusPrinter.text(status, warnDays: 30))
            let list = try await information.certificates(of: eID)
            printer.say("\(citizen.firstName) \(citizen.lastName) has or manages \(list.count) certificate\(list.count == 1 ? "" : "s"): "
                        + list.map { "\($0.distinguishedName ?? $0.owner) (\($0.state.rawValue))" }.joined(separator: "; "))

            heading("Renew the organization's certificate (cookbook 4.3.5), then activate its ETK")
            let renewalFlow = try await CertificateRenewal.start(keystore: organization.keystoreFile, password: password, endpoints: endpoints,
                                                                 settings: settings, workDirectory: work)
            let renewed = try await runner.run(renewalFlow, eID: eID, keystorePassword: password, settings: settings, contract: contract)
            printer.say("    new keystore \(renewed.keystoreFile.path); replaces \(renewed.replacesCertificate ?? "?"); kept encryption keys \(renewed.keptEncryptionKeyAliases.joined(separator: ", "))")
            printer.say("    the new ETK " + (renewed.etkToBeActivated ? "waits for activation" : "is active"))
            let activation = try await ETKActivation(endpoints: endpoints, settings: settings).activate(keystore: renewed.keystoreFile, password: password)
            printer.say("    activateETK: " + (activation == .activated ? "activated" : "RENEW_ACTIVATION_ETK_ALREADY_ACTIF"))

            heading("Revoke the replaced certificate (cookbook 4.3.6), reason superseded")
            let replaced = try PublicKeyIdentifier(certificate: organization.authenticationCertificate)
            let revoked = try await CertificateRevocation(endpoints: endpoints, settings: settings).revoke(
                replaced, reason: .superseded, eID: eID,
                review: { offer in
                    printer.say("    revoking \(offer.certificate.distinguishedName ?? offer.certificate.owner): \(offer.reason.explanation)")
                    return try await contract.review(offer.contract)
                },
                progress: { printer.handle($0) })

            heading("A foreigner without a Belgian eID (cookbook 4.3.7): \(Self.demoForeigner.firstNames.joined(separator: " ")) \(Self.demoForeigner.lastName), BIS \(Self.demoForeigner.bis)")
            let foreignerFlow = try CreateETKFlow.start(
                CreateETKRequest(owner: .foreigner(Self.demoForeigner), contact: .init(email: "john.smith@example.com", phone: "+44200000000"),
                                 keystoreDirectory: keystores),
                endpoints: endpoints, workDirectory: work)
            do {
                _ = try await foreignerFlow.run(eID: Foreigner.NoEID(), keystorePassword: password, settings: settings,
                                                reviewContract: { _ in .decline }, progress: { printer.handle($0) })
            } catch let error as CertManagerError where error.category == .pending {
                printer.say("    " + error.advice)
            }
            guard let link = await foreignerFlow.validationURL else {
                throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "submitCSRForForeigner gave no validation page", advice: "")
            }
            printer.say("    the demo confirms on \(link.absoluteString) as the person would")
            try await Self.confirm(link)
            let foreigner = try await runner.run(foreignerFlow, eID: Foreigner.NoEID(), keystorePassword: password, settings: settings, contract: contract)
            printer.say("    keystore \(foreigner.keystoreFile.path)")

            printer.say("\n" + terminal.styled("Done.", .green) + " All scenarios ran; keystore password \(password), work folder \(folder.path)")
            if let traceDirectory { printer.say("Every exchange is in \(traceDirectory)") }
            return AllScenarios(person: person.keystoreFile.path, organization: organization.keystoreFile.path, renewed: renewed.keystoreFile.path,
                                activation: activation == .activated ? "activated" : "alreadyActive", revoked: revoked.publicKeyIdentifier.hex,
                                foreigner: foreigner.keystoreFile.path, traceDirectory: traceDirectory)
        } catch let error as CertManagerError {
            await sandbox.stop()
            throw runner.report(error, flowID: nil)
        }
    }

    /// What the person does on the validation page: confirm (a POST of its form).
    static func confirm(_ link: URL) async throws {
        var request = URLRequest(url: link)
        request.httpMethod = "POST"
        let status: Int
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            throw CertManagerError(.transportFailed, .unavailable, reason: "the validation page did not answer: \(error)", advice: "")
        }
        guard status == 200 else {
            throw CertManagerError(.httpError, .refused, reason: "the validation page answered HTTP \(status)", advice: "")
        }
    }
}
