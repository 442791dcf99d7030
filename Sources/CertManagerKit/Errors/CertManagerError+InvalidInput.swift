import Security

extension CertManagerError {
    /// The same error, as a mistake in the caller's input.
    var asInvalidInput: CertManagerError {
        CertManagerError(code, .invalidInput, reason: reason, advice: advice, operation: operation, ticket: ticket)
    }
}

extension CertManagerError.Code {
    static let keystoreExistsCode = Self(SecurityError.Code.keystoreExists.rawValue)
}
