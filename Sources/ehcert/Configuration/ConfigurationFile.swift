import CertManagerKit
import Foundation
import SOAPRuntime

/// Defaults for the command line, from a JSON file: `--config FILE`, else `$EHCERT_CONFIG`, else
/// `$XDG_CONFIG_HOME/ehcert/config.json` (`~/.config/ehcert/config.json`). Each key is the long
/// option it stands for, and an option given on the command line wins over it.
///
/// Strict on purpose: an unknown key or a value of the wrong kind stops the command with the
/// file and the key named, rather than being ignored and surprising the person weeks later.
/// Secrets never go in it: passwords and PINs come from a prompt, an environment variable or a file.
struct ConfigurationFile: Sendable, Equatable {
    /// The file read; nil when there is none.
    var file: URL?
    var environment: String?
    var certRAURL: String?
    var etkRAURL: String?
    var trustRoots: [String] = []
    /// PEM bundles of the eHealth trust anchors that delivered certificates must chain to, by
    /// environment name ("acceptance", "production"; "*" for any).
    var eHealthRoots: [String: String] = [:]
    var traceDirectory: String?
    var userAgent: String?
    var from: String?
    var timeout: Int?
    var eIDPKCS11Module: String?
    var eIDToken: String?
    var eIDPKCS12File: String?
    var workDirectory: String?
    var keystoreDirectory: String?
    var warnDays: Int?

    static let none = ConfigurationFile()

    /// The keys, as `ehcert --help` lists them.
    static let keys = ["env", "certra-url", "etkra-url", "trust-roots", "ehealth-roots", "trace-dir", "user-agent", "from", "timeout",
                       "eid-pkcs11", "eid-token", "eid-p12", "workdir", "keystore-dir", "warn-days"]

    /// For `ehcert --help`.
    static let documentation = """
    Defaults can be kept in a JSON file: --config FILE (before or after the command), else \
    $EHCERT_CONFIG, else $XDG_CONFIG_HOME/ehcert/config.json (~/.config/ehcert/config.json). Its \
    keys are the long options they stand for: \(keys.joined(separator: ", ")) (trust-roots: a list; ehealth-roots: an object from \
    environment name to PEM bundle, e.g. {"production": "/etc/ehealth/roots.pem"}, or one path for all). \
    Options on the command line win over the file; relative paths are relative to the file's \
    folder, ~ is your home. Never put a password or PIN in it. An unknown key or a wrong value \
    stops with exit code 5, naming the file and the key. Example: \
    {"env": "acceptance", "eid-pkcs11": "/usr/lib/libbeidpkcs11.so.0", "keystore-dir": "~/ehealth/keystore", "warn-days": 45}
    """

    // MARK: Finding the file

    /// The file to read, and whether it must exist (named explicitly) or is optional (the default place).
    static func location(explicit: String?, environment: [String: String], home: URL) -> (url: URL, required: Bool) {
        if let explicit { return (URL(fileURLWithPath: expandingTilde(explicit, home: home)), true) }
        if let named = environment["EHCERT_CONFIG"], !named.isEmpty {
            return (URL(fileURLWithPath: expandingTilde(named, home: home)), true)
        }
        // XDG Base Directory: a relative XDG_CONFIG_HOME is invalid and ignored.
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0, isDirectory: true) : nil }
            ?? home.appendingPathComponent(".config", isDirectory: true)
        return (base.appendingPathComponent("ehcert/config.json"), false)
    }

    /// Takes `--config FILE` or `--config=FILE` out of the arguments (up to a `--`), so that every
    /// command accepts it; returns FILE.
    static func extractOption(from arguments: inout [String]) throws -> String? {
        var found: String?
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == "--config" {
                guard index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") else {
                    throw invalid("--config needs a file name", file: nil)
                }
                found = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
            } else if argument.hasPrefix("--config=") {
                found = String(argument.dropFirst("--config=".count))
                guard found?.isEmpty == false else { throw invalid("--config needs a file name", file: nil) }
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        return found
    }

    /// Reads the configuration the command runs with.
    static func load(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                     home: URL = FileManager.default.homeDirectoryForCurrentUser) throws -> ConfigurationFile {
        let (url, required) = location(explicit: explicit, environment: environment, home: home)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required {
                throw invalid("the configuration file \(url.path) does not exist", file: url,
                              advice: "Check the name given with --config or EHCERT_CONFIG.")
            }
            return .none
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw invalid("cannot read the configuration file \(url.path)", file: url, advice: "Check its permissions.")
        }
        return try parse(data, file: url, home: home)
    }

    // MARK: Reading

    static func parse(_ data: Data, file: URL, home: URL) throws -> ConfigurationFile {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw invalid("\(file.path) must hold one JSON object ({\"key\": value, …})", file: file)
            }
            object = parsed
        } catch let error as CertManagerError {
            throw error
        } catch {
            throw invalid("\(file.path) is not valid JSON (\(error.localizedDescription))", file: file)
        }
        let folder = file.deletingLastPathComponent()
        var configuration = ConfigurationFile(file: file)

        func fail(_ key: String, _ problem: String) -> CertManagerError {
            invalid("\(file.path): \"\(key)\" \(problem)", file: file)
        }
        func string(_ key: String, _ value: Any) throws -> String {
            guard let text = value as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(key, "must be a non-empty string")
            }
            return text
        }
        func path(_ key: String, _ value: Any) throws -> String {
            let text = expandingTilde(try string(key, value), home: home)
            return text.hasPrefix("/") ? text : folder.appendingPathComponent(text).standardizedFileURL.path
        }
        func url(_ key: String, _ value: Any) throws -> String {
            let text = try string(key, value)
            guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw fail(key, "must be an http(s) URL; got \"\(text)\"")
            }
            do { try EndpointPolicy.check(parsed) } catch let error as SOAPError { throw fail(key, "must be https: \(error.reason)") }
            return text
        }
        func integer(_ key: String, _ value: Any, minimum: Int, unit: String) throws -> Int {
            guard !(value is String), let number = value as? NSNumber,
                  number.doubleValue.rounded() == number.doubleValue, number.intValue >= minimum else {
                throw fail(key, "must be a whole number of \(unit), \(minimum) or more")
            }
            return number.intValue
        }

        for key in object.keys.sorted() {
            let value = object[key]!
            switch key {
            case "env":
                let name = try string(key, value)
                guard ["sandbox", "acceptance", "production"].contains(name) else {
                    throw fail(key, "must be sandbox, acceptance or production; got \"\(name)\"")
                }
                configuration.environment = name
            case "certra-url": configuration.certRAURL = try url(key, value)
            case "etkra-url": configuration.etkRAURL = try url(key, value)
            case "trust-roots":
                if let list = value as? [Any] {
                    configuration.trustRoots = try list.map { try path(key, $0) }
                } else {
                    configuration.trustRoots = [try path(key, value)]
                }
            case "ehealth-roots":
                if let table = value as? [String: Any] {
                    for (environment, file) in table {
                        guard ["sandbox", "acceptance", "production", "*"].contains(environment) else {
                            throw fail(key, "names \"\(environment)\"; the environments are sandbox, acceptance, production (or * for all)")
                        }
                        configuration.eHealthRoots[environment] = try path(key, file)
                    }
                } else {
                    configuration.eHealthRoots["*"] = try path(key, value)
                }
            case "trace-dir": configuration.traceDirectory = try path(key, value)
            case "user-agent": configuration.userAgent = try string(key, value)
            case "from": configuration.from = try string(key, value)
            case "timeout": configuration.timeout = try integer(key, value, minimum: 1, unit: "seconds")
            case "eid-pkcs11": configuration.eIDPKCS11Module = try path(key, value)
            case "eid-token": configuration.eIDToken = try string(key, value)
            case "eid-p12": configuration.eIDPKCS12File = try path(key, value)
            case "workdir": configuration.workDirectory = try path(key, value)
            case "keystore-dir": configuration.keystoreDirectory = try path(key, value)
            case "warn-days": configuration.warnDays = try integer(key, value, minimum: 0, unit: "days")
            default:
                let lowered = key.lowercased()
                if ["password", "pin", "secret", "passphrase"].contains(where: lowered.contains) {
                    throw fail(key, "looks like a secret, and secrets never go in the configuration file: give passwords and PINs at the prompt, with an -env or a -file option")
                }
                let suggestion = keys.first { $0.replacingOccurrences(of: "-", with: "") == lowered.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") }
                throw fail(key, "is not a configuration key" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
                           + "; the keys are: " + keys.joined(separator: ", "))
            }
        }

        if configuration.environment != nil, configuration.certRAURL != nil {
            throw fail("env", "and \"certra-url\"/\"etkra-url\" exclude each other: keep one")
        }
        if (configuration.certRAURL == nil) != (configuration.etkRAURL == nil) {
            throw fail(configuration.certRAURL == nil ? "etkra-url" : "certra-url", "needs its partner: give both \"certra-url\" and \"etkra-url\"")
        }
        if configuration.eIDPKCS11Module != nil, configuration.eIDPKCS12File != nil {
            throw fail("eid-p12", "and \"eid-pkcs11\" exclude each other: keep one")
        }
        do {
            _ = try TracingHeaders(userAgent: configuration.userAgent ?? TracingHeaders.defaultUserAgent, from: configuration.from)
        } catch {
            throw fail(configuration.from != nil ? "from" : "user-agent", "is not a valid header value (\(error))")
        }
        return configuration
    }

    private static func expandingTilde(_ path: String, home: URL) -> String {
        if path == "~" { return home.path }
        if path.hasPrefix("~/") { return home.appendingPathComponent(String(path.dropFirst(2))).path }
        return path
    }

    static func invalid(_ reason: String, file: URL?, advice: String? = nil) -> CertManagerError {
        CertManagerError(.init("CONFIG_INVALID"), .configuration, reason: reason,
                         advice: advice ?? "Correct the file (`ehcert --help` lists its keys), or name another with --config or EHCERT_CONFIG.")
    }
}

/// The configuration of this run, read once in `EHCert.main` before the arguments are parsed,
/// so that option groups can fall back on it.
enum ActiveConfiguration {
    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var value = ConfigurationFile.none
    }
    private static let box = Box()

    static var current: ConfigurationFile { box.lock.withLock { box.value } }

    static func activate(_ configuration: ConfigurationFile) {
        box.lock.withLock { box.value = configuration }
    }
}

extension ActiveConfiguration {
    /// Where keystores go and are looked for: the file's "keystore-dir", else the platform tools'
    /// folder (`~/ehealth/keystore`).
    static var keystoreDirectory: URL {
        current.keystoreDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? CreateETKRequest.defaultKeystoreDirectory
    }
}
