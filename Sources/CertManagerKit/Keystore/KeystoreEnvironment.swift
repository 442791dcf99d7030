import Foundation
import Security
import X509

/// Which of the platform's environments a certificate (and the keystore holding it) belongs to,
/// told by the CA that issued it (issue 15, item 6): an acceptance keystore used against
/// production only gets AUTH_CERT_NOT_FOUND and advice that misleads, so the mix-up is refused
/// before anything is signed, naming both environments. A CA we cannot place stays unknown and
/// is never refused.
public enum KeystoreEnvironment: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// `ehcert-sandbox`: its issuing CA's name ends in "Sandbox".
    case sandbox
    case acceptance
    case production

    public var description: String { rawValue }

    /// The environment whose CA issued `certificate`, from the issuer's common name: the
    /// sandbox's CAs say "Sandbox"; the platform's acceptance CAs carry "UAT" or "acceptance"
    /// ("UAT ZetesConfidens Private Trust PKI – eHealth issuing CA 002", protocol facts); its
    /// production CAs are the same PKIs' without that mark (ZetesConfidens, QuoVadis). Any other
    /// issuer: nil.
    public init?(issuerOf certificate: Certificate) {
        let names = certificate.issuer.flatMap { $0 }.filter { $0.type == [2, 5, 4, 3] }.map { String(describing: $0.value).lowercased() }
        guard let name = names.first else { return nil }
        let words = name.split { !$0.isLetter && !$0.isNumber }
        if words.contains("sandbox") {
            self = .sandbox
        } else if words.contains("uat") || words.contains("acceptance") || words.contains("acpt") {
            self = .acceptance
        } else if name.contains("zetesconfidens") || name.contains("quovadis") {
            self = .production
        } else {
            return nil
        }
    }

    /// The environment `endpoints` are: the platform's by their URLs, the sandbox for an
    /// endpoint on this machine; nil for other custom URLs.
    public init?(endpoints: ServiceEndpoints) {
        switch endpoints.environment {
        case .acceptance?: self = .acceptance
        case .production?: self = .production
        case nil:
            let host = endpoints.certRA.host?.lowercased() ?? ""
            guard host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.") else { return nil }
            self = .sandbox
        }
    }

    /// Refuses `certificate` against `endpoints` when both environments are known and differ.
    public static func check(_ certificate: Certificate, file: URL, against endpoints: ServiceEndpoints, allowOther: Bool) throws {
        guard !allowOther, let keystore = KeystoreEnvironment(issuerOf: certificate),
              let target = KeystoreEnvironment(endpoints: endpoints), keystore != target else { return }
        throw CertManagerError(.environmentMismatch, .configuration,
                               reason: "\(file.lastPathComponent) is a keystore of \(keystore) (its certificate was issued by \(certificate.issuer)), but the command goes to \(target) (\(endpoints))",
                               advice: "Use --env \(keystore) for this keystore, or a \(target) keystore; give --force-environment only if you are sure.")
    }

    /// The mark a keystore's file name carries (issue 15 item 6): none for production, whose
    /// files keep the platform's own `<TYPE>=<ID>[,<APPID>] yyyyMMdd-HHmmss.p12`; otherwise
    /// ` acceptance` or ` sandbox` before `.p12`.
    public var fileNameMark: String {
        self == .production ? "" : " " + rawValue
    }
}

extension CertManagerError.Code {
    /// A keystore of one environment used against another.
    public static let environmentMismatch = Self("ENVIRONMENT_MISMATCH")
}
