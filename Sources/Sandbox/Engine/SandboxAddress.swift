import Foundation
import Security
import Synchronization

/// Where the sandbox answers (e.g. http://127.0.0.1:8443), known once the server has bound its
/// port: for the links it hands out (a foreigner's validation page) and for the CRL and OCSP
/// addresses written into the certificates it issues, which it serves itself.
final class SandboxAddress: Sendable {
    private let value: Mutex<String?>

    init(_ baseURL: String?) {
        value = Mutex(baseURL)
    }

    var baseURL: String? { value.withLock { $0 } }

    func set(_ url: String) { value.withLock { $0 = url } }

    /// The profile of certificates issued now: the CRL and the OCSP responder on this address
    /// (loopback when none is known yet, as for the in-process sandbox, which serves neither).
    var certificateProfile: EHealthCertificateProfile {
        let base = baseURL ?? "http://127.0.0.1"
        return EHealthCertificateProfile(crlDistributionPoint: base + RevocationPublication.crlPath,
                                         ocspResponder: base + RevocationPublication.ocspPath)
    }
}
