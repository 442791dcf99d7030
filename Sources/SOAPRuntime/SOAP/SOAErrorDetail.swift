/// The eHealth SOA platform's error, carried in a SOAP fault's `detail`: a `BusinessError` or
/// `SystemError` in `urn:be:fgov:ehealth:errors:soa:v1` (ehealth-errors-schema-soa-1_1.xsd).
///
/// Per the schemas, `Origin`, `Code`, `Message`, `Retry` and `Contact` come from the core
/// schema, which is `elementFormDefault="unqualified"`, so they are in no namespace, while
/// `Environment` comes from the soa schema and is qualified. That is how this type writes
/// them; reading accepts either form for each child, since peers get this wrong.
public struct SOAErrorDetail: Sendable, Equatable, CustomStringConvertible {
    public static let namespace = "urn:be:fgov:ehealth:errors:soa:v1"

    public enum Kind: String, Sendable, Equatable {
        case business = "BusinessError"
        case system = "SystemError"
    }

    /// A `Message` in one language (`xml:lang`, absent when the platform did not say).
    public struct Message: Sendable, Equatable {
        public var language: String?
        public var text: String

        public init(language: String?, text: String) {
            self.language = language
            self.text = text
        }
    }

    public var kind: Kind
    /// The platform's ticket for this error (attribute `Id`); quote it when contacting support.
    public var id: String?
    /// Who caused the error, e.g. `Consumer` or `Provider`.
    public var origin: String
    /// e.g. `SOA-03001`.
    public var code: String
    public var messages: [Message]
    /// Whether sending the same request again may succeed.
    public var retry: Bool?
    public var contact: String?
    /// e.g. `Production`, `Acceptation`.
    public var environment: String

    public init(kind: Kind, id: String? = nil, origin: String, code: String, messages: [Message],
                retry: Bool? = nil, contact: String? = nil, environment: String) {
        self.kind = kind
        self.id = id
        self.origin = origin
        self.code = code
        self.messages = messages
        self.retry = retry
        self.contact = contact
        self.environment = environment
    }

    /// Reads a `BusinessError` or `SystemError` element.
    public init(element: XMLElement) throws {
        let kind: Kind
        if element.hasName(Self.namespace, Kind.business.rawValue) {
            kind = .business
        } else if element.hasName(Self.namespace, Kind.system.rawValue) {
            kind = .system
        } else {
            throw XMLError(.unexpectedElement, "\(element.name) is not an eHealth BusinessError or SystemError",
                           path: element.path, line: element.line)
        }
        var origin: String?
        var code: String?
        var messages: [Message] = []
        var retry: Bool?
        var contact: String?
        var environment: String?
        var child = element.firstChild
        while let current = child {
            child = current.nextSibling
            guard current.namespace == nil || current.namespace == Self.namespace else { continue }
            switch current.localName {
            case "Origin": origin = current.text.trimmingXMLWhitespace
            case "Code": code = current.text.trimmingXMLWhitespace
            case "Message":
                messages.append(Message(language: current.attribute("lang", namespace: XMLName.xmlNamespace),
                                        text: current.text.trimmingXMLWhitespace))
            case "Retry": retry = try current.decode(as: Bool.self)
            case "Contact": contact = current.text.trimmingXMLWhitespace
            case "Environment": environment = current.text.trimmingXMLWhitespace
            default: continue
            }
        }
        func missing(_ name: String) -> XMLError {
            XMLError(.missingElement, "\(name) is required in \(kind.rawValue)", path: element.path, line: element.line)
        }
        guard let origin else { throw missing("Origin") }
        guard let code else { throw missing("Code") }
        guard !messages.isEmpty else { throw missing("Message") }
        guard let environment else { throw missing("Environment") }
        self.kind = kind
        self.id = element.attribute("Id")
        self.origin = origin
        self.code = code
        self.messages = messages
        self.retry = retry
        self.contact = contact
        self.environment = environment
    }

    /// Writes the element as the schema lays it out.
    public func write(to writer: inout XMLWriter) {
        writer.startElement(XMLName(Self.namespace, kind.rawValue))
        if let id { writer.attribute(XMLName(nil, "Id"), id) }
        Self.simpleElement(XMLName(nil, "Origin"), origin, to: &writer)
        Self.simpleElement(XMLName(nil, "Code"), code, to: &writer)
        for message in messages {
            writer.startElement(XMLName(nil, "Message"))
            if let language = message.language {
                writer.attribute(XMLName(XMLName.xmlNamespace, "lang"), language)
            }
            writer.text(message.text)
            writer.endElement()
        }
        if let retry { Self.simpleElement(XMLName(nil, "Retry"), retry.xmlText, to: &writer) }
        if let contact { Self.simpleElement(XMLName(nil, "Contact"), contact, to: &writer) }
        Self.simpleElement(XMLName(Self.namespace, "Environment"), environment, to: &writer)
        writer.endElement()
    }

    /// The element as a standalone fragment, to put in a fault's detail.
    public func detailElement() throws -> AnyXMLElement {
        var writer = XMLWriter(preferredPrefixes: [Self.namespace: "soa"])
        write(to: &writer)
        return try AnyXMLElement(xml: writer.output)
    }

    private static func simpleElement(_ name: XMLName, _ value: String, to writer: inout XMLWriter) {
        writer.startElement(name)
        writer.text(value)
        writer.endElement()
    }

    /// The message to show a person: English first, then French, then Dutch, then any.
    public var preferredMessage: Message? {
        for language in ["en", "fr", "nl"] {
            if let message = messages.first(where: { Self.language($0.language, is: language) }) {
                return message
            }
        }
        return messages.first(where: { $0.language == nil }) ?? messages.first
    }

    private static func language(_ tag: String?, is language: String) -> Bool {
        guard let tag = tag?.lowercased() else { return false }
        return tag == language || tag.hasPrefix(language + "-")
    }

    /// e.g. `SOA-03001: Malformed message (business error from Consumer, Production; ticket 6c2f…)`.
    public var description: String {
        var text = code
        if let message = preferredMessage { text += ": " + message.text }
        var context = ["\(kind == .business ? "business" : "system") error from \(origin)"]
        if !environment.isEmpty { context.append(environment) }
        var details = [context.joined(separator: ", ")]
        if let id { details.append("ticket \(id)") }
        if retry == true { details.append("retrying may succeed") }
        if let contact { details.append("contact \(contact)") }
        return text + " (" + details.joined(separator: "; ") + ")"
    }
}
