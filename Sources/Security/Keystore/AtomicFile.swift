import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe replacement of a small secret file: the bytes go to a temporary file in the same
/// folder (created 0600), are flushed with fsync, and only then take the final name, so a reader
/// sees either the old file or the whole new one, never a part; the folder is synced so the new
/// name survives a power cut. On any failure the temporary file is removed. Keystores, flow
/// journals and the sandbox's state all go through it.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, overwrite: Bool, permissions: mode_t = 0o600) throws {
        let destination = url.standardizedFileURL.path
        let folder = (destination as NSString).deletingLastPathComponent
        let name = (destination as NSString).lastPathComponent
        guard !name.isEmpty, name != "/" else {
            throw SecurityError(.keystoreWriteFailed, "\(destination) is not a file name")
        }
        if !overwrite, FileManager.default.fileExists(atPath: destination) {
            throw SecurityError(.keystoreExists, "\(destination) already exists; choose another name or allow replacing it")
        }

        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw failure("cannot create a temporary file in \(folder)")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
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

        if overwrite {
            guard rename(temporary, destination) == 0 else { throw failure("cannot move the new keystore to \(destination)") }
        } else {
            // link(2) fails with EEXIST rather than replacing: no window in which a file created
            // since the check above would be overwritten.
            if link(temporary, destination) == 0 {
                unlink(temporary)
            } else if errno == EEXIST {
                throw SecurityError(.keystoreExists, "\(destination) already exists; choose another name or allow replacing it")
            } else if [EPERM, ENOTSUP, EOPNOTSUPP, EMLINK].contains(errno) {
                // A file system without hard links (FAT, some network shares): check, then rename.
                if FileManager.default.fileExists(atPath: destination) {
                    throw SecurityError(.keystoreExists, "\(destination) already exists; choose another name or allow replacing it")
                }
                guard rename(temporary, destination) == 0 else { throw failure("cannot move the new keystore to \(destination)") }
            } else {
                throw failure("cannot give the new keystore the name \(destination)")
            }
        }
        committed = true
        syncFolder(folder)
    }

    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func failure(_ what: String) -> SecurityError {
        let reason = String(cString: strerror(errno))
        return SecurityError(.keystoreWriteFailed, "\(what): \(reason); nothing was written and any existing file is unchanged")
    }
}

/// write(2), out of reach of `AtomicFile.write`'s name.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
