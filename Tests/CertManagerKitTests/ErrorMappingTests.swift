import CertManagerKit
import Foundation
import Security
import SOAPRuntime
import Testing

@Suite("Errors: chapter-7 codes, SOA faults and transport failures as actionable errors")
struct ErrorMappingTests {
    /// Cookbook chapter 7, copied from the cookbook rather than from the catalog.
    static let chapter7 = [
        "CSR_NOT_VALID", "CSR_SIGNATURE_NOT_VALID", "CSR_INVALID_NO_SUBJECT_PRESENT", "CSR_INVALID_PUBLIC_KEY_INVALID",
        "CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED", "CSR__CSR_DELIVERY_TO_CA_FAILED__INVALID_SIGN_KEY_PWD",
        "CSR__INPUT_NOT_PARSEBLE_INTO_CSR", "CSR__INPUT_NOT_UNMARSHALLABLE_INTO_EHCSR", "CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS",
        "CSR_AN_APPROVED_CSR_FOR_GIVEN_DN_IS_IN_PROCESS_OF_BEING_CERTIFIED", "CSR_INVALID_DN_INVALID", "CSR_PUB_KEY_NOT_UNIQUE",
        "CSR_ALREADY_VALIDATED", "CERT_NOT_YET_DELIVERED", "AUTH_CERT_NOT_YET_VALID",
        "ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA", "ETK_REQUESTED_FOR_AUTH_CERT_REVOKED",
        "ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED", "ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID", "REQUEST_HAS_NO_VALID_CMS_FORMAT",
        "AUTH_CERT_NOT_FOUND", "PUBLIC_KEY_NOT_YET_REGISTERED", "NO_VALID_AUTH_CERT_FOUND", "AUTH_CERT_NOT_VALID",
        "VALID_ETK_ALREADY_EXISTS", "RENEW_ACTIVATION_ETK_ALREADY_ACTIF", "RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD",
        "EHCSR__SIGNED_DATA_HAS_NO_CONTENT", "SOA-03001", "SOA-03002", "SOA-03003",
    ]

    @Test("every code of cookbook chapter 7 has a meaning and advice", arguments: chapter7)
    func catalogCoversChapter7(code: String) throws {
        let entry = try #require(PlatformErrorCatalog.entry(for: code))
        #expect(!entry.meaning.isEmpty)
        #expect(entry.advice.count > 20)
    }

    @Test("an eHealth status maps through the catalog, keeping the code and parameters")
    func statusMapping() {
        let status = EHealthStatusError(statusCode: "urn:be:fgov:ehealth:2.0:status:Requester",
                                        errors: [EteeError(code: "AUTH_CERT_NOT_YET_VALID", message: "valid from {0}",
                                                           parameters: [.init(name: "validFrom", value: "2030-01-01")])])
        let error = CertManagerError(status, operation: "CertRa.getCertificate")
        #expect(error.code.rawValue == "AUTH_CERT_NOT_YET_VALID")
        #expect(error.category == .pending)
        #expect(error.reason.contains("validFrom=2030-01-01"))
        #expect(error.operation == "CertRa.getCertificate")
        #expect(!error.isTransient)
    }

    @Test("CERT_NOT_YET_DELIVERED is pending, not a refusal")
    func notYetDelivered() {
        let error = CertManagerError(EHealthStatusError(statusCode: "x", errors: [EteeError(code: "CERT_NOT_YET_DELIVERED", message: "later")]))
        #expect(error.category == .pending)
        #expect(error.advice.contains("resume"))
    }

    @Test("an unknown eHealth code is a refusal that keeps the platform's message")
    func unknownStatus() {
        let error = CertManagerError(EHealthStatusError(statusCode: "x", errors: [EteeError(code: "SOMETHING_NEW", message: "the platform says why")]))
        #expect(error.code.rawValue == "SOMETHING_NEW")
        #expect(error.category == .refused)
        #expect(error.reason.contains("the platform says why"))
    }

    @Test("SOA-03001 is a client defect and carries the platform's ticket")
    func soaFault() throws {
        let detail = SOAErrorDetail(kind: .business, id: "ticket-42", origin: "Consumer", code: "SOA-03001",
                                    messages: [.init(language: "en", text: "Malformed message")], environment: "Production")
        let error = CertManagerError(try SOAPFault(detail))
        #expect(error.code.rawValue == "SOA-03001")
        #expect(error.category == .protocolViolation)
        #expect(error.ticket == "ticket-42")
    }

    @Test("a system error is transient unless the platform says retrying will not help")
    func systemErrors() throws {
        let retryable = SOAErrorDetail(kind: .system, origin: "Provider", code: "SOA-02001", messages: [.init(language: "en", text: "down")], environment: "Production")
        let final = SOAErrorDetail(kind: .system, origin: "Provider", code: "SOA-02001", messages: [.init(language: "en", text: "broken")],
                                   retry: false, environment: "Production")
        #expect(CertManagerError(try SOAPFault(retryable)).isTransient)
        #expect(CertManagerError(try SOAPFault(retryable)).category == .unavailable)
        #expect(!CertManagerError(try SOAPFault(final)).isTransient)
    }

    @Test("transport failures: network and 503 are transient, TLS trust and 404 are configuration")
    func transport() {
        #expect(CertManagerError(SOAPError(.transport, "connection refused")).isTransient)
        #expect(CertManagerError(SOAPError(.timeout, "60 s")).category == .unavailable)
        #expect(CertManagerError(SOAPError(.httpStatus, "503", httpStatus: 503)).isTransient)
        let notFound = CertManagerError(SOAPError(.httpStatus, "404", httpStatus: 404))
        #expect(notFound.category == .configuration)
        #expect(!notFound.isTransient)
        #expect(CertManagerError(SOAPError(.untrustedServer, "self-signed")).category == .configuration)
        #expect(CertManagerError(SOAPError(.unexpectedResponseElement, "html")).category == .protocolViolation)
    }

    /// Issue 13: InResponseTo was never compared with the request's Id. A mismatch is a protocol
    /// violation (ehcert's exit 7), never retried as if the network had failed.
    @Test("an answer to another request is RESPONSE_MISMATCH, a protocol violation, not transient")
    func responseMismatch() {
        let error = CertManagerError(SOAPError(.responseMismatch, "InResponseTo is _other, the request was _mine"))
        #expect(error.code == .responseMismatch)
        #expect(error.category == .protocolViolation)
        #expect(!error.isTransient)
        #expect(error.advice.contains("trace"))
    }

    @Test("keystore, PIN and cancellation errors say what to do")
    func localErrors() {
        let password = CertManagerError(SecurityError(.keystoreWrongPassword, "MAC"))
        #expect(password.code.rawValue == "KEYSTORE_WRONG_PASSWORD")
        #expect(password.category == .configuration)
        #expect(CertManagerError(SecurityError(.pkcs11PINLocked, "locked")).advice.contains("PUK"))
        #expect(CertManagerError(CancellationError()).category == .cancelled)
        #expect(CertManagerError(SecurityError(.challengeDigestMismatch, "bad")).category == .protocolViolation)
    }

    @Test("mapping an already mapped error keeps it and adds the operation")
    func idempotentMapping() {
        let original = CertManagerError(.contractDeclined, .cancelled, reason: "no", advice: "resume")
        let mapped = CertManagerError(original, operation: "CertRa.generateContract")
        #expect(mapped.code == original.code)
        #expect(mapped.operation == "CertRa.generateContract")
    }
}
