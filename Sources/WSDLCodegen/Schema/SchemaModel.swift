/// The schema components the generator understands, resolved from XSD documents.
/// Names are fully qualified; every component remembers where it came from.

/// Where a component is declared: the document (one output file per document) and the position.
struct Origin {
    let documentPath: String
    let location: SourceLocation
}

struct Occurs: Equatable {
    var min: Int
    /// nil means unbounded.
    var max: Int?

    static let one = Occurs(min: 1, max: 1)
    var isOptional: Bool { min == 0 && max == 1 }
    var isSingle: Bool { max == 1 }
    var isRepeated: Bool { max != 1 }
}

/// A reference to a type: a named one, or an anonymous one declared in place.
indirect enum TypeReference {
    case named(QualifiedName, SourceLocation)
    case anonymousComplex(ComplexTypeDefinition)
    case anonymousSimple(SimpleTypeDefinition)
}

struct ElementDeclaration {
    let name: QualifiedName
    let type: TypeReference
    let nillable: Bool
    let documentation: String?
    let origin: Origin
    /// Set when this is a `ref` to a global element: its anonymous type belongs to that element.
    var reference: QualifiedName? = nil
    /// Set when this particle refers to the global element (`ref`), so a substitution group applies.
    var refersToGlobal = false
}

struct AttributeUse {
    let name: QualifiedName
    let type: TypeReference
    let required: Bool
    let documentation: String?
    let location: SourceLocation
    /// `default` or `fixed` on the use or, failing that, on the global declaration it refers to.
    var valueConstraint: ValueConstraint? = nil
}

/// An attribute's `default="..."` (the value when absent) or `fixed="..."` (the only value allowed).
enum ValueConstraint: Equatable {
    case defaultValue(String)
    case fixed(String)

    var lexicalValue: String {
        switch self {
        case .defaultValue(let value), .fixed(let value): value
        }
    }
}

enum Wildcard: Equatable {
    case any
    case other
    case local
    case list([String?])
}

struct WildcardParticle {
    let constraint: Wildcard
    /// The target namespace of the schema that declares it (for `##other`).
    let targetNamespace: String?
}

indirect enum Term {
    case element(ElementDeclaration)
    case sequence([Particle])
    case choice([Particle])
    case all([Particle])
    case wildcard(WildcardParticle)
}

struct Particle {
    var occurs: Occurs
    var term: Term
    let location: SourceLocation
}

enum ComplexContent {
    /// Elements (possibly none).
    case particles([Particle])
    /// Text of a simple type, with attributes.
    case simple(TypeReference)
}

struct ComplexTypeDefinition {
    let name: QualifiedName?
    let documentation: String?
    /// complexContent/extension or simpleContent/extension base, if any.
    let base: QualifiedName?
    let baseIsComplexContent: Bool
    /// Only the type's own contribution; the base's comes first when flattened.
    let content: ComplexContent
    let attributes: [AttributeUse]
    let mixed: Bool
    let origin: Origin
    /// `abstract="true"`: never the type of an element on its own, only through `xsi:type`.
    var isAbstract = false
    /// complexContent or simpleContent restriction: the content is restated (not appended to the
    /// base's), the base's attributes are inherited unless redeclared or prohibited.
    var isRestriction = false
    /// Attributes a restriction removes with `use="prohibited"`.
    var prohibitedAttributes: [QualifiedName] = []
    /// `xs:anyAttribute` here or in a referenced attribute group: other attributes are expected.
    var acceptsAnyAttribute = false
}

struct Facets {
    var enumeration: [String] = []
    var patterns: [String] = []
    var length: Int?
    var minLength: Int?
    var maxLength: Int?
    var minInclusive: String?
    var maxInclusive: String?
    var minExclusive: String?
    var maxExclusive: String?
    var totalDigits: Int?
    var fractionDigits: Int?
    /// `preserve`, `replace` or `collapse`; not counted by `isEmpty` (it matters for string values only).
    var whiteSpace: WhiteSpaceFacet?

    var isEmpty: Bool {
        enumeration.isEmpty && patterns.isEmpty && length == nil && minLength == nil && maxLength == nil
            && minInclusive == nil && maxInclusive == nil && minExclusive == nil && maxExclusive == nil
            && totalDigits == nil && fractionDigits == nil
    }
}

/// How a string value's whitespace is normalised before its other facets are checked (XML Schema 1.0 §4.3.6).
enum WhiteSpaceFacet: String {
    case preserve, replace, collapse
}

enum SimpleVariety {
    case restriction(base: TypeReference, facets: Facets)
    case list(item: TypeReference)
    case union(members: [TypeReference])
}

struct SimpleTypeDefinition {
    let name: QualifiedName?
    let documentation: String?
    let variety: SimpleVariety
    let origin: Origin
}

/// Every component of every loaded schema document.
struct SchemaSet {
    var elements: [QualifiedName: ElementDeclaration] = [:]
    var complexTypes: [QualifiedName: ComplexTypeDefinition] = [:]
    var simpleTypes: [QualifiedName: SimpleTypeDefinition] = [:]
    /// Documents in load order, for deterministic output.
    var documentPaths: [String] = []
    /// Global declarations per document, in document order.
    var declarationOrder: [String: [GlobalComponent]] = [:]
    /// Namespace → the prefix the input documents themselves give it (first one seen, unique).
    var preferredPrefixes: [String: String] = [:]
    /// Substitution group head → its direct members, in declaration order.
    var substitutionMembers: [QualifiedName: [QualifiedName]] = [:]
    /// Global elements declared `abstract="true"`.
    var abstractElements: Set<QualifiedName> = []
}

enum GlobalComponent {
    case element(QualifiedName)
    case complexType(QualifiedName)
    case simpleType(QualifiedName)
}
