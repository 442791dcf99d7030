import ArgumentParser
import Foundation
import Sandbox
import SandboxHTTP
import Security

@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ehcert-sandbox",
        abstract: "A local CertRA v2 / EtkRA v2 with a test PKI, for tests, demos and integrators.",
        subcommands: [Init.self, Serve.self, Approve.self]
    )
}

struct StateOption: ParsableArguments {
    @Option(name: .customLong("state"), help: "The sandbox's state directory.")
    var directory: String

    var url: URL { URL(fileURLWithPath: directory).standardizedFileURL }
}

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the test world: CAs, citizens with software eIDs, organizations, trust anchors.",
        discussion: "Does nothing to a directory that already holds a world. Citizens' eIDs are PKCS#12 files citizens/<SSIN>/eid.p12 with the password \"\(SandboxWorld.citizenKeystorePassword)\".")

    @OptionGroup var state: StateOption

    func run() async throws {
        let world = try SandboxWorld.create(at: state.url)
        print("sandbox world in \(world.directory.path)")
        print("trust anchors: \(world.trustDirectory.appendingPathComponent("eid-root.pem").path), \(world.trustDirectory.appendingPathComponent("ehealth-root.pem").path)")
        for citizen in world.citizens {
            let notes = [citizen.keyKind, citizen.hasQualities ? "health-care quality" : "no quality",
                         citizen.automaticValidation ? "automatic validation" : "manual validation"]
                + (citizen.organizations.isEmpty ? [] : ["manages " + citizen.organizations.joined(separator: ", ")])
            print("  \(citizen.ssin)  \(citizen.firstName) \(citizen.lastName)  (\(notes.joined(separator: "; ")))  \(citizen.eidKeystore.path)")
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve /CertRa/v2 and /EtkRa/v2 on loopback over HTTP or HTTPS.",
        discussion: "Creates the world first if the state directory has none. Stop with Ctrl-C; the state survives restarts.")

    @OptionGroup var state: StateOption

    @Option(help: "The TCP port (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "The address to listen on; only loopback addresses are accepted.")
    var host: String = "127.0.0.1"

    @Option(help: "Seconds between an accepted generateCertificate and the certificate's delivery.")
    var deliveryDelay: Double = 5

    @Option(help: "Days added to the sandbox's clock, e.g. 1040 to be inside a new certificate's replacement period.")
    var clockOffsetDays: Double = 0

    @Option(name: .customLong("fault"), help: ArgumentHelp(
        "Stage a fault for client tests: OPERATION=KIND[:COUNT]; repeatable.",
        discussion: """
        OPERATION is a WSDL operation name (getCertificate, generateCertificate, completeETKRegistration ...). \
        KIND is 503 (HTTP 503 with an HTML page), drop (the connection closed without any response), \
        malformed (HTTP 200 text/xml whose body is not XML), latency-SECONDS (the answer comes later), \
        status:CODE (the operation's response with the eHealth error CODE of cookbook chapter 7.1, e.g. \
        status:CSR_NOT_VALID) or soap-fault:CODE (a SOAP fault with the SOA error CODE of 7.2, e.g. \
        soap-fault:SOA-03001); status-after:CODE and soap-fault-after:CODE apply the request first. \
        By default the request is refused before it is handled; add -after (e.g. drop-after) to handle it \
        first and then spoil the answer, as when the platform did the work but the client never heard. \
        COUNT is how many calls of that operation are hit, 1 by default, or always. \
        Rules for one operation apply in order: --fault getCertificate=drop --fault getCertificate=503 \
        drops the first call and answers 503 to the second.
        """,
        valueName: "fault"), transform: { try SandboxFaultPlan.Rule(parsing: $0) })
    var faults: [SandboxFaultPlan.Rule] = []

    @Option(name: .customLong("contract-dn-form"), help: ArgumentHelp(
        "How generateContract writes the DN: cookbook (CN=SSIN=…, the default) or escaped (CN=SSIN\\=…); both are accepted back.",
        valueName: "form"))
    var contractDNForm: String = "cookbook"

    @Option(name: .customLong("public-key-identifier"), help: ArgumentHelp(
        "The PublicKeyIdentifier generateCertificate answers: subject-public-key (the cookbook's, default) or subject-public-key-info (SHA-1 of the whole key info, as a platform computing it otherwise would).",
        valueName: "method"))
    var publicKeyIdentifier: String = PlatformVariations.PublicKeyIdentifierAnswer.subjectPublicKey.rawValue

    @Option(name: .customLong("certificate-signature-algorithm"), help: ArgumentHelp(
        "The eHealth CA's signature algorithm for authentication certificates: sha256WithRSAEncryption (default), sha384WithRSAEncryption or sha512WithRSAEncryption.",
        valueName: "name"))
    var certificateSignatureAlgorithm: String?

    @Option(name: .customLong("certificate-validity-delay"), help: ArgumentHelp(
        "Seconds after issuing before an authentication certificate is valid, as with a CA clock ahead of yours (startETKRegistration answers ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID until then).",
        valueName: "seconds"))
    var certificateValidityDelay: Double = 0

    @Flag(name: .customLong("withhold-until-valid"), help: "With --certificate-validity-delay: getCertificate answers AUTH_CERT_NOT_YET_VALID with the date until the certificate is valid.")
    var withholdUntilValid = false

    @Option(name: .customLong("request-log"), help: ArgumentHelp("Append each request's operation, User-Agent and From to this file (JSON lines).", valueName: "file"))
    var requestLog: String?

    @Flag(help: ArgumentHelp("Serve HTTPS with a generated server certificate.",
                             discussion: "The certificate is for localhost, 127.0.0.1 and ::1; clients trust its root, STATE/trust/tls-root.pem (ehcert --trust-root)."))
    var tls = false

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("the sandbox listens on loopback only (127.0.0.1, ::1 or localhost)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard deliveryDelay >= 0 else { throw ValidationError("--delivery-delay cannot be negative") }
        guard EHealthDistinguishedName.StringForm(rawValue: contractDNForm) != nil else {
            throw ValidationError("--contract-dn-form must be cookbook or escaped")
        }
        guard PlatformVariations.PublicKeyIdentifierAnswer(rawValue: publicKeyIdentifier) != nil else {
            throw ValidationError("--public-key-identifier must be " + PlatformVariations.PublicKeyIdentifierAnswer.allCases.map(\.rawValue).joined(separator: " or "))
        }
        if let certificateSignatureAlgorithm, PlatformVariations.signatureAlgorithmNames[certificateSignatureAlgorithm] == nil {
            throw ValidationError("--certificate-signature-algorithm must be one of " + PlatformVariations.signatureAlgorithmNames.keys.sorted().joined(separator: ", "))
        }
        guard certificateValidityDelay >= 0 else { throw ValidationError("--certificate-validity-delay cannot be negative") }
        if withholdUntilValid, certificateValidityDelay == 0 {
            throw ValidationError("--withhold-until-valid needs --certificate-validity-delay")
        }
    }

    func run() async throws {
        var configuration = SandboxConfiguration(deliveryDelay: deliveryDelay, clockOffset: clockOffsetDays * 86_400,
                                                 faults: SandboxFaultPlan(faults))
        configuration.contractDistinguishedNameForm = EHealthDistinguishedName.StringForm(rawValue: contractDNForm) ?? .cookbook
        configuration.variations.publicKeyIdentifierAnswer = PlatformVariations.PublicKeyIdentifierAnswer(rawValue: publicKeyIdentifier) ?? .subjectPublicKey
        configuration.variations.certificateSignatureAlgorithm = certificateSignatureAlgorithm.flatMap { PlatformVariations.signatureAlgorithmNames[$0] }
        configuration.variations.certificateValidityDelay = certificateValidityDelay
        configuration.variations.withholdsCertificateUntilValid = withholdUntilValid
        configuration.requestHeaderLog = requestLog.map { URL(fileURLWithPath: $0) }
        let sandbox = try await EmbeddedSandbox.start(stateDirectory: state.url, host: host, port: port,
                                                      configuration: configuration, tls: tls, logLevel: .info)
        // Written unbuffered, so a script reading a pipe sees the endpoints (and the port) at once.
        FileHandle.standardOutput.write(Data("""
        ehcert-sandbox serving \(sandbox.certRAEndpoint.absoluteString) and \(sandbox.etkRAEndpoint.absoluteString)
        state: \(state.url.path); trust anchors in \(sandbox.world.trustDirectory.path)\(sandbox.usesTLS ? "\nHTTPS: trust \(sandbox.tlsRootFile.path)" : "")
        \(faults.isEmpty ? "" : "staged faults: \(sandbox.faults.plan)\n")
        """.utf8))
        await withTaskCancellationHandler {
            await sandbox.wait()
        } onCancel: {
            Task { await sandbox.stop() }
        }
    }
}

struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Complete a manually validated certificate request, as the platform's operators do.",
        discussion: "Without an argument, lists the requests waiting for approval. Safe while `serve` runs on the same folder: the change is one database transaction, which the server sees at its next request.")

    @OptionGroup var state: StateOption

    @Argument(help: "The request's PublicKeyIdentifier (40 hexadecimal digits).")
    var publicKeyIdentifier: String?

    func validate() throws {
        if let publicKeyIdentifier {
            guard publicKeyIdentifier.count == 40, publicKeyIdentifier.allSatisfy(\.isHexDigit) else {
                throw ValidationError("a PublicKeyIdentifier is 40 hexadecimal digits")
            }
        }
    }

    func run() async throws {
        let engine = try SandboxEngine(world: try SandboxWorld.load(from: state.url))
        guard let publicKeyIdentifier else {
            let pending = await engine.pendingApprovals()
            if pending.isEmpty { print("no request waits for approval") }
            for request in pending { print("\(request.publicKeyIdentifier)  \(request.dn)") }
            return
        }
        try await engine.approve(publicKeyIdentifier: publicKeyIdentifier)
        print("approved \(publicKeyIdentifier.uppercased()): getCertificate will deliver it")
    }
}
