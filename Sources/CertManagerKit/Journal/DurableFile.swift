import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe replacement of a small file that may hold personal data or secrets: written to a
/// temporary file in the same folder (mode 0600), flushed with fsync, renamed over the old one,
/// and the folder flushed, so that after a crash or power cut the file is either the old or the
/// new version, never a mix.
enum DurableFile {
    static func write(_ data: Data, to url: URL, permissions: mode_t = 0o600) throws {
        let destination = url.path
        let folder = url.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(url.lastPathComponent).XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw failure("cannot create a temporary file in \(folder)") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer { if !committed { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, permissions) == 0 else { throw failure("cannot restrict the permissions of \(temporary)") }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = posixWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure("cannot write \(temporary)")
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw failure("cannot flush \(temporary) to disk") }
        }
        guard rename(temporary, destination) == 0 else { throw failure("cannot replace \(destination)") }
        committed = true
        syncFolder(folder)
    }

    /// A folder for private files (0700), created with its parents when missing.
    static func makePrivateDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CertManagerError(.fileFailed, .local, reason: "cannot create the folder \(url.path): \(error.localizedDescription)",
                                   advice: "Choose a folder you can write to (--workdir).")
        }
    }

    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func failure(_ what: String) -> CertManagerError {
        CertManagerError(.fileFailed, .local, reason: "\(what): \(String(cString: strerror(errno)))",
                         advice: "Check that the folder is writable and the disk not full; nothing was changed.")
    }
}

/// write(2), out of reach of the `write` methods' names.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
