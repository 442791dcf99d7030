/// Problems of the sandbox itself (not the eHealth errors it answers with).
public enum SandboxError: Error, Sendable, CustomStringConvertible {
    case world(String)
    case state(String)
    case server(String)

    public var description: String {
        switch self {
        case .world(let reason): "sandbox world: \(reason)"
        case .state(let reason): "sandbox state: \(reason)"
        case .server(let reason): "sandbox server: \(reason)"
        }
    }
}
