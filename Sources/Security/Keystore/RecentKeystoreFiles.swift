import Crypto
import Foundation
import Synchronization

/// The contents of the PKCS#12 files this process wrote or opened lately (`Keystore.write(to:)`,
/// `Keystore(contentsOf:)`), by the SHA-256 of their bytes and of the password, so that opening
/// the same bytes again costs a hash, not the 100,000-iteration key derivations (a flow reads
/// back the keystore it wrote a step before; a renewal reads the replaced keystore four times;
/// a software eID is opened for each key). The in-memory codec (`Keystore(pkcs12:)`,
/// `pkcs12Data`) always decodes.
///
/// What it does not skip: the file is still read, and only bytes identical to those written or
/// opened before, with the same password, come from memory. Any other bytes (a file changed by
/// hand or by another process, a different password) are decoded and their MAC checked as
/// before, so the answer is always the one decoding would give. Decoding is a function of the
/// bytes and the password, which is why this is sound. Entries hold private keys, as the
/// `Keystore` values that were written or read already did; only the last few are kept.
enum RecentKeystoreFiles {
    static let capacity = 16

    private struct Entry {
        let file: SHA256.Digest
        let password: SHA256.Digest
        let contents: PKCS12Contents
    }

    private static let entries = Mutex<[Entry]>([])

    static func contents(of data: Data, password: String) -> PKCS12Contents? {
        let file = SHA256.hash(data: data)
        let password = SHA256.hash(data: Data(password.utf8))
        return entries.withLock { entries in
            entries.last { $0.file == file && $0.password == password }?.contents
        }
    }

    static func remember(_ contents: PKCS12Contents, data: Data, password: String) {
        let entry = Entry(file: SHA256.hash(data: data), password: SHA256.hash(data: Data(password.utf8)), contents: contents)
        entries.withLock { entries in
            entries.removeAll { $0.file == entry.file && $0.password == entry.password }
            if entries.count >= capacity { entries.removeFirst(entries.count - capacity + 1) }
            entries.append(entry)
        }
    }
}
