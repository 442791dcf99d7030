import FixtureBindings

/// The fixture's messages, several per operation where a choice or a nillable element allows
/// shapes that need separate documents.
enum FixtureMessageSamples {
    typealias Operations = AddressbookFixtureClient.Operations

    static let all: [MessageSample] = [
        .request(Operations.searchProfessionals, variant: "by SSIN") { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.bySSIN()) },
        .request(Operations.searchProfessionals, variant: "by NIHII") { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byNIHII()) },
        .request(Operations.searchProfessionals, variant: "by name") { try SampleFixtureMessages.searchProfessionalsRequest(SampleFixtureMessages.byName()) },
        .response(Operations.searchProfessionals) { try SampleFixtureMessages.searchProfessionalsResponse() },
        .request(Operations.getProfessionalContactInfo) { try SampleFixtureMessages.getProfessionalContactInfoRequest() },
        .response(Operations.getProfessionalContactInfo, variant: "with photo") {
            try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: .some(SampleBytes.pattern(count: 600, seed: 13)))
        },
        .response(Operations.getProfessionalContactInfo, variant: "photo nil") { try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: .some(nil)) },
        .response(Operations.getProfessionalContactInfo, variant: "no photo") { try SampleFixtureMessages.getProfessionalContactInfoResponse(photo: .none) },
        .request(Operations.getOrganizationContactInfo) { try SampleFixtureMessages.getOrganizationContactInfoRequest() },
        .response(Operations.getOrganizationContactInfo) { try SampleFixtureMessages.getOrganizationContactInfoResponse() },
    ]
}
