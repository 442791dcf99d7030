import Foundation

/// The passwords of several keystores, for `check` over a folder where each keystore has its own
/// (they often belong to different applications). For each keystore, in order:
///
/// 1. its entry in a password map: a JSON object from keystore path (or bare file name) to
///    password, paths relative to the map's folder;
/// 2. a password file next to it: the keystore's name plus `.password` (`X.p12.password`),
///    whose first line is the password;
/// 3. the common password, when one was given.
///
/// Keep these files readable by their owner only (`chmod 600`), like the keystores.
public struct KeystorePasswords: Sendable {
    /// The extension added to a keystore's file name for its password file.
    public static let passwordFileExtension = "password"

    public var common: String?
    /// Standardized absolute path or bare file name → password.
    public var map: [String: String]

    public init(common: String? = nil, map: [String: String] = [:]) {
        self.common = common
        self.map = map
    }

    /// `keystore` + `.password`.
    public static func passwordFile(for keystore: URL) -> URL {
        keystore.appendingPathExtension(passwordFileExtension)
    }

    /// Reads a password map file (JSON: `{"SSIN=… 20250101-101010.p12": "secret", "/srv/app/hospital.p12": "other"}`).
    public static func readMap(_ file: URL) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw CertManagerError(.passwordMapInvalid, .invalidInput, reason: "the password map \(file.path) cannot be read",
                                   advice: "Give a JSON file mapping keystore paths or file names to passwords.")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CertManagerError(.passwordMapInvalid, .invalidInput, reason: "the password map \(file.path) is not a JSON object",
                                   advice: "Write it as {\"keystore.p12\": \"password\", …}.")
        }
        var map: [String: String] = [:]
        let folder = file.deletingLastPathComponent()
        for (key, value) in object {
            guard let password = value as? String, !password.isEmpty else {
                throw CertManagerError(.passwordMapInvalid, .invalidInput, reason: "the password map \(file.path) gives no password (a non-empty string) for \"\(key)\"",
                                       advice: "Give each keystore's password as a string.")
            }
            map[key.contains("/") ? URL(fileURLWithPath: key, relativeTo: folder).standardizedFileURL.path : key] = password
        }
        return map
    }

    /// The password given for this keystore in particular (map or password file), if any.
    public func specificPassword(for keystore: URL) throws -> String? {
        let path = keystore.standardizedFileURL.path
        if let password = map[path] ?? map[keystore.lastPathComponent] { return password }
        let file = Self.passwordFile(for: keystore)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map({ $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }),
              !line.isEmpty else {
            throw CertManagerError(.passwordMapInvalid, .invalidInput, reason: "the password file \(file.path) is unreadable or its first line is empty",
                                   advice: "Write the keystore's password on the first line of \(file.lastPathComponent).")
        }
        return line
    }

    /// The password to open `keystore` with.
    public func password(for keystore: URL) throws -> String {
        if let specific = try specificPassword(for: keystore) { return specific }
        guard let common else {
            throw CertManagerError(.passwordMapInvalid, .invalidInput, reason: "no password is given for \(keystore.path)",
                                   advice: "Put it in \(Self.passwordFile(for: keystore).lastPathComponent) next to the keystore, in the password map, or give a common password.")
        }
        return common
    }
}

extension CertManagerError.Code {
    /// A password map or password file that cannot be used.
    public static let passwordMapInvalid = Self("PASSWORD_MAP_INVALID")
}
