import Foundation

/// The contract generateContract returned (cookbook 4.3.4 step 5), as it is presented to the
/// person who will sign it with their eID. Nothing is signed until the caller's reviewer
/// answers ``ContractDecision/accept``.
public struct ContractOffer: Sendable, Equatable {
    /// One language version of the contract: an HTML5 document.
    public struct Text: Sendable, Equatable {
        /// `xml:lang`, e.g. `fr`, `nl`, `en`, `de`.
        public let language: String
        public let html: String

        public init(language: String, html: String) {
            self.language = language
            self.html = html
        }

        /// The HTML rendered as plain text for a terminal.
        public var plainText: String { HTMLText.plainText(fromHTML: html) }
    }

    /// The DN of the certificate being requested; the CSR will carry exactly this one.
    public let distinguishedName: String
    /// The person who signs the contract (the eID holder).
    public let signerName: String
    public let signerSSIN: String?
    public let texts: [Text]

    public init(distinguishedName: String, signerName: String, signerSSIN: String?, texts: [Text]) {
        self.distinguishedName = DisplayText.clean(distinguishedName)
        self.signerName = DisplayText.clean(signerName)
        self.signerSSIN = signerSSIN
        self.texts = texts
    }

    /// The version in the first available of `languages`, else the first one.
    public func text(preferring languages: [String] = ["en", "fr", "nl", "de"]) -> Text? {
        for language in languages {
            if let text = texts.first(where: { $0.language.lowercased().hasPrefix(language.lowercased()) }) { return text }
        }
        return texts.first
    }
}

/// The answer of the person who read the contract.
public enum ContractDecision: Sendable, Equatable {
    /// Sign it with the eID Signature key and send the certificate request.
    case accept
    /// Stop; nothing is signed. The flow can be resumed later and will ask again.
    case decline
}

/// Shows the contract to the person and returns their decision. Called before anything is
/// signed with the eID Signature key; on `resume` after a decline it is called again.
public typealias ContractReviewer = @Sendable (ContractOffer) async throws -> ContractDecision
