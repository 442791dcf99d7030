import FixtureBindings
import Foundation

/// Populated messages of the fixture addressbook service. They reach the fixture's choice (with a
/// nested sequence), repeated choice, xs:all, nillable elements, xs:any and facets.
///
/// Simple types and small complex types are written as `.init(...)` on purpose: the tests then
/// do not depend on the Swift names the generator picks for them.
enum SampleFixtureMessages {
    static let issued = XSDateTime(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53,
                                   fractionDigits: "25", timeZoneOffsetMinutes: 60)

    static func searchProfessionalsRequest(_ choice: SearchProfessionalsRequestChoice) throws -> SearchProfessionalsRequest {
        SearchProfessionalsRequest(
            id: "search-1", issueInstant: issued, offset: 20, maxElements: 10, includeInactive: true,
            choice: choice,
            profession: [.physician, .nurse, .dentistOrthodontist, ._3rdParty],
            maxResults: try .init(100)
        )
    }

    static func bySSIN() throws -> SearchProfessionalsRequestChoice { .ssin(try .init("85210123617")) }
    static func byNIHII() throws -> SearchProfessionalsRequestChoice { .nihii(try .init("10034567890")) }
    static func byName() throws -> SearchProfessionalsRequestChoice {
        .alternative3(.init(firstName: try .init("Anne"), lastName: try .init("Peeters"), zipCode: ["8000", "8400"]))
    }

    static func professional(partyId: String, ssin: String, nihii: String) throws -> ProfessionalType {
        ProfessionalType(
            partyId: partyId,
            name: [.init(language: try Lang(xmlText: "fr"), source: "https://cobrha.example.be/fr", value: try .init("Dr Anne Peeters")),
                   .init(language: try Lang(xmlText: "nl"), value: try .init("Dr. Anne Peeters"))],
            contactDetails: .init(email: "anne.peeters@example.be", phone: "+32 50 45 21 11", fax: "+32 50 45 21 99",
                                  website: "https://www.azsintjan.example.be/artsen/peeters"),
            sourceSystemRef: "CoBRHA-4711",
            active: true,
            ssin: try .init(ssin),
            nihii: try .init(nihii),
            gender: .female,
            profession: [.physician, .pharmacist],
            lastUpdate: XSDateTime(year: 2025, month: 12, day: 1, hour: 7, minute: 0, second: 0, fractionDigits: "001", timeZoneOffsetMinutes: 0)
        )
    }

    static func searchProfessionalsResponse() throws -> SearchProfessionalsResponse {
        SearchProfessionalsResponse(
            id: "response-1", inResponseTo: "search-1", success: true,
            message: [.init(language: try Lang(xmlText: "fr"), value: try .init("Deux résultats")),
                      .init(language: try Lang(xmlText: "nl"), value: try .init("Twee resultaten"))],
            // ProfessionalType has a derived type (ProfessionalDetailType): the field takes either, by xsi:type.
            professional: [.professionalType(try professional(partyId: "party-anne", ssin: "85210123617", nihii: "10034567890")),
                           .professionalType(try professional(partyId: "party-marc", ssin: "71070512345", nihii: "18765432"))],
            totalCount: 2,
            truncated: false
        )
    }

    static func getProfessionalContactInfoRequest() throws -> GetProfessionalContactInfoRequest {
        GetProfessionalContactInfoRequest(id: "contact-1", issueInstant: issued, ssin: try .init("85210123617"))
    }

    static func address(street: String, postBox: String??) throws -> AddressType {
        AddressType(
            street: street, houseNumber: "10", postBox: postBox, zipCode: "8000",
            municipality: [.init(language: try Lang(xmlText: "nl"), value: try .init("Brugge")),
                           .init(language: try Lang(xmlText: "fr"), value: try .init("Bruges"))],
            countryCode: try .init("BE")
        )
    }

    static func professionalDetail(photo: Data??) throws -> ProfessionalDetailType {
        let base = try professional(partyId: "party-anne", ssin: "85210123617", nihii: "10034567890")
        return ProfessionalDetailType(
            partyId: base.partyId, name: base.name, contactDetails: base.contactDetails, sourceSystemRef: base.sourceSystemRef,
            active: base.active, ssin: base.ssin, nihii: base.nihii, gender: base.gender, profession: base.profession,
            lastUpdate: base.lastUpdate,
            relevance: try .init(Decimal(string: "0.85")!),
            address: [try address(street: "Ruddershove", postBox: .some(nil)),
                      try address(street: "Sint-Jansstraat", postBox: .some("B2"))],
            photo: photo,
            certificateThumbprint: [try .init(HexBinary(SampleBytes.pattern(count: 32, seed: 1))),
                                    try .init(HexBinary(SampleBytes.pattern(count: 32, seed: 2)))],
            extension2: ProfessionalDetailTypeExtension(anyElements: [
                try AnyXMLElement(xml: #"<x:Accreditation xmlns:x="urn:example:accreditation" Level="2"><x:Until>2027-12-31</x:Until></x:Accreditation>"#),
                try AnyXMLElement(xml: #"<y:Note xmlns:y="urn:example:notes">Consultations &amp; visites</y:Note>"#),
            ])
        )
    }

    static func getProfessionalContactInfoResponse(photo: Data??) throws -> GetProfessionalContactInfoResponse {
        GetProfessionalContactInfoResponse(
            id: "response-2", inResponseTo: "contact-1", success: true,
            message: [.init(language: try Lang(xmlText: "en"), value: try .init("Found"))],
            professional: try professionalDetail(photo: photo)
        )
    }

    static func unknownProfessionalResponse() throws -> GetProfessionalContactInfoResponse {
        GetProfessionalContactInfoResponse(id: "response-3", inResponseTo: "contact-1", success: false,
                                           message: [.init(language: try Lang(xmlText: ""), value: try .init("—"))],
                                           professional: nil)
    }

    static func getOrganizationContactInfoRequest() throws -> GetOrganizationContactInfoRequest {
        GetOrganizationContactInfoRequest(id: "organizations-1", issueInstant: issued,
                                          cbeOrNIHIIList: [.cbe("0406798006"), .nihii(try .init("71000436")), .cbe("0256482436")])
    }

    static func organization(partyId: String, cbe: String) throws -> OrganizationType {
        OrganizationType(
            partyId: partyId,
            name: [.init(language: try Lang(xmlText: "nl"), value: try .init("AZ Sint-Jan"))],
            contactDetails: .init(phone: "+32 50 45 21 11"),
            sourceSystemRef: "KBO-\(cbe)",
            cbe: cbe,
            address: try address(street: "Ruddershove", postBox: .some("A")),
            latitude: Decimal(string: "51.2093"),
            longitude: Decimal(string: "-3.2247"),
            reimbursementRate: try .init(Decimal(string: "75.5")!)
        )
    }

    static func getOrganizationContactInfoResponse() throws -> GetOrganizationContactInfoResponse {
        GetOrganizationContactInfoResponse(id: "response-4", inResponseTo: "organizations-1", success: true,
                                           organization: [try organization(partyId: "org-1", cbe: "0406798006"),
                                                          try organization(partyId: "org-2", cbe: "0256482436")])
    }

    static func fault() throws -> AddressbookFault {
        AddressbookFault(ticketId: "ticket-8f2e", code: "ADDRESSBOOK-0042",
                         reason: [.init(language: try Lang(xmlText: "fr"), value: try .init("Service indisponible")),
                                  .init(language: try Lang(xmlText: "nl"), value: try .init("Dienst niet beschikbaar"))],
                         retryable: true)
    }
}
