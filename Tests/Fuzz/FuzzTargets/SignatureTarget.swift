import Foundation
import Sandbox
import Security

/// The strict XML signature verifier, as the sandbox runs it on every signed request: the
/// envelope's body payload, then the document element, against the sandbox world's eID and
/// eHealth roots (the demo's world, whose citizens signed the traced requests).
public struct SignatureTarget: FuzzTarget {
    public static let name = "signature"

    let verifier: SignatureVerifier

    public init(environment: FuzzEnvironment) throws {
        let world = try environment.makeWorld()
        // No cache: every input checks its chain, as a first request does.
        verifier = SignatureVerifier(trustRoots: [world.eIDRoot, world.eHealthRoot], verifiedChainCacheSize: 0)
    }

    public func run(_ data: Data) {
        let verifier = verifier
        runBlocking {
            for element in [SignatureVerifier.SignedElement.soapBodyPayload, .documentElement] {
                do {
                    let verified = try await verifier.verify(data, element: element)
                    _ = verified.signerChain.count
                } catch {
                    _ = String(describing: error)
                }
            }
        }
    }

    /// Every traced request (the signed ones carry an eID or eHealth signature).
    public static func seeds(from demo: DemoArtifacts) throws -> [Data] {
        try demo.traces(endingWith: "-request.xml").map(\.data)
    }
}
