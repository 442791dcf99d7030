import Foundation
import Generated

/// The people, organizations, contact data and texts the sample messages are about.
enum SampleActors {
    static let ssinType = "urn:be:fgov:person:ssin"
    static let cbeType = "urn:be:fgov:ehealth:1.0:certificateholder:enterprise:cbe-number"
    static let nihiiHospitalType = "urn:be:fgov:ehealth:1.0:certificateholder:hospital:nihii-number"

    /// A made-up person whose SSIN passes the check digit test (97 - 852101236 mod 97 = 17).
    static let ssin = IdType(type: ssinType, value: "85210123617")

    static let anne = ActorType(id: [ssin], firstName: ["Anne", "Marie"], name: "Peeters")

    static let hospitalIdentifier = IdType(type: nihiiHospitalType, value: "71000436")
    static let laboratoryIdentifier = IdType(type: cbeType, value: "0406798006")

    static let hospital = ActorType(id: [hospitalIdentifier, IdType(type: cbeType, value: "0256482436")], name: "AZ Sint-Jan Brugge-Oostende")

    static let contactData = ContactDataType(
        emailPrivate: "anne.peeters@example.be",
        emailGeneral: "ict@azsintjan.example.be",
        phonePrivate: "+32 470 12 34 56",
        phoneGeneral: "+32 50 45 21 11"
    )

    static func text(fr: String, nl: String) throws -> TextType {
        TextType(value: [
            LocalizedString(language: try Lang(xmlText: "fr"), value: fr),
            LocalizedString(language: try Lang(xmlText: "nl"), value: nl),
        ])
    }

    static func hospitalName() throws -> TextType {
        try text(fr: "AZ Sint-Jan Bruges-Ostende", nl: "AZ Sint-Jan Brugge-Oostende")
    }

    static let subjectDN = "CN=\"SSIN=85210123617\", OU=eHealth-platform Belgium, OU=Anne Peeters, OU=\"SSIN=85210123617\", O=Federal Government, C=BE"
    static let issuerDN = "CN=eHealth Certification Authority, OU=eHealth-platform Belgium, O=Federal Government, C=BE"
}
