import Foundation

/// A real HTTP(S) server on 127.0.0.1, a Python `http.server` child process, so the transport
/// is tested against bytes on a socket. It records every request it receives as JSON lines.
///
/// Paths: `/respond/<status>/<file>` answers with a file written by `serve`; `/slow/<seconds>`
/// answers late; `/redirect` answers 302; `/big/<n>` sends n bytes with a Content-Length;
/// `/stream/<n>` sends n bytes without one, ending with the connection.
final class LoopbackServer: @unchecked Sendable {
    let directory: URL
    let port: Int
    let scheme: String
    private let process: Process

    struct ReceivedRequest: Decodable {
        let method: String
        let path: String
        let headers: [[String]]
        let body: String

        /// Every value of a header, names compared case-insensitively.
        func values(_ name: String) -> [String] {
            headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
        }
    }

    private static let script = #"""
    import http.server, json, os, signal, ssl, sys, threading, time
    directory = sys.argv[1]
    lock = threading.Lock()

    # Spawned from a dispatch thread, the process inherits a mask that blocks SIGTERM.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    # Never outlive the test process, even when it is killed.
    parent = os.getppid()
    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)
    threading.Thread(target=watch_parent, daemon=True).start()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock, open(os.path.join(directory, "requests.jsonl"), "a") as log:
                log.write(json.dumps({"method": self.command, "path": self.path,
                                      "headers": [[k, v] for k, v in self.headers.items()],
                                      "body": body.decode("utf-8")}) + "\n")
            parts = self.path.strip("/").split("/")
            if parts[0] == "respond":
                with open(os.path.join(directory, parts[2]), "rb") as f:
                    self.reply(int(parts[1]), f.read(), "text/xml; charset=utf-8")
            elif parts[0] == "slow":
                time.sleep(float(parts[1]))
                self.reply(200, b"<late/>", "text/xml")
            elif parts[0] == "redirect":
                self.send_response(302)
                self.send_header("Location", "/respond/200/echo.xml")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif parts[0] == "big":
                self.reply(200, b"x" * int(parts[1]), "text/xml")
            elif parts[0] == "stream":
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Connection", "close")
                self.end_headers()
                remaining = int(parts[1])
                try:
                    while remaining > 0:
                        self.wfile.write(b"y" * min(remaining, 65536))
                        remaining -= 65536
                except OSError:
                    pass
                self.close_connection = True
            else:
                self.reply(404, b"not found", "text/plain")

        def reply(self, status, payload, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if len(sys.argv) > 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

    /// Starts the server; `tls` makes it HTTPS with that certificate and key.
    init(tls: (certificate: URL, key: URL)? = nil) throws {
        directory = try Fixtures.temporaryDirectory()
        scheme = tls == nil ? "http" : "https"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, directory.path] + (tls.map { [$0.certificate.path, $0.key.path] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.terminate()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the loopback server did not start"])
            }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the loopback server printed no port"])
        }
        self.port = port
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    func url(_ path: String, host: String = "127.0.0.1") -> URL {
        URL(string: "\(scheme)://\(host):\(port)\(path)")!
    }

    /// Makes `/respond/<status>/<name>` answer with `contents`.
    func serve(_ name: String, _ contents: String) throws {
        try Data(contents.utf8).write(to: directory.appendingPathComponent(name))
    }

    func receivedRequests() throws -> [ReceivedRequest] {
        let log = directory.appendingPathComponent("requests.jsonl")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try String(decoding: Data(contentsOf: log), as: UTF8.self)
            .split(separator: "\n")
            .map { try JSONDecoder().decode(ReceivedRequest.self, from: Data($0.utf8)) }
    }
}
