import Foundation

/// A certificate authority, a server certificate it issued for 127.0.0.1 only, and an
/// unrelated second authority, made with the openssl command line tool.
struct TestPKI: Sendable {
    let directory: URL
    let authority: URL
    let otherAuthority: URL
    let serverCertificate: URL
    let serverKey: URL
    /// A file that exists but holds no certificate.
    let notPEM: URL

    /// Made once per test run.
    static let shared: Result<TestPKI, any Error> = Result { try TestPKI() }

    private init() throws {
        directory = try Fixtures.temporaryDirectory()
        authority = directory.appendingPathComponent("ca.pem")
        otherAuthority = directory.appendingPathComponent("other-ca.pem")
        serverCertificate = directory.appendingPathComponent("server.pem")
        serverKey = directory.appendingPathComponent("server.key")
        notPEM = directory.appendingPathComponent("not-a-certificate.txt")
        try Data("just text\n".utf8).write(to: notPEM)
        try Data("""
            subjectAltName=IP:127.0.0.1
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth

            """.utf8).write(to: directory.appendingPathComponent("server.ext"))

        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let authorityExtensions = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                                            "-subj", "/CN=SOAPRuntime Test Sandbox CA"] + authorityExtensions)
        try openssl(["req", "-x509"] + ec + ["-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2",
                                            "-subj", "/CN=SOAPRuntime Unrelated CA"] + authorityExtensions)
        try openssl(["req", "-new"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2",
                     "-days", "2", "-extfile", "server.ext", "-out", "server.pem"])
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [
                NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))",
            ])
        }
    }
}
