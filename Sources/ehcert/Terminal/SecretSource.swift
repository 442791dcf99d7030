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
            // The first line; a trailing newline is not part of the secret.
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
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

    private static func unavailable(_ reason: String) -> CertManagerError {
        CertManagerError(.init("SECRET_UNAVAILABLE"), .configuration, reason: reason,
                         advice: "Type it at the prompt, or give it with the -env or -file option; never as an argument.")
    }
}
