import Foundation
import Security
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
        do {
            try AtomicFile.write(data, to: url, overwrite: true, permissions: permissions)
        } catch let error as SecurityError {
            throw CertManagerError(.fileFailed, .local, reason: error.reason,
                                   advice: "Check that the folder is writable and the disk not full; nothing was changed.")
        }
    }

    /// Deletes a file and flushes its folder, so the deletion survives a power cut; an absent
    /// file is not an error.
    static func remove(_ url: URL) throws {
        if unlink(url.path) != 0, errno != ENOENT {
            throw CertManagerError(.fileFailed, .local, reason: "cannot delete \(url.path): \(String(cString: strerror(errno)))",
                                   advice: "Delete it yourself: it holds private keys that are no longer needed.")
        }
        let descriptor = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
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
}

