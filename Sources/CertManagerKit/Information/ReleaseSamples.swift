import Foundation
import Generated
import Security
import SOAPRuntime

/// The samples the platform's release procedure asks for (cookbook 6.1.3: after the acceptance
/// tests, the partner sends "a sample of 'eHealth request' and 'eHealth answer'"; 6.2: the web
/// services of 4.3, and negative test cases too). Runs the calls that change nothing at the
/// platform, each once, and keeps every envelope exchanged as the trace writes it
/// (`NNN-<operation>-request.xml` / `-response.xml`), with an index saying what each exchange
/// is and what the platform answered. The calls that create or revoke a certificate cannot be
/// made just for a sample: their envelopes come from a traced run (`create --trace-dir DIR`),
/// which `includedTraces` copies in after the calls made here.
public struct ReleaseSamples: Sendable {
    /// One exchange of the samples.
    public struct Sample: Sendable, Equatable, Codable {
        public let number: Int
        /// `CertRa.getActorQualities`, ...
        public let operation: String
        /// Why the exchange is in the samples.
        public let purpose: String
        /// `Success`, or the error code the platform answered.
        public let outcome: String
        public let requestFile: String?
        public let responseFile: String?
    }

    /// What was written.
    public struct Result: Sendable, Equatable {
        public let folder: URL
        public let index: URL
        public let samples: [Sample]
    }

    public static let indexFileName = "index.md"

    public let endpoints: ServiceEndpoints
    public let settings: FlowSettings

    public init(endpoints: ServiceEndpoints, settings: FlowSettings = FlowSettings()) {
        self.endpoints = endpoints
        self.settings = settings
    }

    /// Runs the calls and writes the samples and the index into `folder`, which must be empty
    /// (or not exist yet), so that the index describes exactly the files beside it.
    ///
    /// - Parameters:
    ///   - environment: the name the index gives the environment (`acceptance`, ...).
    ///   - contact: the contact data generateContract is asked with (checked as `create` checks it).
    ///   - organization: also the calls for this organization (getExistingApplicationIds and its contract).
    ///   - includedTraces: folders of traced runs (`--trace-dir`) whose exchanges are added after ours.
    public func write(to folder: URL, environment: String, eID: any EIDKeySource, contact: CreateETKRequest.Contact,
                      organization: CreateETKRequest.Organization? = nil, includedTraces: [URL] = [],
                      progress: @escaping FlowProgress = { _ in }) async throws -> Result {
        try CreateETKRequest.validateEmail(contact.email, field: "e-mail")
        try CreateETKRequest.validatePhone(contact.phone, field: "phone")
        try Self.prepare(folder)
        var connection = settings.connection
        connection.traceDirectory = folder
        let client = try PlatformClient(endpoints: settings.endpoints ?? endpoints, connection: connection, retry: settings.retry,
                                        sleeper: settings.sleeper, progress: progress)
        var exchanges: [(PlatformOperation, String, String)] = []
        func exchange<Output: Sendable>(_ operation: PlatformOperation, _ purpose: String,
                                        _ body: () async throws -> Output) async throws -> Output? {
            progress(.notice("\(operation.qualifiedName): \(purpose)"))
            do {
                let output = try await client.call(operation, body)
                exchanges.append((operation, purpose, "Success"))
                return output
            } catch let error as CertManagerError where [.refused, .pending, .protocolViolation].contains(error.category) {
                // The platform's refusal is a sample too (and the negative case's purpose); only a
                // call that got no answer at all stops the samples.
                exchanges.append((operation, purpose, error.code.rawValue))
                return nil
            }
        }

        _ = try await exchange(.getGenericOrganizationTypes, "organization types and their identifier rules (cookbook 4.3.4 step 3); unsigned") {
            try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        }
        let key: any SigningKey
        do { key = try await eID.authenticationKey() } catch { throw CertManagerError(error) }
        let holder = try EIDHolder(certificate: key.certificate)
        let qualitiesRequest = try await client.sign(
            GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: holder.ssin), signature: .placeholder), with: key)
        let qualities = try await exchange(.getActorQualities, "the eID holder's qualities and organizations (4.3.4 steps 1-2); signed with the eID Authentication key") {
            try await client.certRA.getActorQualities(qualitiesRequest)
        }
        let contactData = ContactDataType(emailPrivate: contact.email, emailGeneral: contact.generalEmail,
                                          phonePrivate: contact.phone, phoneGeneral: contact.generalPhone)
        let signer = ActorType(id: [IdType(type: "SSIN", value: holder.ssin)], firstName: holder.firstNames.isEmpty ? [] : [holder.firstNames],
                               name: holder.lastName)
        _ = try await exchange(.generateContract, "the contract for a personal certificate of the eID holder (4.3.4 step 5); unsigned") {
            try await client.certRA.generateContract(GenerateContractRequestType(
                issueInstant: .now, contactData: contactData, signer: signer, certificateIdentifier: CertificateIdentifierType(actor: signer, applicationId: nil)))
        }
        if let organization {
            let identifier = IdType(type: organization.type, value: organization.identifier)
            _ = try await exchange(.getExistingApplicationIds, "application ids in use for \(organization.type)=\(organization.identifier) (4.3.4 step 4); unsigned") {
                try await client.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(issueInstant: .now, organizationIdentifier: identifier))
            }
            let name = organization.name ?? qualities?.organizationAuthorization.first {
                $0.identifier.type == organization.type && $0.identifier.value == organization.identifier
            }?.name.value.first?.value
            guard let name, !name.isEmpty else {
                throw CertManagerError(.notAuthorized, .invalidInput,
                                       reason: "the name of \(organization.type)=\(organization.identifier) is not known: getActorQualities does not list it",
                                       advice: "Give the organization's name (--org-name), or one that `ehcert qualities` lists.")
            }
            _ = try await exchange(.generateContract, "the contract for a certificate of \(organization.type)=\(organization.identifier) (4.3.4 step 5); unsigned") {
                try await client.certRA.generateContract(GenerateContractRequestType(
                    issueInstant: .now, contactData: contactData, signer: signer,
                    certificateIdentifier: CertificateIdentifierType(actor: ActorType(id: [identifier], name: name), applicationId: organization.applicationID)))
            }
        }
        let citizenRequest = try await client.sign(GetCertificateInfoForCitizenRequestType(issueInstant: .now, signature: .placeholder), with: key)
        _ = try await exchange(.getCertificateInfoForCitizen, "the certificates the eID holder may manage (4.3.6.1); signed with the eID Authentication key") {
            try await client.certRA.getCertificateInfoForCitizen(citizenRequest)
        }
        await eID.close()
        // Cookbook 6.2, a negative case: no request has this PublicKeyIdentifier (random bytes).
        let unknown = try Generated.PublicKeyIdentifier(HexBinary(Data((0..<20).map { _ in UInt8.random(in: 0...255) })))
        _ = try await exchange(.getCertificate, "negative case (6.2): getCertificate for a PublicKeyIdentifier no request has; a refusal is expected") {
            try await client.certRA.getCertificate(GetCertificateRequestType(issueInstant: .now, publicKeyIdentifier: unknown))
        }

        var samples = try Self.samples(in: folder, exchanges: exchanges)
        for trace in includedTraces {
            samples += try Self.include(trace, into: folder, after: samples.last?.number ?? 0)
        }
        let index = folder.appendingPathComponent(Self.indexFileName)
        try AtomicFile.write(Data(Self.index(samples, environment: environment, endpoints: settings.endpoints ?? endpoints,
                                             userAgent: connection.tracingHeaders?.userAgent).utf8),
                             to: index, overwrite: false, permissions: 0o644)
        return Result(folder: folder, index: index, samples: samples)
    }

    // MARK: files

    static func prepare(_ folder: URL) throws {
        let manager = FileManager.default
        if let entries = try? manager.contentsOfDirectory(atPath: folder.path) {
            guard entries.isEmpty else {
                throw CertManagerError(.init("OUTPUT_NOT_EMPTY"), .invalidInput, reason: "\(folder.path) is not empty",
                                       advice: "Give a new or empty folder: the index describes exactly the files in it.")
            }
            return
        }
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CertManagerError(error)
        }
    }

    /// The traced files of each exchange, in the order of the calls (the trace numbers them so).
    /// A call retried after a transient failure is traced once per attempt; consecutive files of
    /// one operation are one call (no two calls in a row are of the same operation), whose last
    /// attempt is the sample.
    static func samples(in folder: URL, exchanges: [(PlatformOperation, String, String)]) throws -> [Sample] {
        var traced: [TracedExchange] = []
        for entry in tracedExchanges(in: folder) {
            if let last = traced.last, last.operation == entry.operation {
                traced[traced.count - 1] = entry
            } else {
                traced.append(entry)
            }
        }
        return exchanges.enumerated().map { offset, exchange in
            let number = offset < traced.count ? traced[offset].number : offset + 1
            let files = offset < traced.count ? traced[offset] : nil
            return Sample(number: number, operation: exchange.0.qualifiedName, purpose: exchange.1, outcome: exchange.2,
                          requestFile: files?.request, responseFile: files?.response)
        }
    }

    struct TracedExchange {
        let number: Int
        let operation: String
        var request: String?
        var response: String?
    }

    /// `NNN-<operation>-request.xml` / `-response.xml` files, by number.
    static func tracedExchanges(in folder: URL) -> [TracedExchange] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        var byNumber: [Int: TracedExchange] = [:]
        for name in names {
            // `012-getCertificate-request.xml`: the number, the operation, the direction.
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            guard digits.count >= 3, let number = Int(digits), name.dropFirst(digits.count).first == "-" else { continue }
            let direction: String
            if name.hasSuffix("-request.xml") { direction = "request" } else if name.hasSuffix("-response.xml") { direction = "response" } else { continue }
            let operation = String(name.dropFirst(digits.count + 1).dropLast(direction.count + 5))
            var entry = byNumber[number] ?? TracedExchange(number: number, operation: operation)
            if direction == "request" { entry.request = name } else { entry.response = name }
            byNumber[number] = entry
        }
        return byNumber.values.sorted { $0.number < $1.number }
    }

    /// Copies a traced run's exchanges in, numbered after ours.
    static func include(_ trace: URL, into folder: URL, after last: Int) throws -> [Sample] {
        let exchanges = tracedExchanges(in: trace)
        guard !exchanges.isEmpty else {
            throw CertManagerError(.init("TRACE_EMPTY"), .invalidInput, reason: "\(trace.path) holds no traced exchange (NNN-<operation>-request.xml)",
                                   advice: "Give the folder of a run made with --trace-dir.")
        }
        var samples: [Sample] = []
        for (offset, exchange) in exchanges.enumerated() {
            let number = last + offset + 1
            func copy(_ name: String?, _ direction: String) throws -> String? {
                guard let name else { return nil }
                let target = String(format: "%03d", number) + "-\(exchange.operation)-\(direction).xml"
                do {
                    try FileManager.default.copyItem(at: trace.appendingPathComponent(name), to: folder.appendingPathComponent(target))
                } catch {
                    throw CertManagerError(error)
                }
                return target
            }
            let request = try copy(exchange.request, "request")
            let response = try copy(exchange.response, "response")
            samples.append(Sample(number: number, operation: PlatformOperation(name: exchange.operation)?.qualifiedName ?? exchange.operation, purpose: "from the traced run in \(trace.lastPathComponent) (\(exchange.request ?? exchange.response ?? ""))",
                                  outcome: response.flatMap { outcome(ofResponse: folder.appendingPathComponent($0)) } ?? "no answer recorded",
                                  requestFile: request, responseFile: response))
        }
        return samples
    }

    /// `Success`, the first error code, or the SOA fault code of a traced response.
    static func outcome(ofResponse file: URL) -> String? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        do {
            let payload = try SOAPEnvelope.parse(data).payload
            if let status = try EHealthStatus.read(from: payload), !status.isSuccess {
                return status.errors.first?.code ?? status.statusCode
            }
            return "Success"
        } catch let fault as SOAPFault {
            return fault.soaError?.code ?? fault.faultCode
        } catch {
            return nil
        }
    }

    static func index(_ samples: [Sample], environment: String, endpoints: ServiceEndpoints, userAgent: String?) -> String {
        let formatter = ISO8601DateFormatter()
        var text = """
        # eHealth request and answer samples (CertRA v2 / EtkRA v2)

        For the release procedure (cookbook 6.1.3). Environment: \(environment); CertRA \(endpoints.certRA.absoluteString), \
        EtkRA \(endpoints.etkRA.absoluteString); made \(formatter.string(from: Date()))\(userAgent.map { " by \($0)" } ?? "").

        | # | operation | purpose | answer | request | response |
        | --- | --- | --- | --- | --- | --- |

        """
        for sample in samples {
            text += "| \(sample.number) | \(sample.operation) | \(sample.purpose) | \(sample.outcome) | \(sample.requestFile ?? "-") | \(sample.responseFile ?? "-") |\n"
        }
        return text
    }
}
