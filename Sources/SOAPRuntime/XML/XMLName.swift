/// A qualified XML name: namespace URI (nil for unqualified names) and local name.
public struct XMLName: Hashable, Sendable, CustomStringConvertible {
    public let namespace: String?
    public let localName: String

    public init(_ namespace: String?, _ localName: String) {
        self.namespace = namespace
        self.localName = localName
    }

    public var description: String {
        namespace.map { "{\($0)}\(localName)" } ?? localName
    }

    public static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    public static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"
}
