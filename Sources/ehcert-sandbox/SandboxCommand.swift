import ArgumentParser
import Foundation
import Sandbox

@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ehcert-sandbox",
        abstract: "A local CertRA v2 / EtkRA v2 with a test PKI, for tests, demos and integrators.",
        subcommands: [Init.self]
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
