import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a token's PIN comes from. Never from a command-line argument (other users see those in
/// the process list): from a closure, an environment variable, or an interactive prompt the
/// caller supplies. A pinpad reader (CKF_PROTECTED_AUTHENTICATION_PATH) never asks the source;
/// the person types the PIN on the reader.
///
/// The source is asked once per login, and again for each signature with a key that demands it
/// (CKA_ALWAYS_AUTHENTICATE). A wrong PIN is reported, never retried by itself: each try counts
/// towards blocking the card.
public struct PINSource: Sendable {
    /// What is being asked for, to word a prompt.
    public struct Request: Sendable, Hashable {
        public enum Purpose: Sendable, Hashable {
            /// Logging in to the token.
            case login
            /// Authorising one signature with a key that requires the PIN every time.
            case signature
        }

        public let tokenLabel: String
        public let keyLabel: String
        public let purpose: Purpose
        /// A wrong PIN was entered since the last correct one.
        public let isCountLow: Bool
        /// One more wrong PIN blocks the card.
        public let isFinalTry: Bool

        /// A sentence for a prompt.
        public var message: String {
            var text = purpose == .login
                ? "Enter the PIN of \(tokenLabel) to use its \(keyLabel) key"
                : "Enter the PIN of \(tokenLabel) to sign with its \(keyLabel) key"
            if isFinalTry {
                text += " (last try: one more wrong PIN blocks the card)"
            } else if isCountLow {
                text += " (a wrong PIN was entered before)"
            }
            return text + ": "
        }
    }

    private let provide: @Sendable (Request) throws -> String?
    private let pinpadNotice: (@Sendable (Request) -> Void)?

    private init(provide: @escaping @Sendable (Request) throws -> String?, pinpadNotice: (@Sendable (Request) -> Void)? = nil) {
        self.provide = provide
        self.pinpadNotice = pinpadNotice
    }

    /// A closure that returns the PIN (a dialog of the application, a secrets store), or `nil`
    /// to cancel. It runs on the key's own queue, never on the caller's task, and may block.
    public static func callback(_ provide: @escaping @Sendable (Request) throws -> String?) -> PINSource {
        PINSource(provide: provide)
    }

    /// The PIN from an environment variable, read when needed (unattended services).
    public static func environment(_ variable: String) -> PINSource {
        PINSource { _ in
            guard let value = getenv(variable) else {
                throw SecurityError(.pkcs11PINUnavailable, "the environment variable \(variable) that should hold the PIN is not set")
            }
            return String(cString: value)
        }
    }

    /// An interactive prompt supplied by the caller: `read` shows the message and reads the PIN
    /// without echo (for a terminal, `getpass`-like), returning `nil` if the person cancels.
    public static func prompt(_ read: @escaping @Sendable (_ message: String) throws -> String?) -> PINSource {
        PINSource { request in try read(request.message) }
    }

    /// PINs known in advance for some keys, by key label (e.g. read from files), and `otherwise`
    /// for the others. A PIN given for the Authentication key is not used for the Signature key
    /// (a legal signature) unless it is given for that label too: the person decides per key.
    public static func perKey(_ pins: [String: String], otherwise: PINSource) -> PINSource {
        PINSource(provide: { request in try pins[request.keyLabel] ?? otherwise.provide(request) },
                  pinpadNotice: otherwise.pinpadNotice)
    }

    /// The same source, also telling the person when to type the PIN on a pinpad reader.
    public func onPinpad(_ notice: @escaping @Sendable (Request) -> Void) -> PINSource {
        PINSource(provide: provide, pinpadNotice: notice)
    }

    func notifyPinpad(_ request: Request) {
        pinpadNotice?(request)
    }

    /// The PIN as bytes for C_Login (UTF-8, as PKCS#11 wants).
    func pin(for request: Request) throws -> [UInt8] {
        guard let pin = try provide(request), !pin.isEmpty else {
            throw SecurityError(.pkcs11PINUnavailable, "no PIN was given for \(request.tokenLabel)")
        }
        return Array(pin.utf8)
    }
}
