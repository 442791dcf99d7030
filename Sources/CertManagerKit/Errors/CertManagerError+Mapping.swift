import Foundation
import Security
import SOAPRuntime

extension CertManagerError {
    /// Any error of the layers below, as a `CertManagerError` with advice: eHealth statuses and
    /// SOA faults through ``PlatformErrorCatalog``, transport and keystore failures by their codes.
    public init(_ error: any Error, operation: String? = nil) {
        switch error {
        case let error as CertManagerError:
            self = operation.map { error.with(operation: $0) } ?? error
        case let status as EHealthStatusError:
            self = Self.mapping(status, operation: operation)
        case let fault as SOAPFault:
            self = Self.mapping(fault, operation: operation)
        case let soap as SOAPError:
            self = Self.mapping(soap, operation: operation)
        case let xml as XMLError where xml.code == .malformed:
            // Bytes that are not XML at all: most often an answer cut off by a broken connection,
            // or an intermediary's page. Asking again may well succeed.
            self = CertManagerError(.malformedResponse, .unavailable,
                                    reason: "the answer could not be read (cut off, or not XML): \(xml)",
                                    advice: "The connection may have broken during the answer; try again (`resume` continues where it stopped), and report it with a trace (--trace-dir) if it persists.",
                                    operation: operation, isTransient: true)
        case let xml as XMLError:
            self = CertManagerError(.malformedResponse, .protocolViolation,
                                    reason: "the answer could not be read: \(xml)",
                                    advice: "The platform's answer does not follow the service's schema; try again later, and report it with a trace (--trace-dir) if it persists.",
                                    operation: operation)
        case let security as SecurityError:
            self = Self.mapping(security, operation: operation)
        case is CancellationError:
            self = CertManagerError(.cancelled, .cancelled, reason: "the flow was interrupted",
                                    advice: "Nothing is lost: continue it with `resume`.", operation: operation)
        case let cocoa as CocoaError:
            self = CertManagerError(.fileFailed, .local, reason: cocoa.localizedDescription,
                                    advice: "Check that the folder exists, is writable and has free space.", operation: operation)
        default:
            self = CertManagerError(.init(String(describing: type(of: error))), .local, reason: "\(error)",
                                    advice: "", operation: operation)
        }
    }

    static func mapping(_ status: EHealthStatusError, operation: String?) -> CertManagerError {
        // The first code the cookbook explains decides; the others are kept in the reason.
        let known = status.errors.first { PlatformErrorCatalog.entry(for: $0.code) != nil }
        let details = status.errors.map(\.description).joined(separator: "; ")
        if let known, let entry = PlatformErrorCatalog.entry(for: known.code) {
            var parameters = known.parameters.isEmpty ? "" : " (" + known.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")"
            // These messages carry the date the certificate becomes valid ("valid from {0}"),
            // which the flow waits for (``ValidityStart``).
            if ValidityStart.codes.contains(entry.code), !known.message.isEmpty { parameters += " (\(known.message))" }
            return CertManagerError(.init(entry.code), entry.category,
                                    reason: entry.meaning + parameters,
                                    advice: entry.advice, operation: operation,
                                    isTransient: entry.category == .unavailable)
        }
        if let first = status.errors.first {
            return CertManagerError(.init(first.code), .refused, reason: details.isEmpty ? status.description : details,
                                    advice: "The platform refused the request; the message says why. Contact the eHealth service desk if it is unclear.",
                                    operation: operation)
        }
        return CertManagerError(.requestFailed, .refused, reason: status.description,
                                advice: "The platform refused the request without an error code; contact the eHealth service desk with the trace (--trace-dir).",
                                operation: operation)
    }

    static func mapping(_ fault: SOAPFault, operation: String?) -> CertManagerError {
        guard let soa = fault.soaError else {
            let server = fault.faultCodeName?.localName == "Server" || fault.faultCode.hasSuffix("Server")
            return CertManagerError(.soapFault, server ? .unavailable : .refused,
                                    reason: "SOAP fault \(fault.faultCode): \(fault.faultString)",
                                    advice: server ? "The platform failed to handle the request; try again later." : "The platform refused the request; the message says why.",
                                    operation: operation, isTransient: server)
        }
        let message = soa.preferredMessage?.text ?? fault.faultString
        if let entry = PlatformErrorCatalog.entry(for: soa.code) {
            return CertManagerError(.init(entry.code), entry.category, reason: "\(entry.meaning) (\(message))",
                                    advice: entry.advice, operation: operation, ticket: soa.id,
                                    isTransient: entry.category == .unavailable)
        }
        switch soa.kind {
        case .system:
            // A system error is the platform's own failure; it says whether repeating may help.
            let transient = soa.retry ?? true
            var advice = transient ? "The platform had a technical problem; try again later." : "The platform had a technical problem that retrying will not solve; contact the eHealth service desk."
            if let contact = soa.contact { advice += " Contact: \(contact)." }
            return CertManagerError(.init(soa.code), .unavailable, reason: message, advice: advice,
                                    operation: operation, ticket: soa.id, isTransient: transient)
        case .business:
            var advice = "The platform refused the request; the message says why."
            if let contact = soa.contact { advice += " Contact: \(contact)." }
            return CertManagerError(.init(soa.code), .refused, reason: message, advice: advice,
                                    operation: operation, ticket: soa.id, isTransient: soa.retry == true)
        }
    }

    static func mapping(_ error: SOAPError, operation: String?) -> CertManagerError {
        switch error.code {
        case .transport:
            return CertManagerError(.transportFailed, .unavailable, reason: error.reason,
                                    advice: "Check the network connection and the endpoint address, then try again (`resume` continues where it stopped).",
                                    operation: operation, isTransient: true)
        case .timeout:
            return CertManagerError(.transportFailed, .unavailable, reason: error.reason,
                                    advice: "The platform did not answer in time; try again later (`resume` continues where it stopped).",
                                    operation: operation, isTransient: true)
        case .untrustedServer:
            return CertManagerError(.untrustedServer, .configuration, reason: error.reason,
                                    advice: "The server's TLS certificate is not trusted: check the endpoint, or add its CA with --trust-root (a company proxy that inspects TLS needs its CA added).",
                                    operation: operation)
        case .invalidTrustRoot, .invalidTracingHeader:
            return CertManagerError(.init(error.code.rawValue), .configuration, reason: error.reason,
                                    advice: "Correct the option and try again.", operation: operation)
        case .httpStatus:
            let status = error.httpStatus ?? 0
            if [502, 503, 504].contains(status) || status == 429 {
                return CertManagerError(.httpError, .unavailable, reason: error.reason,
                                        advice: "The platform is temporarily unavailable (see https://status.ehealth.fgov.be/); try again later.",
                                        operation: operation, isTransient: true)
            }
            if (400..<500).contains(status) {
                return CertManagerError(.httpError, .configuration, reason: error.reason,
                                        advice: "Check the endpoint address (--env, or the custom CertRA/EtkRA URLs).", operation: operation)
            }
            return CertManagerError(.httpError, .unavailable, reason: error.reason,
                                    advice: "The platform failed; try again later.", operation: operation, isTransient: status >= 500)
        case .insecureEndpoint:
            return CertManagerError(.insecureEndpoint, .configuration, reason: error.reason,
                                    advice: "Use the https address of the service; plain http is only for a sandbox on this machine.", operation: operation)
        case .responseMismatch:
            return CertManagerError(.responseMismatch, .protocolViolation, reason: error.reason,
                                    advice: "The answer belongs to another request: do not trust it; report it with a trace (--trace-dir).", operation: operation)
        case .notSOAP, .missingBody, .emptyBody, .multiplePayloads, .unexpectedResponseElement, .responseTooLarge:
            return CertManagerError(.malformedResponse, .protocolViolation, reason: error.reason,
                                    advice: "The answer is not the service's SOAP message: check the endpoint address; report it with a trace (--trace-dir) if it is right.",
                                    operation: operation)
        }
    }

    static func mapping(_ error: SecurityError, operation: String?) -> CertManagerError {
        let code = CertManagerError.Code(error.code.rawValue)
        switch error.code {
        case .keystoreWrongPassword:
            return CertManagerError(code, .configuration, reason: error.reason,
                                    advice: "Give the password this keystore (or this flow's keystore) was created with.", operation: operation)
        case .keystoreExists:
            return CertManagerError(code, .local, reason: error.reason, advice: "Choose another file name or folder.", operation: operation)
        case .pkcs11ModuleUnavailable, .pkcs11TokenNotPresent, .pkcs11TokenRemoved, .pkcs11DifferentToken,
             .pkcs11CertificateNotFound, .pkcs11KeyNotFound, .pkcs11KeyMismatch, .pkcs11MechanismUnsupported, .pkcs11Failed:
            return CertManagerError(code, .configuration, reason: error.reason,
                                    advice: "Check that the eID reader is connected, the card inserted and the eID middleware installed; then `resume`.",
                                    operation: operation)
        case .pkcs11PINIncorrect, .pkcs11PINLocked, .pkcs11PINUnavailable:
            return CertManagerError(code, .configuration, reason: error.reason,
                                    advice: error.code == .pkcs11PINLocked ? "The card is blocked: unblock it with its PUK at the municipality." : "Enter the card's PIN; mind that wrong PINs block the card after three tries.",
                                    operation: operation)
        case .pkcs11Cancelled:
            return CertManagerError(.cancelled, .cancelled, reason: error.reason,
                                    advice: "Nothing is lost: continue with `resume`.", operation: operation)
        case .challengeMalformed, .challengeDecryptionFailed, .challengeDigestMismatch:
            return CertManagerError(code, .protocolViolation, reason: error.reason,
                                    advice: "The challenge is rejected; `resume` asks for a new one.", operation: operation)
        default:
            return CertManagerError(code, .local, reason: error.reason, advice: "", operation: operation)
        }
    }
}
