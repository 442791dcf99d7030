import Foundation
import Generated
import SOAPRuntime
import Security
import X509

/// Real generated requests to sign, and helpers to run the reference tools and to tamper with
/// signed documents.
enum XMLSignatureFixtures {
    static let issueInstant = try! XSDateTime(xmlText: "2026-03-02T10:15:30.125+01:00")

    static func getActorQualities(ssin: String = "85210123617", id: String? = "_5e0a8a7c-3f41-4bd3-9d4e-0c6f5d0b9a11") -> GetActorQualitiesRequestType {
        GetActorQualitiesRequestType(id: id, issueInstant: issueInstant, ssin: IdType(type: "urn:be:fgov:person:ssin", value: ssin),
                                     signature: .placeholder)
    }

    /// About 10 KB of contract text per language, with markup-like characters that must be
    /// escaped, accented letters and line breaks (what generateContract returns).
    static let contractText: String = {
        let paragraph = "<p>Je soussigné, Jean DUPONT, demande un certificat eHealth & accepte les conditions d'utilisation \"générales\" (version 2.1) > ci-dessous.</p>\n"
        return String(repeating: paragraph, count: 10_240 / paragraph.utf8.count + 1)
    }()

    static func generateCertificate(csr: Data = Data((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7) }),
                                    id: String? = "_c0ffee00-1111-4222-8333-444455556666") throws -> GenerateCertificateRequestType {
        let dn = "CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN=85210123617,O=Federal Government,C=BE"
        let contract = ContractType(
            dn: dn,
            signer: ActorType(id: [IdType(type: "urn:be:fgov:person:ssin", value: "85210123617")], firstName: ["Jean"], name: "DUPONT"),
            text: TextType(value: [LocalizedString(language: try Lang(xmlText: "fr"), value: contractText)]))
        return GenerateCertificateRequestType(
            id: id, issueInstant: issueInstant,
            eHealthCSR: EHealthCertificateSigningRequestType(
                contactData: ContactDataType(emailPrivate: "jean.dupont@example.be", phonePrivate: "+32 2 123 45 67"),
                csr: csr, contract: contract, baseServiceUsage: ["ehbox"]),
            signature: .placeholder)
    }

    static func startETKRegistration(publicKey: Data = Data((0..<294).map { UInt8(truncatingIfNeeded: $0 &* 13) })) -> StartETKRegistrationRequestType {
        StartETKRegistrationRequestType(id: nil, issueInstant: issueInstant, publicEncryptionKey: publicKey, signature: .placeholder)
    }

    /// A verifier trusting both test roots.
    static let verifier = SignatureVerifier(trustRoots: [TestPKI.eIDRoot.certificate, TestPKI.eHealthRoot.certificate])

    // MARK: tools

    struct ToolResult {
        let status: Int32
        let output: String
        let error: String
        var succeeded: Bool { status == 0 }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes before waiting, so a chatty tool cannot block on a full pipe.
        let errorData = Thread.detachedRead(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                          error: String(decoding: errorData(), as: UTF8.self))
    }

    /// A fresh folder for files handed to the tools.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xmldsig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ text: String, to folder: URL, _ name: String) throws -> URL {
        let file = folder.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func write(_ data: Data, to folder: URL, _ name: String) throws -> URL {
        let file = folder.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    /// PEM of a chain, for `--trusted-pem` / `--untrusted-pem` and key files.
    static func pem(_ certificates: [Certificate]) throws -> String {
        try certificates.map { try TestPKI.pem($0) }.joined(separator: "\n")
    }
}

extension Thread {
    /// Reads a handle to its end on another thread; the closure waits for the result.
    static func detachedRead(_ handle: FileHandle) -> () -> Data {
        let box = ReadBox()
        box.group.enter()
        Thread.detachNewThread {
            box.data = handle.readDataToEndOfFile()
            box.group.leave()
        }
        return {
            box.group.wait()
            return box.data
        }
    }

    private final class ReadBox: @unchecked Sendable {
        let group = DispatchGroup()
        var data = Data()
    }
}

extension String {
    /// Replaces exactly one occurrence, failing loudly if there is not exactly one: a tampering
    /// helper that cannot silently do nothing.
    func replacingExactlyOnce(_ target: String, with replacement: String) -> String {
        let ranges = self.ranges(of: target)
        precondition(ranges.count == 1, "expected exactly one \"\(target)\", found \(ranges.count)")
        return replacingCharacters(in: ranges[0], with: replacement)
    }
}
