import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime

/// A sandbox served on loopback for one test, with clients and the citizens' eID keys.
struct SandboxFixture {
    let sandbox: EmbeddedSandbox
    let certRA: CertRaV2Client
    let etkRA: EtkRaV2Client
    let directory: URL

    static func start(deliveryDelay: TimeInterval = 1) async throws -> SandboxFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-tests-\(UUID().uuidString)")
        let sandbox = try await EmbeddedSandbox.start(stateDirectory: directory, configuration: SandboxConfiguration(deliveryDelay: deliveryDelay))
        let transport = try URLSessionTransport()
        return SandboxFixture(
            sandbox: sandbox,
            certRA: CertRaV2Client(soap: SOAPClient(endpoint: sandbox.certRAEndpoint, transport: transport)),
            etkRA: EtkRaV2Client(soap: SOAPClient(endpoint: sandbox.etkRAEndpoint, transport: transport)),
            directory: directory)
    }

    func eID(_ ssin: String) throws -> (authentication: SoftwareSigningKey, signature: SoftwareSigningKey) {
        let citizen = try require(sandbox.world.citizen(ssin: ssin), "citizen \(ssin)")
        let keystore = try Keystore(contentsOf: citizen.eidKeystore, password: SandboxWorld.citizenKeystorePassword)
        return (try keystore.signingKey(alias: "Authentication"), try keystore.signingKey(alias: "Signature"))
    }

    func stop() async {
        await sandbox.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct RequireError: Error, CustomStringConvertible {
    let description: String
}

func require<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw RequireError(description: "\(what) is missing") }
    return value
}
