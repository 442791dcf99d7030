/// The namespace constraint of an `xs:any`.
public enum XMLWildcard: Sendable, Equatable {
    /// `##any`
    case any
    /// `##other`: any namespace except the schema's target namespace and no namespace.
    case other(targetNamespace: String?)
    /// An explicit list; nil stands for `##local`.
    case list([String?])

    public func allows(_ namespace: String?) -> Bool {
        switch self {
        case .any: return true
        case .other(let target): return namespace != nil && namespace != target
        case .list(let namespaces): return namespaces.contains(namespace)
        }
    }
}
