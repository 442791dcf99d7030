/// How decoders treat content the bindings do not know.
///
/// The platform evolves its schemas compatibly: new optional elements at the end of a sequence,
/// new attributes. `tolerant` (the default) keeps decoding such messages, like the Java connector
/// does, and reports what it skipped to `XMLDecoding.observer`; `strict` rejects them, which is what
/// conformance tests and the sandbox's request checks want.
public enum XMLDecodingMode: Sendable, Equatable {
    case strict
    case tolerant
}

/// Something a tolerant decoder skipped.
public struct XMLUnknownContent: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// An element after the known content of its parent.
        case element
    }

    public let kind: Kind
    public let name: XMLName
    /// The skipped element as XML, so nothing is lost for whoever observes it.
    public let xml: String
    /// `Parent/Child` of the element it was found in.
    public let path: String
    public let line: Int

    public var description: String { "unknown \(name) skipped at \(path) (line \(line))" }
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
