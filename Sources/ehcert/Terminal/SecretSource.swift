import CertManagerKit
import Foundation

/// Where a password or PIN comes from: an environment variable, a file, or a prompt without
/// echo. Never from an argument: other users of the machine see arguments in the process list.
struct SecretSource {
    let environmentVariable: String?
    let file: String?
    let what: String

    func read(confirmingNew: Bool = false) throws -> String {
        if let environmentVariable {
            guard let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty else {
                throw Self.unavailable("the environment variable \(environmentVariable) that should hold the \(what) is not set")
            }
            return value
        }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw Self.unavailable("cannot read the \(what) from \(file)")
            }
            Self.warnIfReadableByOthers(file, what: what)
            let line = Self.firstLine(of: data)
            guard !line.isEmpty else { throw Self.unavailable("\(file) holds no \(what) on its first line") }
            return line
        }
        guard let value = Terminal.readSecret(prompt: "\(what.prefix(1).uppercased() + what.dropFirst()): "), !value.isEmpty else {
            throw Self.unavailable("no \(what) was given")
        }
        if confirmingNew, Terminal.inputIsTerminal {
            guard Terminal.readSecret(prompt: "Repeat the \(what): ") == value else {
                throw Self.unavailable("the two \(what)s differ")
            }
        }
        return value
    }

    /// The first line; its line break (\n, \r\n as editors on Windows write it, or \r) is not
    /// part of the secret.
    static func firstLine(of data: Data) -> String {
        let bytes = data.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A secret file others can read is a secret others know.
    static func warnIfReadableByOthers(_ file: String, what: String) {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? NSNumber,
              mode.intValue & 0o004 != 0 else { return }
        Terminal.printError("warning: \(file), which holds the \(what), can be read by every user of this machine (mode \(String(mode.intValue & 0o777, radix: 8))): `chmod 600 \(file)`")
    }

    private static func unavailable(_ reason: String) -> CertManagerError {
        CertManagerError(.init("SECRET_UNAVAILABLE"), .configuration, reason: reason,
                         advice: "Type it at the prompt, or give it with the -env or -file option; never as an argument.")
    }
}
