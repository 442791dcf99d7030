import Foundation

/// The folder where flows keep their journals and pending secrets, one subfolder per flow:
/// `flows/<id>/journal.json` (progress, no secrets, mode 0600) and `flows/<id>/secrets.p12`
/// (keys not yet in the final keystore, encrypted with the keystore's password).
public struct WorkDirectory: Sendable, Equatable {
    public let url: URL

    public init(_ url: URL) {
        self.url = url.standardizedFileURL
    }

    /// `$XDG_STATE_HOME/ehcert`, else `~/.local/state/ehcert`.
    public static var `default`: WorkDirectory {
        if let state = ProcessInfo.processInfo.environment["XDG_STATE_HOME"], !state.isEmpty {
            return WorkDirectory(URL(fileURLWithPath: state).appendingPathComponent("ehcert", isDirectory: true))
        }
        return WorkDirectory(FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/state/ehcert", isDirectory: true))
    }

    var flowsFolder: URL { url.appendingPathComponent("flows", isDirectory: true) }

    /// The folder of one flow: its journal and its pending keys.
    public func folder(for id: FlowID) -> URL {
        flowsFolder.appendingPathComponent(id.rawValue, isDirectory: true)
    }

    /// Every flow in the folder, oldest first. Unreadable journals are left out.
    public func flows() -> [FlowSummary] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: flowsFolder.path) else { return [] }
        return names.compactMap(FlowID.init(rawValue:)).sorted().compactMap { id in
            (try? CreateETKJournal.load(from: folder(for: id))).map { FlowSummary($0) }
        }
    }

    /// The flows that have not finished, oldest first.
    public func unfinishedFlows() -> [FlowSummary] {
        flows().filter { $0.finishedAt == nil }
    }
}

/// What a work directory says about one flow, for a list.
public struct FlowSummary: Sendable, Equatable {
    public let id: FlowID
    public let kind: FlowKind
    public let createdAt: Date
    public let updatedAt: Date
    public let finishedAt: Date?
    /// The certificate's owner, e.g. `SSIN=85073003328` or `CBE=0412345614, APP1`.
    public let owner: String
    /// The next cookbook step to do, nil when finished.
    public let nextStep: FlowStep?
    public let keystoreFile: URL

    init(_ journal: CreateETKJournal) {
        id = journal.flowID
        kind = journal.kind
        createdAt = journal.createdAt
        updatedAt = journal.updatedAt
        finishedAt = journal.finishedAt
        owner = journal.ownerDescription
        nextStep = journal.nextStep
        keystoreFile = journal.keystoreFile
    }
}
