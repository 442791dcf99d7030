import Foundation
import Generated
import SOAPRuntime

/// A response envelope as `SOAPClient` reads it: the SOAP 1.1 parse, the eHealth status, then
/// the output type of the operation whose element the body holds; a payload of no operation is
/// decoded as one output type chosen by the input's length, so every generated response type
/// meets every shape. What decodes is written again and read back (the sandbox writes them).
public struct SOAPResponseTarget: FuzzTarget {
    public static let name = "soap-response"

    typealias CertRA = CertRaV2Client.Operations
    typealias EtkRA = EtkRaV2Client.Operations

    /// The fourteen operations' outputs.
    static let decoders: [(element: XMLName, decode: @Sendable (SOAPRuntime.XMLElement) throws -> Void)] = [
        decoder(CertRA.getActorQualities), decoder(CertRA.getGenericOrganizationTypes),
        decoder(CertRA.getExistingApplicationIds), decoder(CertRA.generateContract),
        decoder(CertRA.generateCertificate), decoder(CertRA.getCertificate),
        decoder(CertRA.getCertificateInfoForAuthenticationCertificate), decoder(CertRA.getCertificateInfoForCitizen),
        decoder(CertRA.generateRevocationContract), decoder(CertRA.revoke), decoder(CertRA.submitCSRForForeigner),
        decoder(EtkRA.startETKRegistration), decoder(EtkRA.completeETKRegistration), decoder(EtkRA.activateETK),
    ]

    static func decoder<Input, Output>(_ operation: SOAPOperation<Input, Output>)
        -> (element: XMLName, decode: @Sendable (SOAPRuntime.XMLElement) throws -> Void) {
        (operation.outputElement, { payload in
            let value = try Output(xmlElement: payload)
            let written = try SOAPEnvelope.response(body: operation.outputElement, value)
            _ = try Output(xmlElement: SOAPEnvelope.parse(Data(written.utf8)).payload)
        })
    }

    public init(environment: FuzzEnvironment) {}

    public func run(_ data: Data) {
        let payload: SOAPRuntime.XMLElement
        do {
            payload = try SOAPEnvelope.parse(data).payload
        } catch let fault as SOAPFault {
            _ = fault.description
            return
        } catch {
            return
        }
        if let status = try? EHealthStatus.read(from: payload) { _ = status }
        do { try EHealthStatus.check(payload) } catch { _ = String(describing: error) }
        let index = Self.decoders.firstIndex { $0.element == payload.name } ?? data.count % Self.decoders.count
        _ = try? Self.decoders[index].decode(payload)
    }

    /// Every traced response.
    public static func seeds(from demo: DemoArtifacts) throws -> [Data] {
        try demo.traces(endingWith: "-response.xml").map(\.data)
    }
}
