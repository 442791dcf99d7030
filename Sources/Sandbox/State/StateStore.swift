import Foundation

/// Keeps `state.json` crash-safe: every change is written to a temporary file, flushed to disk and
/// renamed over the old one, so a kill -9 at any moment leaves either the old or the new state.
/// Changes go through one actor, so concurrent requests never lose each other's writes.
actor StateStore {
    let url: URL
    private(set) var state: SandboxState

    init(url: URL) throws {
        self.url = url
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                state = try decoder.decode(SandboxState.self, from: Data(contentsOf: url))
            } catch {
                throw SandboxError.state("cannot read \(url.path): \(error)")
            }
        } else {
            state = SandboxState()
        }
    }

    /// Applies `change` and saves before returning; if saving fails, the change is undone.
    func update<Result: Sendable>(_ change: (inout SandboxState) throws -> Result) throws -> Result {
        var copy = state
        let result = try change(&copy)
        try Self.write(copy, to: url)
        state = copy
        return result
    }

    static func write(_ state: SandboxState, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(state)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw SandboxError.state("cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw SandboxError.state("cannot replace \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
