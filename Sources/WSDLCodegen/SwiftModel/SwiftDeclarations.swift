import SOAPRuntime

/// The Swift to emit, as structured declarations: what the renderer turns into text.

struct SwiftFile {
    /// The XSD or WSDL the declarations come from.
    let documentPath: String
    /// `<document file name>.swift`
    let fileName: String
    var declarations: [SwiftDeclaration]
}

enum SwiftDeclaration {
    case structure(SwiftStruct)
    case enumeration(SwiftEnumeration)
    case restricted(SwiftRestrictedValue)
    case list(SwiftListValue)
    case union(SwiftUnionValue)
    case alias(SwiftAlias)
    case choice(SwiftChoice)
    case baseProtocol(SwiftBaseProtocol)
    case polymorphic(SwiftPolymorphic)
    case client(SwiftClient)

    var name: String {
        switch self {
        case .structure(let value): value.name
        case .enumeration(let value): value.name
        case .restricted(let value): value.name
        case .list(let value): value.name
        case .union(let value): value.name
        case .alias(let value): value.name
        case .choice(let value): value.name
        case .baseProtocol(let value): value.name
        case .polymorphic(let value): value.name
        case .client(let value): value.name
        }
    }
}

struct SwiftProperty {
    let name: String
    /// The full Swift type, with `?` or `[...]`.
    let type: String
    let documentation: String?
    /// Default in the memberwise initialiser: `nil` for optionals, `[]` for arrays.
    let defaultValue: String?
    /// Stored in a box because the type contains itself (StatusCode inside StatusCode).
    var isIndirect = false
}

struct SwiftAttribute {
    let property: SwiftProperty
    let name: XMLName
    /// The simple type's Swift name, without `?`.
    let valueType: String
    let required: Bool
    /// A `default` or `fixed` literal the generator checked against the type, with the names of
    /// the static holding its value and (for an optional attribute) of the `effective...` accessor.
    var valueConstraint: (constraint: ValueConstraint, staticName: String, effectiveName: String?)? = nil
}

/// The rendering of an XML wildcard constraint as a Swift expression.
struct SwiftWildcard {
    let expression: String
}

indirect enum ContentStep {
    case element(property: String, name: XMLName, valueType: String, occurs: Occurs, nillable: Bool, isAnyType: Bool)
    case wildcard(property: String, wildcard: SwiftWildcard, occurs: Occurs, followers: [XMLName])
    /// A choice enum that reads itself from the cursor.
    case choice(property: String, enumType: String, occurs: Occurs, expected: [XMLName])
    /// A nested sequence struct that repeats or is optional as a whole.
    case group(property: String, structType: String, occurs: Occurs, start: StartSet)
    /// An optional sequence flattened into optional properties: all of its required members or none.
    case optionalGroup(members: [ContentStep], requiredMembers: [String])
    case all(members: [(property: String, name: XMLName, valueType: String, required: Bool, nillable: Bool)])

    var properties: [String] {
        switch self {
        case .element(let property, _, _, _, _, _), .wildcard(let property, _, _, _),
             .choice(let property, _, _, _), .group(let property, _, _, _):
            return [property]
        case .optionalGroup(let members, _): return members.flatMap(\.properties)
        case .all(let members): return members.map(\.property)
        }
    }
}

/// The elements that can begin a particle, used to dispatch choices and repeat groups.
struct StartSet {
    var names: [XMLName] = []
    var wildcards: [SwiftWildcard] = []
}

struct SwiftStruct {
    let name: String
    let documentation: String?
    var conformances: [String]
    /// Set when exactly one global element has this type.
    var rootElement: XMLName?
    let attributes: [SwiftAttribute]
    /// All stored properties in order (attributes, text value or mixed text, content).
    var properties: [SwiftProperty]
    let body: StructBody
    /// A group struct is read from its parent's cursor, not from an element of its own.
    let isGroup: Bool
    let mixedTextProperty: String?
    /// False when an `xs:anyAttribute` allows other attributes; otherwise decoding reports
    /// attributes it does not know to `XMLDecoding.observer`.
    var reportsUnknownAttributes = false
    /// For a root element's type: every namespace its content uses, with the prefix to declare.
    var namespaces: [(uri: String, prefix: String)] = []
}

enum StructBody {
    case content([ContentStep])
    /// simpleContent: the element's text as `property` of `valueType`.
    case simpleValue(property: String, valueType: String)
}

struct SwiftEnumeration {
    let name: String
    let documentation: String?
    let cases: [(name: String, value: String)]
}

struct SwiftRestrictedValue {
    let name: String
    let documentation: String?
    let valueType: String
    /// A restricted base type whose own facets apply first.
    let restrictedBase: String?
    let facets: Facets
    let numericBase: Bool
    /// For a `String` value: `replace` or `collapse` applied to the text before the facets are checked.
    var whiteSpace: WhiteSpaceFacet? = nil
}

struct SwiftListValue {
    let name: String
    let documentation: String?
    let itemType: String
}

struct SwiftUnionValue {
    let name: String
    let documentation: String?
    let memberTypes: [String]
}

struct SwiftAlias {
    let name: String
    let documentation: String?
    let target: String
}

struct SwiftChoice {
    let name: String
    let documentation: String?
    let cases: [ChoiceCase]
    /// Set when an alternative contains the enum itself.
    var isIndirect = false
}

struct ChoiceCase {
    enum Kind {
        case element(name: XMLName, nillable: Bool, isAnyType: Bool)
        case group(structType: String)
        case wildcard(SwiftWildcard)
    }

    let name: String
    let payloadType: String
    let kind: Kind
    let start: StartSet
}

struct SwiftBaseProtocol {
    let name: String
    let baseTypeName: String
    /// The protocol of this type's own base, if that is a base type too.
    let inherits: String?
    let documentation: String?
    let properties: [SwiftProperty]
}

/// A field whose schema type has derived types (or is abstract): one case per concrete type the
/// schemas declare, chosen on decoding by `xsi:type`, plus `unknown` for a type they do not.
struct SwiftPolymorphic {
    struct Case {
        let name: String
        let swiftType: String
        let xmlType: XMLName
    }

    let name: String
    let baseTypeName: String
    let baseXMLType: XMLName
    /// Set when the base is abstract: an element without `xsi:type` is then invalid.
    let baseIsAbstract: Bool
    let cases: [Case]
    /// Set when a case's type contains the enum itself.
    var isIndirect = false
}

struct SwiftClient {
    let name: String
    let portTypeName: String
    let documentation: String?
    let address: String?
    let operations: [SwiftOperation]
}

struct SwiftOperation {
    let name: String
    let memberName: String
    let documentation: String?
    let soapAction: String
    let inputElement: XMLName
    let inputType: String
    let outputElement: XMLName
    let outputType: String
}

/// Every operation of every WSDL port type given, for the module-wide `ServiceOperation` enum.
struct SwiftOperationsTable {
    struct Service {
        let caseName: String
        let portTypeName: String
        let clientName: String
        let address: String?
    }

    struct Entry {
        let caseName: String
        /// `Service.caseName` of the port type it belongs to.
        let service: String
        let operation: SwiftOperation
    }

    var services: [Service] = []
    var entries: [Entry] = []
}
