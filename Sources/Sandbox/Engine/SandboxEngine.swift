import Foundation
import Generated
import Synchronization
import Security
import SOAPRuntime
import X509

/// The sandbox's CertRA v2 and EtkRA v2, as a function from request bytes to response bytes.
/// The HTTP server and in-process callers share it; all state goes through one `StateStore`,
/// one transaction a request.
public final class SandboxEngine: Sendable {
    public enum Service: String, Sendable {
        case certRA = "CertRa"
        case etkRA = "EtkRa"
    }

    public struct Reply: Sendable {
        public let status: Int
        public let body: Data
    }

    public let world: SandboxWorld
    public let configuration: SandboxConfiguration
    /// The network faults staged for clients under test; changeable while serving.
    public let faults: SandboxFaults
    let store: StateStore
    let eIDVerifier: SignatureVerifier
    let eHealthVerifier: SignatureVerifier
    /// Where the server answers, for the links it hands out and the certificates' CRL and OCSP
    /// addresses; known once the server has bound its port.
    let address: SandboxAddress
    var publicBaseURL: String? { address.baseURL }
    package func setPublicBaseURL(_ url: String) { address.set(url) }

    public init(world: SandboxWorld, configuration: SandboxConfiguration = SandboxConfiguration(), publicBaseURL: String? = nil) throws {
        self.world = world
        let address = SandboxAddress(publicBaseURL)
        self.address = address
        self.configuration = configuration
        faults = SandboxFaults(configuration.faults)
        let clockOffset = configuration.clockOffset
        let lifetime = configuration.certificateLifetime
        let variations = configuration.variations
        store = try StateStore(directory: world.directory) { state in
            try Self.deliverDueCertificates(in: state, at: Date().addingTimeInterval(clockOffset), world: world, lifetime: lifetime,
                                            profile: address.certificateProfile, variations: variations)
        }
        eIDVerifier = SignatureVerifier(trustRoots: [world.pki.eIDRoot.certificate])
        eHealthVerifier = SignatureVerifier(trustRoots: [world.pki.eHealthRoot.certificate])
    }

    /// The sandbox's clock: real time plus the configured offset.
    var now: Date { Date().addingTimeInterval(configuration.clockOffset) }

    /// The largest request body accepted, over HTTP or in-process.
    public static let maximumRequestBytes = 4 * 1024 * 1024
    static let requestLimits = XMLParseLimits(maximumBytes: maximumRequestBytes)

    /// Answers one SOAP request posted to `/CertRa/v2` or `/EtkRa/v2`. An `injected` answer
    /// fault (``SandboxFault/Kind/isAnswer``, taken from ``faults`` by the caller) replaces the
    /// answer of a request that was read and verified, before or after its effects.
    public func handle(service: Service, soapAction: String?, body: Data, injected: SandboxFault? = nil) async -> Reply {
        do {
            let payload: SOAPRuntime.XMLElement
            do {
                payload = try SOAPEnvelope.parse(body, limits: Self.requestLimits).payload
            } catch let error as SOAPError {
                switch error.code {
                case .notSOAP: throw SOAFailure.notSOAP(error.reason)
                case .missingBody, .emptyBody: throw SOAFailure.noBody(error.reason)
                default: throw SOAFailure.malformed(error.reason)
                }
            } catch let error as XMLError {
                throw SOAFailure.malformed(error.reason)
            } catch is SOAPFault {
                throw SOAFailure.malformed("a request cannot be a SOAP Fault")
            }
            try RequestSchema.check(body)
            return try await dispatch(service: service, payload: payload.name, soapAction: soapAction, body: body,
                                      injected: injected?.kind.isAnswer == true ? injected : nil)
        } catch let failure as SOAFailure {
            return fault(failure)
        } catch {
            return fault(SOAFailure(code: "SOA-03001", message: "Malformed message: \(error)", httpStatus: 500))
        }
    }

    func fault(_ failure: SOAFailure) -> Reply {
        let detail = SOAErrorDetail(kind: .business, id: "sandbox-" + UUID().uuidString.prefix(8).lowercased(), origin: "Consumer",
                                    code: failure.code, messages: [.init(language: "en", text: failure.message)],
                                    retry: false, environment: "Test")
        let soapFault = (try? SOAPFault(detail, faultCode: SOAPFault.clientCode, faultString: failure.message))
            ?? SOAPFault(faultCode: SOAPFault.clientCode, faultString: failure.message)
        return Reply(status: failure.httpStatus, body: Data(SOAPEnvelope.fault(soapFault).utf8))
    }

    /// Checks the SOAPAction against the operation's (when the client sent one) and the path.
    func check<Input, Output>(_ operation: SOAPOperation<Input, Output>, service: Service, expected: Service, soapAction: String?) throws {
        guard service == expected else {
            throw SOAFailure.malformed("\(operation.name) is an operation of /\(expected.rawValue)/v2, not /\(service.rawValue)/v2")
        }
        if let soapAction {
            let action = soapAction.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard action.isEmpty || action == operation.soapAction else {
                throw SOAFailure.malformed("SOAPAction \"\(action)\" does not match \(operation.name) (\"\(operation.soapAction)\")")
            }
        }
    }

    private func dispatch(service: Service, payload: XMLName, soapAction: String?, body: Data, injected: SandboxFault?) async throws -> Reply {
        typealias CertRA = CertRaV2Client.Operations
        typealias EtkRA = EtkRaV2Client.Operations
        switch payload {
        case CertRA.getActorQualities.inputElement:
            try check(CertRA.getActorQualities, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eIDAuthentication, failure: { GetActorQualitiesResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, getActorQualities)
        case CertRA.getGenericOrganizationTypes.inputElement:
            try check(CertRA.getGenericOrganizationTypes, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: nil, failure: { GetGenericOrganizationTypesResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, getGenericOrganizationTypes)
        case CertRA.getExistingApplicationIds.inputElement:
            try check(CertRA.getExistingApplicationIds, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, hasStatus: false, signer: nil, failure: { header, _ in GetExistingApplicationIdsResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant) }, getExistingApplicationIds)
        case CertRA.generateContract.inputElement:
            try check(CertRA.generateContract, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: nil, failure: { GenerateContractResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, generateContract)
        case CertRA.generateCertificate.inputElement:
            try check(CertRA.generateCertificate, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eIDSignature, failure: { GenerateCertificateResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, generateCertificate)
        case CertRA.getCertificate.inputElement:
            try check(CertRA.getCertificate, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: nil, failure: { GetCertificateResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, getCertificate)
        case CertRA.getCertificateInfoForAuthenticationCertificate.inputElement:
            try check(CertRA.getCertificateInfoForAuthenticationCertificate, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eHealth, failure: { GetCertificateInfoForAuthenticationCertificateResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, getCertificateInfoForAuthenticationCertificate)
        case CertRA.getCertificateInfoForCitizen.inputElement:
            try check(CertRA.getCertificateInfoForCitizen, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eIDAuthentication, failure: { GetCertificateInfoForCitizenResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, getCertificateInfoForCitizen)
        case CertRA.generateRevocationContract.inputElement:
            try check(CertRA.generateRevocationContract, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: nil, failure: { GenerateRevocationContractResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, generateRevocationContract)
        case CertRA.revoke.inputElement:
            try check(CertRA.revoke, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eIDSignature, failure: { RevokeResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, revokeCertificate)
        case CertRA.submitCSRForForeigner.inputElement:
            try check(CertRA.submitCSRForForeigner, service: service, expected: .certRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: nil, failure: { SubmitCSRForForeignerResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, submitCSRForForeigner)
        case EtkRA.startETKRegistration.inputElement:
            try check(EtkRA.startETKRegistration, service: service, expected: .etkRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eHealthETKOwner, failure: { StartETKRegistrationResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, startETKRegistration)
        case EtkRA.completeETKRegistration.inputElement:
            try check(EtkRA.completeETKRegistration, service: service, expected: .etkRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eHealthETKOwner, failure: { CompleteETKRegistrationResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, completeETKRegistration)
        case EtkRA.activateETK.inputElement:
            try check(EtkRA.activateETK, service: service, expected: .etkRA, soapAction: soapAction)
            return try await run(body, injected: injected, signer: .eHealthETKOwner, failure: { ActivateETKResponseType(id: $0.id, inResponseTo: $0.inResponseTo, issueInstant: $0.issueInstant, status: $1) }, activateETK)
        default:
            throw SOAFailure.malformed("\(payload) is not a request of CertRA v2 or EtkRA v2")
        }
    }

    // MARK: one operation

    struct ResponseHeader: Sendable {
        let id: String
        let inResponseTo: String?
        let issueInstant: XSDateTime
    }

    /// Whose signature an operation requires (protocol-facts.md, "who signs").
    enum SignerRequirement: Sendable {
        case eIDAuthentication
        case eIDSignature
        case eHealth
        /// An eHealth authentication key registering or activating its ETK (EtkRA).
        case eHealthETKOwner

        var isEHealth: Bool { self == .eHealth || self == .eHealthETKOwner }

        /// The code a refused signature gets. Cookbook 4.3.4.7/4.3.4.9 and 7.1: EtkRA names a signer
        /// outside the eHealth CA, or outside its validity, with the ETK_REQUESTED_FOR_AUTH_CERT_* codes.
        func refusalCode(for error: SecurityError) -> String {
            guard self == .eHealthETKOwner else { return error.code.rawValue }
            switch error.code {
            case .untrustedChain: return "ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA"
            case .certificateExpired: return "ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED"
            case .certificateNotYetValid: return "ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID"
            default: return error.code.rawValue
            }
        }
    }

    /// The verified signer of a request.
    struct Signer: Sendable {
        let signature: VerifiedSignature
        var certificate: Certificate { signature.signer }
        /// The eID holder's SSIN (the subject's serialNumber attribute); nil for eHealth certificates.
        var ssin: String? {
            for rdn in certificate.subject {
                for attribute in rdn where attribute.type == [2, 5, 4, 5] {
                    return String(describing: attribute.value)
                }
            }
            return nil
        }
    }

    private func run<Request: XMLRootElement & RequestTypeProtocol, Response: XMLRootElement>(
        _ body: Data, injected: SandboxFault?, hasStatus: Bool = true, signer requirement: SignerRequirement?,
        failure: (ResponseHeader, StatusType) -> Response,
        _ handler: (Request, Signer?, ResponseHeader) async throws -> Response
    ) async throws -> Reply {
        let issued = XSDateTime(now)
        let request: Request
        var signer: Signer?
        do {
            if let requirement {
                let verifier = requirement.isEHealth ? eHealthVerifier : eIDVerifier
                // Requests are checked strictly: an element the schema does not allow is refused.
                let (decoded, signature) = try await XMLDecoding.strict {
                    try await verifier.verifyAndDecode(body, as: Request.self, element: .soapBodyPayload,
                                                       at: now, limits: Self.requestLimits)
                }
                request = decoded
                signer = Signer(signature: signature)
                try checkKeyUsage(signature.signer, requirement)
            } else {
                request = try XMLDecoding.strict { try Request(xmlElement: SOAPEnvelope.parse(body, limits: Self.requestLimits).payload) }
            }
        } catch let error as XMLError {
            throw SOAFailure.malformed(error.description)
        } catch let error as SecurityError {
            let header = ResponseHeader(id: Self.newID(), inResponseTo: nil, issueInstant: issued)
            let refusal = EHealthFailure(requirement?.refusalCode(for: error) ?? error.code.rawValue,
                                         "the request's signature is not acceptable: \(error.reason)")
            return try reply(failure(header, refusal.status))
        } catch let refusal as EHealthFailure {
            let header = ResponseHeader(id: Self.newID(), inResponseTo: nil, issueInstant: issued)
            return try reply(failure(header, refusal.status))
        }
        let header = ResponseHeader(id: Self.newID(), inResponseTo: request.id, issueInstant: issued)
        guard let injected else {
            do {
                return try reply(try await handler(request, signer, header))
            } catch let refusal as EHealthFailure {
                return try reply(failure(header, refusal.status))
            }
        }
        if injected.moment == .afterHandling {
            // The platform did the work; only its answer is replaced (what `resume` must cope with).
            _ = try? await handler(request, signer, header)
        }
        switch injected.kind {
        case .status(let code) where hasStatus:
            return try reply(failure(header, Self.injectedFailure(code, at: now).status))
        case .status(let code), .soapFault(let code):
            throw SOAFailure(code: code, message: "\(code) [injected by the sandbox's fault plan]", httpStatus: 500)
        case .latency, .serviceUnavailable, .droppedConnection, .malformedResponse:
            return try reply(try await handler(request, signer, header))
        }
    }

    /// An injected eHealth status: the code with a message saying where it comes from; the two
    /// not-yet-valid codes carry a date two seconds ahead, as the platform's message does
    /// ("The certificate is valid from {0}"), so that clients wait rather than stop.
    static func injectedFailure(_ code: String, at now: Date) -> EHealthFailure {
        var message = "\(code) [injected by the sandbox's fault plan]"
        if ["AUTH_CERT_NOT_YET_VALID", "ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID"].contains(code) {
            let validFrom = ISO8601DateFormatter().string(from: now.addingTimeInterval(2))
            message += ": the certificate is valid from \(validFrom)"
            return EHealthFailure(code, message, parameters: [("validFrom", validFrom)])
        }
        return EHealthFailure(code, message)
    }

    private func checkKeyUsage(_ certificate: Certificate, _ requirement: SignerRequirement) throws {
        let usage = try? certificate.extensions.keyUsage
        switch requirement {
        case .eIDAuthentication:
            guard usage?.digitalSignature == true, usage?.nonRepudiation != true else {
                throw EHealthFailure("SIGNATURE_KEY_NOT_ALLOWED", "this operation must be signed with the eID \"Authentication\" key, not \(certificate.subject)")
            }
        case .eIDSignature:
            guard usage?.nonRepudiation == true else {
                throw EHealthFailure("SIGNATURE_KEY_NOT_ALLOWED", "this operation must be signed with the eID \"Signature\" (non-repudiation) key, not \(certificate.subject)")
            }
        case .eHealth, .eHealthETKOwner:
            break
        }
    }

    private func reply<Response: XMLRootElement>(_ response: Response) throws -> Reply {
        Reply(status: 200, body: Data(try SOAPEnvelope.response(body: Response.rootElementName, response).utf8))
    }

    static func newID() -> String { "_" + UUID().uuidString.lowercased() }

    /// Completes a manually validated request (what `ehcert-sandbox approve` does, also while
    /// another process serves the same folder).
    public func approve(publicKeyIdentifier: String) async throws {
        let key = publicKeyIdentifier.uppercased()
        try await store.transaction { state in
            guard var stored = try state.certificate(key) else {
                throw SandboxError.state("no certificate request with PublicKeyIdentifier \(key)")
            }
            stored.approved = true
            try state.save(stored)
        }
    }

    /// Whether `token` names a foreigner's submission whose validation page is still open.
    public func foreignerValidationIsOpen(token: String) async -> Bool {
        let now = self.now
        return (try? await store.transaction { state in
            try state.foreignerSubmission(token: token).map { $0.expiresAt > now } ?? false
        }) ?? false
    }

    /// Confirms a foreigner's submission, as the person would on the validation page.
    public func confirmForeigner(token: String) async throws -> String {
        let now = self.now
        return try await store.transaction { state in
            guard var submission = try state.foreignerSubmission(token: token) else {
                throw SandboxError.state("unknown validation link")
            }
            guard submission.expiresAt > now else { throw SandboxError.state("this validation link expired on \(submission.expiresAt)") }
            submission.confirmed = true
            try state.save(submission)
            if var certificate = try state.certificate(submission.publicKeyIdentifier) {
                certificate.approved = true
                try state.save(certificate)
            }
            return submission.publicKeyIdentifier
        }
    }

    /// Requests waiting for an operator, for `ehcert-sandbox approve` without arguments.
    public func pendingApprovals() async -> [(publicKeyIdentifier: String, dn: String)] {
        (try? await store.transaction { state in
            try state.certificatesAwaitingApproval().filter { !$0.automaticallyValidated }.map { (publicKeyIdentifier: $0.publicKeyIdentifier, dn: $0.dn) }
        }) ?? []
    }
}
