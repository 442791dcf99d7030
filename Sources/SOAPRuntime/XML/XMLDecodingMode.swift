/// How decoders treat content the bindings do not know.
///
/// The platform evolves its schemas compatibly: new optional elements at the end of a sequence,
/// new attributes, new enumeration values. `tolerant` (the default) keeps decoding such messages,
/// like the Java connector does, and reports what it skipped or kept to `XMLDecoding.observer`;
/// `strict` rejects unknown elements and enumeration values, which is what conformance tests and
/// the sandbox's request checks want. Unknown attributes are accepted in both modes (an XSD
/// validation catches them where that matters).
public enum XMLDecodingMode: Sendable, Equatable {
    case strict
    case tolerant
}

/// Something a tolerant decoder skipped.
public struct XMLUnknownContent: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// An element after the known content of its parent: skipped.
        case element
        /// An attribute that the element's complex type does not declare and no `xs:anyAttribute`
        /// allows: ignored.
        case attribute
        /// A value that an enumeration does not list: kept, as the enumeration's `unrecognized` case.
        case enumerationValue
    }

    public let kind: Kind
    /// The element skipped, the attribute ignored, or the element or attribute that carries the value.
    public let name: XMLName
    /// The skipped element as XML, the ignored attribute's value, or the enumeration value as written,
    /// so nothing is lost for whoever observes it.
    public let xml: String
    /// `Parent/Child` of the element it was found in.
    public let path: String
    public let line: Int

    public init(kind: Kind, name: XMLName, xml: String, path: String, line: Int) {
        self.kind = kind
        self.name = name
        self.xml = xml
        self.path = path
        self.line = line
    }

    public var description: String {
        switch kind {
        case .element: "unknown element \(name) skipped at \(path) (line \(line))"
        case .attribute: "unknown attribute \(name)=\"\(xml)\" ignored at \(path) (line \(line))"
        case .enumerationValue: "unlisted value \"\(xml)\" of \(name) kept at \(path) (line \(line))"
        }
    }
}

public enum XMLDecoding {
    /// The mode of decoders running in this task (and its child tasks).
    @TaskLocal public static var mode: XMLDecodingMode = .tolerant

    /// Told about everything a tolerant decoder skips, in this task.
    @TaskLocal public static var observer: (@Sendable (XMLUnknownContent) -> Void)?

    /// Runs `body` with strict decoding: unknown content is an error, as before forward compatibility.
    public static func strict<Result>(_ body: () throws -> Result) rethrows -> Result {
        try $mode.withValue(.strict, operation: body)
    }

    /// The same for an asynchronous `body` (a signature check that validates its signer's chain).
    public static func strict<Result>(isolation: isolated (any Actor)? = #isolation,
                                      _ body: () async throws -> Result) async rethrows -> Result {
        try await $mode.withValue(.strict, operation: body, isolation: isolation)
    }

    /// Runs `body` with tolerant decoding, reporting skipped content to `observer`.
    public static func tolerant<Result>(observing observer: @escaping @Sendable (XMLUnknownContent) -> Void,
                                        _ body: () throws -> Result) rethrows -> Result {
        try $mode.withValue(.tolerant) {
            try $observer.withValue(observer, operation: body)
        }
    }
}
