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
            (try? CreateETKJournal.load(from: folder(for: id))).map { journal in
                var summary = FlowSummary(journal)
                summary.holdsSecrets = FileManager.default.fileExists(atPath: folder(for: id).appendingPathComponent(FlowSecrets.fileName).path)
                return summary
            }
        }
    }

    /// The flows that have not finished, oldest first.
    public func unfinishedFlows() -> [FlowSummary] {
        flows().filter { $0.finishedAt == nil }
    }

    /// Flows whose folder still holds private keys (secrets.p12): unfinished flows (stopped or
    /// crashed; `resume` needs them) and finished ones whose clean-up did not happen.
    public func flowsHoldingSecrets() -> [FlowSummary] {
        flows().filter(\.holdsSecrets)
    }

    /// Deletes secrets.p12 of the finished flows `matching` (their keys are in their keystore,
    /// or no longer wanted); returns the flows cleaned. Unfinished flows keep theirs.
    @discardableResult
    public func removeSecretsOfFinishedFlows(matching: (FlowSummary) -> Bool) throws -> [FlowID] {
        var removed: [FlowID] = []
        for flow in flows() where flow.finishedAt != nil && flow.holdsSecrets && matching(flow) {
            try DurableFile.remove(folder(for: flow.id).appendingPathComponent(FlowSecrets.fileName))
            removed.append(flow.id)
        }
        return removed
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
    /// The PublicKeyIdentifier of the flow's authentication key (hex), once the CSR exists.
    public let publicKeyIdentifier: String?
    /// The flow's folder still holds secrets.p12 (private keys not yet, or also, in the keystore).
    public var holdsSecrets = false

    init(_ journal: CreateETKJournal) {
        id = journal.flowID
        kind = journal.kind
        createdAt = journal.createdAt
        updatedAt = journal.updatedAt
        finishedAt = journal.finishedAt
        owner = journal.ownerDescription
        nextStep = journal.nextStep
        keystoreFile = journal.keystoreFile
        publicKeyIdentifier = journal.publicKeyIdentifier
    }
}
