import Foundation
import Generated
import SOAPRuntime

/// An answer as `SOAPClient` takes it from the transport: HTTP 500 (how the platform sends
/// faults) or 200 when the input's last byte is odd, then the envelope, the fault and its eHealth
/// detail (`SOAErrorDetail`), rendered as the command line shows them; and the same bytes' root
/// element read as a fault on its own.
public struct SOAPFaultTarget: FuzzTarget {
    public static let name = "soap-fault"

    public init(environment: FuzzEnvironment) {}

    public func run(_ data: Data) {
        let status = (data.last ?? 0) & 1 == 1 ? 200 : 500
        let client = SOAPClient(endpoint: URL(string: "http://localhost/CertRa/v2")!,
                                transport: AnswerTransport(answer: SOAPHTTPResponse(statusCode: status, contentType: SOAPHTTPRequest.contentType, body: data)))
        runBlocking {
            do {
                _ = try await client.call(CertRaV2Client.Operations.getGenericOrganizationTypes,
                                          GetGenericOrganizationTypesRequestType(issueInstant: .now))
            } catch let fault as SOAPFault {
                _ = fault.description
                _ = fault.soaError?.description
                _ = SOAPEnvelope.fault(fault)
            } catch {
                _ = String(describing: error)
            }
        }
        if let root = try? SOAPRuntime.XMLDocument(parsing: data).root {
            let fault = SOAPFault(element: root)
            _ = fault.description
            if let detail = try? SOAErrorDetail(element: root) { _ = detail.description }
        }
    }

    /// The traced responses (any of them may come back with a fault status), and faults the
    /// sandbox answers to requests it refuses.
    public static func seeds(from demo: DemoArtifacts) throws -> [Data] {
        var seeds = try demo.traces(endingWith: "-response.xml").map(\.data)
        for detail in [
            SOAErrorDetail(kind: .business, id: "fuzz-1", origin: "Consumer", code: "SOA-03001",
                           messages: [.init(language: "en", text: "Malformed message")], retry: false, environment: "Test"),
            SOAErrorDetail(kind: .system, id: "fuzz-2", origin: "Provider", code: "SOA-01001",
                           messages: [.init(language: "fr", text: "Service indisponible"), .init(language: "nl", text: "Dienst niet beschikbaar")],
                           retry: true, environment: "Acceptation"),
        ] {
            seeds.append(Data(SOAPEnvelope.fault(try SOAPFault(detail)).utf8))
        }
        seeds.append(Data(SOAPEnvelope.fault(SOAPFault(faultCode: SOAPFault.serverCode, faultString: "boom", faultActor: "urn:actor")).utf8))
        return seeds
    }
}

/// A transport that answers every request with the same response.
struct AnswerTransport: SOAPTransport {
    let answer: SOAPHTTPResponse

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse { answer }
}
