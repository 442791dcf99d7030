import Foundation
import Generated
import SOAPRuntime
import Testing

/// zeep reads both WSDLs (offline, strict) and sees the operations our bindings were generated with.
@Suite("zeep loads our WSDLs", .enabled(if: ZeepHarness.isAvailable, ZeepHarness.unavailableReason))
struct ZeepLoadsWSDLTests {
    /// What a binding operation is on the wire: its name, SOAP action and body elements.
    struct OperationContract: Equatable, CustomStringConvertible {
        let name: String
        let soapAction: String
        let input: String
        let output: String

        init(name: String, soapAction: String, input: String, output: String) {
            self.name = name
            self.soapAction = soapAction
            self.input = input
            self.output = output
        }

        init<Input, Output>(_ operation: SOAPOperation<Input, Output>) {
            self.init(name: operation.name, soapAction: operation.soapAction,
                      input: operation.inputElement.description, output: operation.outputElement.description)
        }

        init(zeep operation: JSONValue) {
            self.init(name: operation["name"].stringValue ?? "<none>", soapAction: operation["soapAction"].stringValue ?? "<none>",
                      input: operation["input"].stringValue ?? "<none>", output: operation["output"].stringValue ?? "<none>")
        }

        var description: String { "\(name) [\(soapAction)] \(input) -> \(output)" }
    }

    static let certRAOperations: [OperationContract] = [
        OperationContract(CertRaV2Client.Operations.getActorQualities),
        OperationContract(CertRaV2Client.Operations.getGenericOrganizationTypes),
        OperationContract(CertRaV2Client.Operations.getExistingApplicationIds),
        OperationContract(CertRaV2Client.Operations.generateContract),
        OperationContract(CertRaV2Client.Operations.generateCertificate),
        OperationContract(CertRaV2Client.Operations.getCertificate),
        OperationContract(CertRaV2Client.Operations.getCertificateInfoForAuthenticationCertificate),
        OperationContract(CertRaV2Client.Operations.getCertificateInfoForCitizen),
        OperationContract(CertRaV2Client.Operations.generateRevocationContract),
        OperationContract(CertRaV2Client.Operations.revoke),
        OperationContract(CertRaV2Client.Operations.submitCSRForForeigner),
    ]

    static let etkRAOperations: [OperationContract] = [
        OperationContract(EtkRaV2Client.Operations.startETKRegistration),
        OperationContract(EtkRaV2Client.Operations.completeETKRegistration),
        OperationContract(EtkRaV2Client.Operations.activateETK),
    ]

    @Test("zeep sees exactly our 11 CertRA and 3 EtkRA operations, with our SOAP actions and elements")
    func operationsAndSOAPActions() throws {
        let loaded = try ZeepHarness.load([ZeepHarness.certRAWSDL, ZeepHarness.etkRAWSDL])
        let documents = loaded["documents"].arrayValue
        try #require(documents.count == 2)
        let expectations = [
            (documents[0], "CertRaV2Service", "CertRaV2Port", CertRaV2Client.defaultEndpoint, Self.certRAOperations),
            (documents[1], "EtkRaV2Service", "EtkRaV2Port", EtkRaV2Client.defaultEndpoint, Self.etkRAOperations),
        ]
        for (document, serviceName, portName, endpoint, operations) in expectations {
            let services = document["services"].arrayValue
            try #require(services.count == 1, "\(document["wsdl"]): one service")
            #expect(services[0]["name"].stringValue == serviceName)
            let ports = services[0]["ports"].arrayValue
            try #require(ports.count == 1, "\(serviceName): one port")
            #expect(ports[0]["name"].stringValue == portName)
            #expect(ports[0]["address"].stringValue == endpoint.absoluteString)
            let zeepOperations = ports[0]["operations"].arrayValue
            #expect(zeepOperations.allSatisfy { $0["style"].stringValue == "document" })
            let seen = zeepOperations.map(OperationContract.init(zeep:)).sorted { $0.name < $1.name }
            #expect(seen == operations.sorted { $0.name < $1.name })
        }
    }
}
