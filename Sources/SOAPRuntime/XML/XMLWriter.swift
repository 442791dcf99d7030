/// Writes namespace-correct XML text in one pass, deterministically.
///
/// Qualified names always get a prefix and a default namespace is never declared, so
/// unqualified local elements (eHealth's etee core schema uses them) stay in no namespace.
/// A namespace is declared on the first element that needs it and stays in scope below it.
public struct XMLWriter: Sendable {
    public private(set) var output: String = ""
    private var scopes: [[(uri: String, prefix: String)]] = []
    private var pending: PendingStartTag?
    private var openNames: [String] = []
    private var generatedPrefixCount = 0
    /// Set when a value held a character XML 1.0 cannot carry (most C0 controls, U+FFFE, U+FFFF);
    /// `element(_:_:)` throws it, so a message a peer could not parse is never produced.
    public private(set) var invalidCharacterError: XMLError?
    private let preferredPrefixes: [String: String]

    private struct PendingStartTag: Sendable {
        var qualifiedName: String
        var declarations: [(uri: String, prefix: String)]
        var attributes: String
    }

    /// `preferredPrefixes` maps namespace URIs to the prefixes to use for them (e.g. `ds` for XML-DSig).
    public init(preferredPrefixes: [String: String] = [:]) {
        self.preferredPrefixes = preferredPrefixes
        output.reserveCapacity(4096)
    }

    // MARK: elements

    public mutating func startElement(_ name: XMLName) {
        startElement(name, declaring: [])
    }

    /// Starts an element and declares `namespaces` on it (those not yet in scope), so that the
    /// elements below reuse them instead of each declaring its own.
    public mutating func startElement(_ name: XMLName, declaring namespaces: [XMLNamespaceDeclaration]) {
        flushStartTag()
        scopes.append([])
        for declaration in namespaces where declaration.uri != XMLName.xmlNamespace {
            guard prefixInScope(for: declaration.uri) == nil else { continue }
            var prefix = declaration.prefix
            if prefix.isEmpty || isPrefixBound(prefix) {
                repeat {
                    generatedPrefixCount += 1
                    prefix = "ns\(generatedPrefixCount)"
                } while isPrefixBound(prefix)
            }
            scopes[scopes.count - 1].append((declaration.uri, prefix))
        }
        let qualifiedName: String
        if let namespace = name.namespace {
            let prefix = prefixDeclaringIfNeeded(namespace)
            qualifiedName = prefix + ":" + name.localName
        } else {
            qualifiedName = name.localName
        }
        // The declaration made for the element's own name (if any) is in the new scope.
        pending = PendingStartTag(qualifiedName: qualifiedName, declarations: scopes[scopes.count - 1], attributes: "")
        openNames.append(qualifiedName)
    }

    public mutating func endElement() {
        guard let name = openNames.popLast() else {
            preconditionFailure("XMLWriter.endElement without a matching startElement")
        }
        if pending != nil {
            flushStartTag(selfClosing: true)
        } else {
            output += "</" + name + ">"
        }
        scopes.removeLast()
    }

    public mutating func attribute(_ name: XMLName, _ value: String) {
        precondition(pending != nil, "XMLWriter.attribute after element content was written")
        var qualifiedName = name.localName
        if let namespace = name.namespace {
            qualifiedName = prefixDeclaringIfNeeded(namespace) + ":" + name.localName
            pending!.declarations = scopes[scopes.count - 1]
        }
        checkCharacters(value, in: qualifiedName)
        pending!.attributes += " " + qualifiedName + "=\"" + Self.escapeAttribute(value) + "\""
    }

    /// `prefix:local` for a QName-valued attribute of the element being started (an `xsi:type`),
    /// declaring the namespace on that element when it is not in scope yet.
    public mutating func qualifiedNameValue(_ name: XMLName) -> String {
        guard let namespace = name.namespace else { return name.localName }
        precondition(pending != nil, "XMLWriter.qualifiedNameValue after element content was written")
        let prefix = prefixDeclaringIfNeeded(namespace)
        pending!.declarations = scopes[scopes.count - 1]
        return prefix + ":" + name.localName
    }

    public mutating func text(_ value: String) {
        flushStartTag()
        checkCharacters(value, in: openNames.last ?? "text")
        output += Self.escapeText(value)
    }

    private mutating func checkCharacters(_ value: String, in place: String) {
        guard invalidCharacterError == nil, let offset = Self.invalidCharacterOffset(value) else { return }
        invalidCharacterError = XMLError(.invalidValue, "the value of \(place) contains a character XML 1.0 does not allow (at UTF-8 offset \(offset))")
    }

    /// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
    static func invalidCharacterOffset(_ value: String) -> Int? {
        var value = value
        return value.withUTF8 { bytes -> Int? in
            var previous: (UInt8, UInt8) = (0, 0)
            for offset in 0..<bytes.count {
                let byte = bytes[offset]
                if byte < 0x20, byte != 9, byte != 10, byte != 13 { return offset }
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                if byte >= 0xBE, previous == (0xEF, 0xBF), byte == 0xBE || byte == 0xBF { return offset - 2 }
                previous = (previous.1, byte)
            }
            return nil
        }
    }

    /// Inserts a standalone, namespace-complete fragment as-is (an xs:any element).
    public mutating func raw(_ fragment: String) {
        flushStartTag()
        output += fragment
    }

    // MARK: namespaces

    private mutating func prefixDeclaringIfNeeded(_ namespace: String) -> String {
        if namespace == XMLName.xmlNamespace { return "xml" }
        if let prefix = prefixInScope(for: namespace) { return prefix }
        var prefix = preferredPrefixes[namespace] ?? ""
        if prefix.isEmpty || isPrefixBound(prefix) {
            repeat {
                generatedPrefixCount += 1
                prefix = "ns\(generatedPrefixCount)"
            } while isPrefixBound(prefix)
        }
        scopes[scopes.count - 1].append((namespace, prefix))
        return prefix
    }

    private func prefixInScope(for namespace: String) -> String? {
        for scope in scopes.reversed() {
            for binding in scope where binding.uri == namespace {
                return binding.prefix
            }
        }
        return nil
    }

    private func isPrefixBound(_ prefix: String) -> Bool {
        scopes.contains { scope in scope.contains { $0.prefix == prefix } }
    }

    private mutating func flushStartTag(selfClosing: Bool = false) {
        guard let tag = pending else { return }
        pending = nil
        output += "<" + tag.qualifiedName
        for declaration in tag.declarations {
            output += " xmlns:" + declaration.prefix + "=\"" + Self.escapeAttribute(declaration.uri) + "\""
        }
        output += tag.attributes
        output += selfClosing ? "/>" : ">"
    }

    // MARK: escaping

    static func escapeText(_ value: String) -> String {
        escape(value) { byte in
            switch byte {
            case UInt8(ascii: "&"): return "&amp;"
            case UInt8(ascii: "<"): return "&lt;"
            case UInt8(ascii: ">"): return "&gt;"
            case 13: return "&#13;"
            default: return nil
            }
        }
    }

    static func escapeAttribute(_ value: String) -> String {
        escape(value) { byte in
            switch byte {
            case UInt8(ascii: "&"): return "&amp;"
            case UInt8(ascii: "<"): return "&lt;"
            case UInt8(ascii: "\""): return "&quot;"
            case 9: return "&#9;"
            case 10: return "&#10;"
            case 13: return "&#13;"
            default: return nil
            }
        }
    }

    /// Copies runs of bytes that need no escaping in bulk; every special character is ASCII, so
    /// working on UTF-8 bytes never splits a character.
    @inline(__always)
    private static func escape(_ value: String, _ replacement: (UInt8) -> StaticString?) -> String {
        var value = value
        let escaped: String? = value.withUTF8 { bytes in
            guard var index = bytes.firstIndex(where: { replacement($0) != nil }) else { return nil }
            var result = [UInt8]()
            result.reserveCapacity(bytes.count + bytes.count / 8)
            var runStart = 0
            while index < bytes.count {
                if let entity = replacement(bytes[index]) {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    result.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                    runStart = index + 1
                }
                index += 1
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            return String(decoding: result, as: UTF8.self)
        }
        return escaped ?? value
    }
}

extension XMLWriter {
    /// Writes `<name>content</name>` for a value.
    public mutating func element<Value: XMLContentCodable>(_ name: XMLName, _ value: Value) throws {
        // A message type declares every namespace it uses once, on its own element.
        if let messageType = Value.self as? any XMLRootElement.Type {
            startElement(name, declaring: messageType.xmlNamespaces)
        } else {
            startElement(name)
        }
        try value.writeContent(to: &self)
        endElement()
        if let invalidCharacterError { throw invalidCharacterError }
    }

    public mutating func element<Value: XMLContentCodable>(_ name: XMLName, _ value: Value?) throws {
        if let value { try element(name, value) }
    }

    public mutating func elements<Value: XMLContentCodable>(_ name: XMLName, _ values: [Value]) throws {
        for value in values { try element(name, value) }
    }

    /// A nillable element: `nil` is written as `xsi:nil="true"`.
    public mutating func nillableElement<Value: XMLContentCodable>(_ name: XMLName, _ value: Value?) throws {
        if let value {
            try element(name, value)
        } else {
            startElement(name)
            attribute(XMLName(XMLName.xsiNamespace, "nil"), "true")
            endElement()
        }
    }

    public mutating func nillableElement<Value: XMLContentCodable>(_ name: XMLName, _ value: Value??) throws {
        if let value { try nillableElement(name, value) }
    }

    public mutating func nillableElements<Value: XMLContentCodable>(_ name: XMLName, _ values: [Value?]) throws {
        for value in values { try nillableElement(name, value) }
    }

    public mutating func attribute<Value: XMLSimpleValue>(_ name: XMLName, _ value: Value?) {
        if let value { attribute(name, value.xmlText) }
    }

    /// A whole document: the root element with its content.
    public static func document<Value: XMLContentCodable>(
        root name: XMLName, _ value: Value, preferredPrefixes: [String: String] = [:]
    ) throws -> String {
        var writer = XMLWriter(preferredPrefixes: preferredPrefixes)
        try writer.element(name, value)
        return writer.output
    }
}
