import ArgumentParser
import CertManagerKit
import Foundation
import SOAPRuntime

/// Where the services are and how to reach them.
struct ConnectionOptionGroup: ParsableArguments {
    @Option(name: .customLong("env"), help: ArgumentHelp(
        "The platform environment: sandbox, acceptance or production.",
        discussion: "sandbox is a local `ehcert-sandbox serve` on http://127.0.0.1:8080. Resuming a flow defaults to the environment it was started in."))
    var environment: String?

    @Option(name: .customLong("certra-url"), help: "A custom CertRA v2 endpoint (with --etkra-url).")
    var certRAURL: String?

    @Option(name: .customLong("etkra-url"), help: "A custom EtkRA v2 endpoint (with --certra-url).")
    var etkRAURL: String?

    @Option(name: .customLong("trust-root"), help: ArgumentHelp("A PEM file of a CA to trust besides the system's (repeatable).", valueName: "PEM"))
    var trustRoots: [String] = []

    @Option(name: .customLong("ehealth-root"), help: ArgumentHelp(
        "A PEM bundle of the eHealth root CAs that delivered certificates must chain to (repeatable).",
        discussion: "Also \"ehealth-roots\" in the configuration file, per environment. The sandbox publishes its own; without one for acceptance or production, delivered certificates are checked for dates, usage, key and name only, and a warning says so.",
        valueName: "PEM"))
    var eHealthRootOptions: [String] = []

    @Option(name: .customLong("trace-dir"), help: ArgumentHelp("Record every request and response in this folder.", valueName: "DIR"))
    var traceDirectoryOption: String?

    @Option(name: .customLong("user-agent"), help: "The User-Agent to send (cookbook 4.1.2: {software}/{version} {connector}/{version}; default \(TracingHeaders.defaultUserAgent)).")
    var userAgentOption: String?

    @Option(name: .customLong("from"), help: "An e-mail address for emergency contact, sent as the From header (cookbook 4.1.2); create, resume and foreigner send the contact e-mail when none is set.")
    var fromOption: String?

    @Option(name: .customLong("timeout"), help: "Seconds one exchange may take (default 60).")
    var timeoutOption: Int?

    /// The configuration file's defaults (options given here win).
    var file: ConfigurationFile { ActiveConfiguration.current }

    var traceDirectory: String? { traceDirectoryOption ?? file.traceDirectory }
    var userAgent: String { userAgentOption ?? file.userAgent ?? TracingHeaders.defaultUserAgent }
    var from: String? { fromOption ?? file.from }
    var timeout: Int { timeoutOption ?? file.timeout ?? 60 }

    func validate() throws {
        if let environment, !["sandbox", "acceptance", "production"].contains(environment) {
            throw ValidationError("--env must be sandbox, acceptance or production")
        }
        if (certRAURL == nil) != (etkRAURL == nil) {
            throw ValidationError("give both --certra-url and --etkra-url, or neither")
        }
        if environment != nil, certRAURL != nil {
            throw ValidationError("give --env or custom URLs, not both")
        }
        for url in [certRAURL, etkRAURL].compactMap({ $0 }) {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? "") else {
                throw ValidationError("\(url) is not an http(s) URL")
            }
            do { try EndpointPolicy.check(parsed) } catch let error as SOAPError { throw ValidationError(error.reason) }
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        _ = try TracingHeaders(userAgent: userAgent, from: from)
    }

    /// The endpoints asked for on the command line itself (not the configuration file), if any.
    var commandLineEndpoints: ServiceEndpoints? {
        guard environment != nil || certRAURL != nil else { return nil }
        return Self.endpoints(environment: environment, certRAURL: certRAURL, etkRAURL: etkRAURL)
    }

    /// The endpoints asked for on the command line, else in the configuration file, or nil when
    /// none was (resume then uses the flow's).
    var endpoints: ServiceEndpoints? {
        if environment != nil || certRAURL != nil {
            return Self.endpoints(environment: environment, certRAURL: certRAURL, etkRAURL: etkRAURL)
        }
        return Self.endpoints(environment: file.environment, certRAURL: file.certRAURL, etkRAURL: file.etkRAURL)
    }

    /// A local `ehcert-sandbox serve` on its default port.
    static let sandboxEndpoints = ServiceEndpoints(certRA: URL(string: "http://127.0.0.1:8080/CertRa/v2")!,
                                                   etkRA: URL(string: "http://127.0.0.1:8080/EtkRa/v2")!)

    private static func endpoints(environment: String?, certRAURL: String?, etkRAURL: String?) -> ServiceEndpoints? {
        if let certRAURL, let etkRAURL, let certRA = URL(string: certRAURL), let etkRA = URL(string: etkRAURL) {
            return ServiceEndpoints(certRA: certRA, etkRA: etkRA)
        }
        switch environment {
        case "sandbox":
            return sandboxEndpoints
        case let name?:
            return PlatformEnvironment(rawValue: name).map(ServiceEndpoints.init)
        case nil:
            return nil
        }
    }

    /// `endpoints`: where the command will go, when not `self.endpoints` (a resumed flow's own).
    func connectionOptions(defaultFrom: String? = nil, endpoints chosen: ServiceEndpoints? = nil) throws -> ConnectionOptions {
        // Every command sends a User-Agent; From when configured (create and resume fall back on
        // the contact e-mail, the address the platform writes to anyway).
        let headers = try TracingHeaders(userAgent: userAgent, from: from ?? defaultFrom)
        // Trust roots add up: the file's and the command line's are all trusted.
        var options = ConnectionOptions(extraTrustRoots: (file.trustRoots + trustRoots).map { URL(fileURLWithPath: $0) }, requestTimeout: .seconds(timeout),
                                        tracingHeaders: headers, traceDirectory: traceDirectory.map { URL(fileURLWithPath: $0) })
        options.eHealthRoots = eHealthRoots(for: chosen ?? endpoints)
        return options
    }

    /// The eHealth trust anchors for `endpoints`: the command line's, else the configuration
    /// file's for that environment (or for all).
    func eHealthRoots(for endpoints: ServiceEndpoints?) -> [URL] {
        if !eHealthRootOptions.isEmpty { return eHealthRootOptions.map { URL(fileURLWithPath: $0) } }
        let name = endpoints == Self.sandboxEndpoints ? "sandbox" : endpoints?.environment?.rawValue
        return (name.flatMap { file.eHealthRoots[$0] } ?? file.eHealthRoots["*"]).map { [URL(fileURLWithPath: $0)] } ?? []
    }
}

extension ConnectionOptionGroup {
    func requireEndpoints() throws {
        guard endpoints != nil else {
            throw ValidationError("choose the environment with --env (sandbox, acceptance, production) or --certra-url/--etkra-url, or set \"env\" in the configuration file")
        }
    }
}
