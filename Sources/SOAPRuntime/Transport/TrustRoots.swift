import Foundation

/// Certificate authorities to trust in addition to the system's, read from PEM files: the CA
/// of a local sandbox, or of a company proxy that inspects TLS.
struct TrustRoots: Sendable {
    let files: [URL]
    /// The certificates of every file, concatenated.
    let pem: Data

    private static let beginCertificate = Data("-----BEGIN CERTIFICATE-----".utf8)

    init(files: [URL]) throws {
        var pem = Data()
        for file in files {
            let contents: Data
            do {
                contents = try Data(contentsOf: file)
            } catch {
                throw SOAPError(.invalidTrustRoot, "cannot read the trust root \(file.path): \(error.localizedDescription)")
            }
            guard contents.range(of: Self.beginCertificate) != nil else {
                throw SOAPError(.invalidTrustRoot, "\(file.path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
            }
            pem.append(contents)
            pem.append(UInt8(ascii: "\n"))
        }
        self.files = files
        self.pem = pem
    }

    /// These roots after the system bundle, so that adding a root never removes one.
    func addedTo(systemBundle path: String?) -> Data {
        guard let path, let system = FileManager.default.contents(atPath: path) else { return pem }
        return system + Data("\n".utf8) + pem
    }
}
