import SOAPRuntime
import Testing

/// Each generated message type is the type of the element its WSDL operation names.
@Suite struct OperationElementTests {
    @Test(arguments: EHealthMessageSamples.all)
    func theTypeWritesTheElementOfItsOperation(_ sample: MessageSample) throws {
        #expect(sample.rootElementName == sample.operationElement)
        let root = try XMLDocument(parsing: sample.document()).root
        #expect(root.name == sample.operationElement)
    }

    @Test func everyOperationHasOneRequestAndOneResponseSample() {
        let requests = EHealthMessageSamples.all.filter { $0.direction == .request }.map(\.operation)
        let responses = EHealthMessageSamples.all.filter { $0.direction == .response }.map(\.operation)
        #expect(requests.sorted() == EHealthMessageSamples.operationNames.sorted())
        #expect(responses.sorted() == EHealthMessageSamples.operationNames.sorted())
        #expect(Set(EHealthMessageSamples.all.map(\.rootElementName)).count == 28)
    }
}
