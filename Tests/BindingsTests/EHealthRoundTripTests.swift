import Testing

/// Every CertRA and EtkRA message, fully populated, survives encoding and decoding unchanged.
@Suite struct EHealthRoundTripTests {
    @Test(arguments: EHealthMessageSamples.all)
    func decodingTheEncodedDocumentGivesTheOriginalBack(_ sample: MessageSample) throws {
        let text = try sample.document()
        try sample.expectDocumentDecodesToOriginal(text, #_sourceLocation)
    }

    @Test(arguments: EHealthMessageSamples.all)
    func encodingIsDeterministic(_ sample: MessageSample) throws {
        #expect(try sample.document() == sample.document())
    }
}
