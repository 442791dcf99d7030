import Foundation
import Generated
import SOAPRuntime
import Testing

/// The generated `ServiceOperation` table of our two WSDLs: one fact per operation, consistent
/// with the clients' own operation descriptions.
@Suite struct ServiceOperationTableTests {
    @Test func ourWSDLsHaveFourteenOperationsInTwoServices() {
        #expect(ServiceOperation.allCases.count == 14)
        #expect(ServiceOperation.Service.allCases == [.certRaV2, .etkRaV2])
        #expect(ServiceOperation.Service.certRaV2.operations.count == 11)
        #expect(ServiceOperation.Service.etkRaV2.operations.map(\.name) == ["startETKRegistration", "completeETKRegistration", "activateETK"])
        #expect(ServiceOperation.Service.certRaV2.defaultPath == "/CertRa/v2")
        #expect(ServiceOperation.Service.etkRaV2.defaultPath == "/EtkRa/v2")
        #expect(ServiceOperation.Service.certRaV2.portTypeName == "CertRaV2PortType")
    }

    @Test func eachOperationIsFoundByItsNameSOAPActionAndInputElement() {
        for operation in ServiceOperation.allCases {
            #expect(ServiceOperation(name: operation.name) == operation)
            #expect(ServiceOperation(soapAction: operation.soapAction) == operation)
            #expect(ServiceOperation(soapAction: "\"\(operation.soapAction)\"") == operation, "as the HTTP header carries it")
            #expect(ServiceOperation(inputElement: operation.inputElement) == operation)
            #expect(operation.description == operation.name)
            #expect(ServiceOperation(rawValue: operation.rawValue) == operation)
        }
        #expect(ServiceOperation(soapAction: "urn:be:fgov:ehealth:etee:certra:protocol:v2:GENERATECERTIFICATE") == nil,
                "SOAP actions are compared as written")
        #expect(ServiceOperation(name: "getCertificates") == nil)
        #expect(ServiceOperation(inputElement: XMLName(nil, "GenerateCertificateRequest")) == nil)
    }

    @Test func theTableAgreesWithTheClientsOperations() {
        let generate = CertRaV2Client.Operations.generateCertificate
        #expect(ServiceOperation.generateCertificate.soapAction == generate.soapAction)
        #expect(ServiceOperation.generateCertificate.inputElement == generate.inputElement)
        #expect(ServiceOperation.generateCertificate.outputElement == generate.outputElement)
        #expect(ServiceOperation.generateCertificate.service == .certRaV2)
        #expect(ObjectIdentifier(ServiceOperation.generateCertificate.inputType) == ObjectIdentifier(GenerateCertificateRequestType.self))
        #expect(ObjectIdentifier(ServiceOperation.completeETKRegistration.outputType) == ObjectIdentifier(CompleteETKRegistrationResponseType.self))
        #expect(ServiceOperation.activateETK.soapAction == EtkRaV2Client.Operations.activateETK.soapAction)
        #expect(ServiceOperation.Service.certRaV2.defaultEndpoint == CertRaV2Client.defaultEndpoint)
    }
}
