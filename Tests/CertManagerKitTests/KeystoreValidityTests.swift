import CertManagerKit
import Crypto
import Foundation
import Security
import Testing
import X509

/// `keystore show` on a keystore whose certificates are expired or not yet valid says so, in
/// text and in `--json` (issue 15: "`keystore show` on an expired platform keystore says expired").
@Suite("Keystore validity in reports")
struct KeystoreValidityTests {
    /// A keystore with an expired key entry, a not-yet-valid one, and its CA as a trusted entry.
    static func keystore(in folder: URL, now: Date = Date()) throws -> URL {
        let caKey = P256.Signing.PrivateKey()
        let ca = try CertificateAuthority.root(name: try DistinguishedName { CountryName("BE"); CommonName("Validity Test CA") },
                                               key: Certificate.PrivateKey(caKey), validity: now.addingTimeInterval(-86_400 * 800)...now.addingTimeInterval(86_400 * 800))
        var keystore = Keystore()
        for (alias, validity) in [("authentication", now.addingTimeInterval(-86_400 * 400)...now.addingTimeInterval(-86_400)),
                                  ("later", now.addingTimeInterval(86_400)...now.addingTimeInterval(86_400 * 400))] {
            let key = P256.Signing.PrivateKey()
            let certificate = try ca.issue(subject: try DistinguishedName { CountryName("BE"); CommonName(alias) },
                                           publicKey: Certificate.PublicKey(key.publicKey), validity: validity)
            try keystore.setPrivateKey(try KeystorePrivateKey(.p256(key)), certificateChain: [certificate, ca.certificate], alias: alias)
        }
        keystore.setCertificate(ca.certificate, alias: "validity test ca")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("old.p12")
        try keystore.write(to: file, password: EndToEnd.keystorePassword, format: .legacy)
        return file
    }

    @Test func theReportMarksExpiredAndNotYetValidCertificates() throws {
        let file = try Self.keystore(in: TestFolders().root)
        let report = try KeystoreReport.read(file: file, password: EndToEnd.keystorePassword)
        let states = Dictionary(uniqueKeysWithValues: report.entries.map { ($0.alias, $0.certificates.first?.validity) })
        #expect(states["authentication"] == .expired)
        #expect(states["later"] == .notYetValid)
        #expect(states["validity test ca"] == .valid)
        #expect(report.isJava8Compatible == true)
        // The same file a year later: everything has moved on.
        let later = try KeystoreReport.read(file: file, password: EndToEnd.keystorePassword, at: Date().addingTimeInterval(86_400 * 30))
        #expect(later.entries.first { $0.alias == "later" }?.certificates.first?.validity == .valid)
    }

    @Test(.enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
    func keystoreShowSaysExpired() async throws {
        let file = try Self.keystore(in: TestFolders().root)
        let text = try await EndToEnd.ehcert(["keystore", "show", file.path, "--password-env", EndToEnd.keystorePasswordVariable])
        #expect(text.status == 0, "\(text.standardError)")
        let authentication = text.standardOutput.components(separatedBy: "\n").drop { !$0.contains("authentication") }
        #expect(authentication.first { $0.contains("valid  ") }?.contains("EXPIRED") == true, "\(text.standardOutput)")
        #expect(text.standardOutput.contains("NOT YET VALID"))
        let json = try await EndToEnd.ehcert(["keystore", "show", file.path, "--json", "--password-env", EndToEnd.keystorePasswordVariable])
        let entries = try #require(try EndToEnd.object(json.standardOutput)["entries"] as? [[String: Any]])
        let states = entries.map { (($0["certificates"] as? [[String: Any]])?.first?["state"] as? String) ?? "?" }
        #expect(states == ["expired", "notYetValid", "valid"])
    }
}
