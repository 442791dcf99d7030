/// Reads an element's children in order, the way a schema sequence describes them.
///
/// Every method consumes the children it matches; `finish()` rejects whatever is left, so
/// an unknown or misplaced element is an error rather than silently dropped.
public struct XMLChildCursor {
    public let parent: XMLElement
    @usableFromInline var current: XMLElement?

    @inlinable
    public init(_ parent: XMLElement) {
        self.parent = parent
        self.current = parent.firstChild
    }

    /// The next unread child.
    public var next: XMLElement? { current }

    /// True when the next child has this name.
    @inlinable
    public func isAt(_ namespace: String?, _ localName: String) -> Bool {
        current?.hasName(namespace, localName) ?? false
    }

    @inlinable
    mutating func advance() {
        current = current?.nextSibling
    }

    @inlinable
    mutating func decodeCurrent<Value: XMLContentCodable>(_ type: Value.Type) throws -> Value {
        let element = current!
        advance()
        do {
            return try Value(xmlElement: element)
        } catch let error as XMLError {
            throw error.located(at: element)
        }
    }

    @usableFromInline
    func missing(_ namespace: String?, _ localName: String) -> XMLError {
        if let found = current {
            return XMLError(.unexpectedElement, "expected \(XMLName(namespace, localName)) but found \(found.name)",
                            path: found.path, line: found.line)
        }
        return XMLError(.missingElement, "required element \(XMLName(namespace, localName)) is missing in \(parent.localName)",
                        path: parent.path, line: parent.line)
    }

    @inlinable
    public mutating func required<Value: XMLContentCodable>(_ namespace: String?, _ localName: String, as type: Value.Type = Value.self) throws -> Value {
        guard isAt(namespace, localName) else { throw missing(namespace, localName) }
        return try decodeCurrent(type)
    }

    @inlinable
    public mutating func optional<Value: XMLContentCodable>(_ namespace: String?, _ localName: String, as type: Value.Type = Value.self) throws -> Value? {
        guard isAt(namespace, localName) else { return nil }
        return try decodeCurrent(type)
    }

    @inlinable
    public mutating func repeated<Value: XMLContentCodable>(_ namespace: String?, _ localName: String, min: Int, max: Int?, as type: Value.Type = Value.self) throws -> [Value] {
        var values: [Value] = []
        while isAt(namespace, localName), max.map({ values.count < $0 }) ?? true {
            values.append(try decodeCurrent(type))
        }
        guard values.count >= min else {
            if values.isEmpty { throw missing(namespace, localName) }
            throw XMLError(.missingElement, "\(XMLName(namespace, localName)) occurs \(values.count) times, at least \(min) required",
                           path: parent.path, line: parent.line)
        }
        return values
    }

    // MARK: nillable elements: nil stands for xsi:nil="true"

    private mutating func decodeNillable<Value: XMLContentCodable>(_ type: Value.Type) throws -> Value? {
        let element = current!
        if element.isNil {
            guard !element.hasElementChildren, element.text.trimmingXMLWhitespace.isEmpty else {
                throw XMLError(.invalidContent, "an element with xsi:nil=\"true\" must be empty", path: element.path, line: element.line)
            }
            advance()
            return nil
        }
        return try decodeCurrent(type)
    }

    public mutating func requiredNillable<Value: XMLContentCodable>(_ namespace: String?, _ localName: String, as type: Value.Type = Value.self) throws -> Value? {
        guard isAt(namespace, localName) else { throw missing(namespace, localName) }
        return try decodeNillable(type)
    }

    public mutating func optionalNillable<Value: XMLContentCodable>(_ namespace: String?, _ localName: String, as type: Value.Type = Value.self) throws -> Value?? {
        guard isAt(namespace, localName) else { return .none }
        return .some(try decodeNillable(type))
    }

    public mutating func repeatedNillable<Value: XMLContentCodable>(_ namespace: String?, _ localName: String, min: Int, max: Int?, as type: Value.Type = Value.self) throws -> [Value?] {
        var values: [Value?] = []
        while isAt(namespace, localName), max.map({ values.count < $0 }) ?? true {
            values.append(try decodeNillable(type))
        }
        guard values.count >= min else { throw missing(namespace, localName) }
        return values
    }

    // MARK: wildcards (xs:any)

    public func nextMatches(_ wildcard: XMLWildcard) -> Bool {
        guard let element = current else { return false }
        return wildcard.allows(element.namespace)
    }

    public mutating func anyElement(_ wildcard: XMLWildcard) throws -> AnyXMLElement {
        guard nextMatches(wildcard) else {
            if let found = current {
                throw XMLError(.unexpectedElement, "element \(found.name) is not allowed here by the wildcard", path: found.path, line: found.line)
            }
            throw XMLError(.missingElement, "an element is required in \(parent.localName)", path: parent.path, line: parent.line)
        }
        let element = current!
        advance()
        return AnyXMLElement(element)
    }

    public mutating func optionalAnyElement(_ wildcard: XMLWildcard) throws -> AnyXMLElement? {
        nextMatches(wildcard) ? try anyElement(wildcard) : nil
    }

    /// Wildcard elements; `stoppingAt` lists the names that follow in the content model, which a
    /// `##any` wildcard must not swallow.
    public mutating func anyElements(_ wildcard: XMLWildcard, min: Int, max: Int?, stoppingAt followers: [XMLName] = []) throws -> [AnyXMLElement] {
        var values: [AnyXMLElement] = []
        while let element = current, wildcard.allows(element.namespace),
              !followers.contains(where: { element.hasName($0.namespace, $0.localName) }),
              max.map({ values.count < $0 }) ?? true {
            values.append(AnyXMLElement(element))
            advance()
        }
        guard values.count >= min else {
            throw XMLError(.missingElement, "at least \(min) wildcard elements required in \(parent.localName)", path: parent.path, line: parent.line)
        }
        return values
    }

    // MARK: xs:all

    /// Reads the remaining children of an `xs:all` group: each name at most once, in any order.
    public mutating func allGroup(_ names: [XMLName]) throws -> [XMLName: XMLElement] {
        var found: [XMLName: XMLElement] = [:]
        while let element = current {
            guard let name = names.first(where: { element.hasName($0.namespace, $0.localName) }) else { break }
            guard found[name] == nil else {
                throw XMLError(.unexpectedElement, "\(name) occurs more than once in an all group", path: element.path, line: element.line)
            }
            found[name] = element
            advance()
        }
        return found
    }

    /// Fails if any child is left unread (in strict mode); in tolerant mode, reports them.
    public func finish() throws {
        guard let element = current else { return }
        // Elements after the known content: a newer schema version's additions, unless strict.
        guard XMLDecoding.mode == .tolerant else {
            throw XMLError(.unexpectedElement, "unexpected element \(element.name) in \(parent.localName)",
                           path: element.path, line: element.line)
        }
        guard let observer = XMLDecoding.observer else { return }
        var skipped: XMLElement? = element
        while let unknown = skipped {
            observer(XMLUnknownContent(kind: .element, name: unknown.name, xml: unknown.serialized(),
                                       path: parent.path, line: unknown.line))
            skipped = unknown.nextSibling
        }
    }
}

/// Decodes one element found by `allGroup`.
public func decodeAllMember<Value: XMLContentCodable>(_ found: [XMLName: XMLElement], _ name: XMLName, required: Bool = false, in parent: XMLElement, as type: Value.Type = Value.self) throws -> Value? {
    guard let element = found[name] else {
        if required {
            throw XMLError(.missingElement, "required element \(name) is missing in \(parent.localName)", path: parent.path, line: parent.line)
        }
        return nil
    }
    do {
        return try Value(xmlElement: element)
    } catch let error as XMLError {
        throw error.located(at: element)
    }
}

extension XMLChildCursor {
    /// The error for a required choice none of whose alternatives is present.
    public func expectedOneOf(_ names: [XMLName]) -> XMLError {
        let list = names.map(\.description).joined(separator: ", ")
        if let found = next {
            return XMLError(.unexpectedElement, "expected one of \(list) but found \(found.name)", path: found.path, line: found.line)
        }
        return XMLError(.missingElement, "one of \(list) is required in \(parent.localName)", path: parent.path, line: parent.line)
    }

    /// Fails when fewer than `min` occurrences of a repeated choice or group were read.
    public func checkOccurrences(_ count: Int, min: Int, of what: String) throws {
        guard count >= min else {
            throw XMLError(.missingElement, "\(what) occurs \(count) times in \(parent.localName), at least \(min) required",
                           path: parent.path, line: parent.line)
        }
    }
}

/// Decodes a required member found by `allGroup`.
public func decodeRequiredAllMember<Value: XMLContentCodable>(_ found: [XMLName: XMLElement], _ name: XMLName, in parent: XMLElement, as type: Value.Type = Value.self) throws -> Value {
    guard let value = try decodeAllMember(found, name, required: true, in: parent, as: type) else {
        throw XMLError(.missingElement, "required element \(name) is missing in \(parent.localName)", path: parent.path, line: parent.line)
    }
    return value
}

/// A nillable member of an `xs:all` group: `.none` when absent, `.some(nil)` for `xsi:nil="true"`.
public func decodeAllNillableMember<Value: XMLContentCodable>(_ found: [XMLName: XMLElement], _ name: XMLName, in parent: XMLElement, as type: Value.Type = Value.self) throws -> Value?? {
    guard let element = found[name] else { return .none }
    if element.isNil {
        guard !element.hasElementChildren, element.text.trimmingXMLWhitespace.isEmpty else {
            throw XMLError(.invalidContent, "an element with xsi:nil=\"true\" must be empty", path: element.path, line: element.line)
        }
        return .some(nil)
    }
    return .some(try decodeAllMember(found, name, in: parent, as: type))
}

/// A required nillable member of an `xs:all` group: nil stands for `xsi:nil="true"`.
public func decodeRequiredAllNillableMember<Value: XMLContentCodable>(_ found: [XMLName: XMLElement], _ name: XMLName, in parent: XMLElement, as type: Value.Type = Value.self) throws -> Value? {
    guard let value = try decodeAllNillableMember(found, name, in: parent, as: type) else {
        throw XMLError(.missingElement, "required element \(name) is missing in \(parent.localName)", path: parent.path, line: parent.line)
    }
    return value
}
