import Foundation
import Sandbox

/// The sandbox engine's request handling, in process (`SandboxEngine.handle`, which
/// `ehcert-sandbox serve` and `ehcert demo` both run): envelope, schema validation, dispatch,
/// signature, rules, state. Posted to the service whose operation the body names (CertRA when
/// none), as a client would. The world is the demo's, copied once per process, so that the
/// traced requests' signers are its citizens.
public struct SandboxRequestTarget: FuzzTarget {
    public static let name = "sandbox-request"

    let engine: SandboxEngine

    public init(environment: FuzzEnvironment) throws {
        engine = try SandboxEngine(world: environment.makeWorld(), publicBaseURL: "http://127.0.0.1:1")
    }

    static let etkRAOperations: Set<SandboxOperation> = [.startETKRegistration, .completeETKRegistration, .activateETK]

    public func run(_ data: Data) {
        let service: SandboxEngine.Service = SandboxOperation(requestBody: data).map { Self.etkRAOperations.contains($0) } == true ? .etkRA : .certRA
        let engine = engine
        let reply = runBlocking { await engine.handle(service: service, soapAction: nil, body: data) }
        precondition((200..<600).contains(reply.status), "the engine answered HTTP \(reply.status)")
    }

    /// Every traced request.
    public static func seeds(from demo: DemoArtifacts) throws -> [Data] {
        try demo.traces(endingWith: "-request.xml").map(\.data)
    }
}
