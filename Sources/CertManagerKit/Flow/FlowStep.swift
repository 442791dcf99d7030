/// A numbered step of a cookbook flow, as the cookbook's diagrams number them (4.3.4 for a new
/// ETK), for progress lines such as `[7] Call CertRa.generateCertificate`.
public struct FlowStep: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The cookbook section whose diagram numbers the step, e.g. `4.3.4`.
    public let section: String
    public let number: Int
    public let title: String
    /// The platform operation the step calls, if it calls one.
    public let operation: PlatformOperation?

    public init(section: String, number: Int, title: String, operation: PlatformOperation? = nil) {
        self.section = section
        self.number = number
        self.title = title
        self.operation = operation
    }

    public var description: String { "\(number)) \(title)" }
}

extension FlowStep {
    /// Cookbook 4.3.4, "Create a New ETK", steps 1 to 13.
    public enum CreateETK {
        public static let section = "4.3.4"
        public static let signActorQualities = FlowStep(section: section, number: 1, title: "Sign a GetActorQualitiesRequest with the eID Authentication key")
        public static let getActorQualities = FlowStep(section: section, number: 2, title: "Call CertRa.getActorQualities", operation: .getActorQualities)
        public static let getGenericOrganizationTypes = FlowStep(section: section, number: 3, title: "Call CertRa.getGenericOrganizationTypes", operation: .getGenericOrganizationTypes)
        public static let getExistingApplicationIds = FlowStep(section: section, number: 4, title: "Call CertRa.getExistingApplicationIds", operation: .getExistingApplicationIds)
        public static let generateContract = FlowStep(section: section, number: 5, title: "Call CertRa.generateContract", operation: .generateContract)
        public static let prepareCertificateRequest = FlowStep(section: section, number: 6, title: "Generate a key pair and CSR, sign a GenerateCertificateRequest with the eID Signature key")
        public static let generateCertificate = FlowStep(section: section, number: 7, title: "Call CertRa.generateCertificate", operation: .generateCertificate)
        public static let awaitValidation = FlowStep(section: section, number: 8, title: "Wait for the validation of the certificate request")
        public static let getCertificate = FlowStep(section: section, number: 9, title: "Call CertRa.getCertificate", operation: .getCertificate)
        public static let prepareETKRegistration = FlowStep(section: section, number: 10, title: "Create an encryption key pair and a StartETKRegistrationRequest")
        public static let startETKRegistration = FlowStep(section: section, number: 11, title: "Call EtkRa.startETKRegistration", operation: .startETKRegistration)
        public static let createEncryptionCertificate = FlowStep(section: section, number: 12, title: "Create the encryption certificate signed with the eHealth authentication key")
        public static let completeETKRegistration = FlowStep(section: section, number: 13, title: "Call EtkRa.completeETKRegistration", operation: .completeETKRegistration)

        public static let all: [FlowStep] = [
            signActorQualities, getActorQualities, getGenericOrganizationTypes, getExistingApplicationIds, generateContract,
            prepareCertificateRequest, generateCertificate, awaitValidation, getCertificate, prepareETKRegistration,
            startETKRegistration, createEncryptionCertificate, completeETKRegistration,
        ]
    }

    /// Cookbook 4.3.7, a foreigner without a Belgian eID: the CSR is submitted unsigned, and the
    /// person confirms it on the platform's validation page; steps 9 to 13 are those of 4.3.4.
    public enum Foreigner {
        public static let section = "4.3.7"
        public static let prepareCertificateRequest = FlowStep(section: section, number: 6, title: "Generate a key pair and a CSR for the foreigner's DN")
        public static let submitCSRForForeigner = FlowStep(section: section, number: 7, title: "Call CertRa.submitCSRForForeigner", operation: .submitCSRForForeigner)
        public static let awaitConfirmation = FlowStep(section: section, number: 8, title: "Wait for the person to confirm on the validation page")
    }
}
