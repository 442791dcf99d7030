import Foundation
import Security

/// Keeps `state.json` crash-safe (Security's AtomicFile: temporary file, fsync, rename), so a
/// kill -9 at any moment leaves either the old or the new state.
/// Changes go through one actor, so concurrent requests never lose each other's writes.
actor StateStore {
    let url: URL
    private(set) var state: SandboxState
    /// Brings the state up to date with time before it is read or changed (for example, issues the
    /// certificates whose delivery time has passed); returns whether it changed anything.
    private let catchUp: @Sendable (inout SandboxState) throws -> Bool

    /// The modification date of the file as last read or written: another process (`ehcert-sandbox
    /// approve`) may change it while a server runs, and the server must then read it again.
    private var knownModification: Date?

    init(url: URL, catchUp: @escaping @Sendable (inout SandboxState) throws -> Bool = { _ in false }) throws {
        self.url = url
        self.catchUp = catchUp
        (state, knownModification) = try Self.read(url)
    }

    private static func modificationDate(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    private static func read(_ url: URL) throws -> (SandboxState, Date?) {
        guard FileManager.default.fileExists(atPath: url.path) else { return (SandboxState(), nil) }
        do {
            let modification = modificationDate(url)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return (try decoder.decode(SandboxState.self, from: Data(contentsOf: url)), modification)
        } catch {
            throw SandboxError.state("cannot read \(url.path): \(error)")
        }
    }

    private func refreshIfChangedElsewhere() throws {
        let modification = Self.modificationDate(url)
        if modification != knownModification {
            (state, knownModification) = try Self.read(url)
        }
    }

    /// Applies `change` and saves before returning; if saving fails, the change is undone.
    func update<Result: Sendable>(_ change: (inout SandboxState) throws -> Result) throws -> Result {
        try refreshIfChangedElsewhere()
        var copy = state
        _ = try catchUp(&copy)
        let result = try change(&copy)
        try Self.write(copy, to: url)
        state = copy
        knownModification = Self.modificationDate(url)
        return result
    }

    /// The state as of now (caught up with time, and saved if that changed it).
    func current() throws -> SandboxState {
        try refreshIfChangedElsewhere()
        var copy = state
        if try catchUp(&copy) {
            try Self.write(copy, to: url)
            state = copy
            knownModification = Self.modificationDate(url)
        }
        return state
    }

    static func write(_ state: SandboxState, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(state)
        do {
            // Temporary file, fsync, rename, folder fsync: a kill -9 or power cut leaves the old or the new state.
            try AtomicFile.write(data, to: url, overwrite: true)
        } catch {
            throw SandboxError.state("cannot save \(url.path): \(error)")
        }
    }
}
