import SOAPRuntime

/// Maps schema components and WSDL port types to Swift declarations.
///
/// Names are handed out in document order so that the output is the same on every run; anonymous
/// types, choice enums and group structs are named after their owner and remembered by source
/// position, so a type reached twice (through a base type or an element ref) is declared once.
struct SwiftModelBuilder {
    private let schema: SchemaSet
    private var typeNames = NameAllocator(reserved: SwiftNaming.reservedTypeNames)
    private var namedTypes: [QualifiedName: String] = [:]
    private var positionalNames: [String: String] = [:]
    private var emitted: Set<String> = []
    private var declarations: [String: [SwiftDeclaration]] = [:]
    private var baseTypes: Set<QualifiedName> = []
    private var rootElementOfType: [QualifiedName: QualifiedName] = [:]
    private var restrictedValueTypes: [String: String] = [:]
    /// Complex type → the named types derived from it directly, in document order.
    private var derivedTypes: [QualifiedName: [QualifiedName]] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    /// Filled as clients are built, in WSDL order.
    private(set) var operationsTable = SwiftOperationsTable()
    private var serviceCaseNames = NameAllocator(reserved: ["init", "allCases", "defaultEndpoint", "defaultPath", "operations", "portTypeName"])
    private var operationCaseNames = NameAllocator(reserved: ["init", "allCases", "name", "service", "soapAction", "inputElement",
                                                              "outputElement", "inputType", "outputType", "description", "Service"])

    init(schema: SchemaSet) {
        self.schema = schema
        assignNames()
    }

    // MARK: naming

    private mutating func assignNames() {
        var componentsInOrder: [GlobalComponent] = []
        for path in schema.documentPaths { componentsInOrder += schema.declarationOrder[path] ?? [] }
        let duplicated = Dictionary(grouping: componentsInOrder.compactMap { component -> String? in
            switch component {
            case .complexType(let name), .simpleType(let name): return SwiftNaming.typeName(name.localName)
            case .element: return nil
            }
        }, by: { $0 }).filter { $0.value.count > 1 }.keys
        for component in componentsInOrder {
            switch component {
            case .complexType(let name), .simpleType(let name):
                var preferred = SwiftNaming.typeName(name.localName)
                if duplicated.contains(preferred) { preferred = Self.namespaceWord(name.namespace) + preferred }
                namedTypes[name] = typeNames.claim(preferred)
            case .element: continue
            }
        }
        var typeUse: [QualifiedName: [QualifiedName]] = [:]
        for component in componentsInOrder {
            guard case .element(let name) = component, let element = schema.elements[name] else { continue }
            switch element.type {
            case .anonymousComplex(let definition):
                positionalNames[definition.origin.location.description] = typeNames.claim(SwiftNaming.typeName(name.localName))
            case .anonymousSimple(let definition):
                positionalNames[definition.origin.location.description] = typeNames.claim(SwiftNaming.typeName(name.localName))
            case .named(let typeName, _):
                typeUse[typeName, default: []].append(name)
            }
        }
        for (typeName, elements) in typeUse where elements.count == 1 { rootElementOfType[typeName] = elements[0] }
        for definition in schema.complexTypes.values where definition.baseIsComplexContent && !definition.isRestriction {
            if let base = definition.base, schema.complexTypes[base] != nil { baseTypes.insert(base) }
        }
        for component in componentsInOrder {
            guard case .complexType(let name) = component, let base = schema.complexTypes[name]?.base,
                  schema.complexTypes[base] != nil, base != name else { continue }
            if !(derivedTypes[base]?.contains(name) ?? false) { derivedTypes[base, default: []].append(name) }
        }
    }

    private mutating func unsupported(_ construct: String, at location: SourceLocation) {
        diagnostics.append(.unsupported(construct, at: location))
    }

    /// A field of this type can hold another type through `xsi:type`.
    private func isPolymorphic(_ name: QualifiedName) -> Bool {
        derivedTypes[name] != nil || schema.complexTypes[name]?.isAbstract == true
    }

    /// Every concrete type a field of type `name` can hold: itself (unless abstract), then its
    /// derived types depth first.
    private func concreteTypes(of name: QualifiedName) -> [QualifiedName] {
        var result: [QualifiedName] = []
        var seen: Set<QualifiedName> = []
        func visit(_ current: QualifiedName) {
            guard seen.insert(current).inserted else { return }
            if schema.complexTypes[current]?.isAbstract != true { result.append(current) }
            for derived in derivedTypes[current] ?? [] { visit(derived) }
        }
        visit(name)
        return result
    }

    /// The enum standing for "`name` or any type derived from it", declared on first use.
    private mutating func polymorphicType(_ name: QualifiedName, structName: String) -> String {
        let key = "polymorphic:\(name)"
        let (enumName, isNew) = positionalName(key, preferred: "Any" + structName)
        guard isNew, let definition = schema.complexTypes[name] else { return enumName }
        emitted.insert(key)
        var caseNames = NameAllocator(reserved: SwiftNaming.memberReserved.union(["unknown"]))
        let cases = concreteTypes(of: name).compactMap { concrete -> SwiftPolymorphic.Case? in
            guard let swiftType = namedTypes[concrete] else { return nil }
            return SwiftPolymorphic.Case(name: caseNames.claim(SwiftNaming.memberName(swiftType)), swiftType: swiftType, xmlType: concrete)
        }
        declarations[definition.origin.documentPath, default: []].append(.polymorphic(SwiftPolymorphic(
            name: enumName, baseTypeName: structName, baseXMLType: name, baseIsAbstract: definition.isAbstract, cases: cases)))
        return enumName
    }

    /// `urn:be:fgov:ehealth:errors:core:v1` → `ErrorsCore`: disambiguates equal names across namespaces.
    static func namespaceWord(_ namespace: String?) -> String {
        guard let namespace else { return "Local" }
        let skipped: Set<String> = ["urn", "be", "fgov", "ehealth", "http", "https", "www", "org", "com", "xsd", "schema", "schemas"]
        let words = SwiftNaming.words(namespace).filter { word in
            let lower = word.lowercased()
            if skipped.contains(lower) { return false }
            if lower.first == "v", lower.dropFirst().allSatisfy(\.isNumber), lower.count > 1 { return false }
            return !lower.allSatisfy(\.isNumber)
        }
        return words.suffix(2).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private mutating func positionalName(_ key: String, preferred: String) -> (name: String, isNew: Bool) {
        if let existing = positionalNames[key] {
            return (existing, !emitted.contains(key))
        }
        let name = typeNames.claim(preferred)
        positionalNames[key] = name
        return (name, true)
    }

    private mutating func emit(_ declaration: SwiftDeclaration, key: String, documentPath: String) {
        guard !emitted.contains(key) else { return }
        emitted.insert(key)
        declarations[documentPath, default: []].append(declaration)
    }

    // MARK: building

    mutating func build(services: [ServiceDefinition]) -> [SwiftFile] {
        for path in schema.documentPaths {
            for component in schema.declarationOrder[path] ?? [] {
                switch component {
                case .complexType(let name):
                    guard let definition = schema.complexTypes[name] else { continue }
                    buildComplexType(definition, name: namedTypes[name]!, key: "type:\(name)", rootElement: rootElementOfType[name])
                case .simpleType(let name):
                    guard let definition = schema.simpleTypes[name] else { continue }
                    buildSimpleType(definition, name: namedTypes[name]!, key: "type:\(name)")
                case .element(let name):
                    guard let element = schema.elements[name] else { continue }
                    _ = resolve(element.type, anonymousName: SwiftNaming.typeName(name.localName), rootElement: name)
                }
            }
        }
        for service in services {
            for portType in service.portTypes {
                buildClient(portType, documentPath: service.documentPath)
            }
        }
        return schema.documentPaths.map { path in
            let fileName = NSStringPath(path: path).lastComponent + ".swift"
            return SwiftFile(documentPath: path, fileName: fileName, declarations: declarations[path] ?? [])
        }
    }

    // MARK: types

    /// The Swift type for a schema type reference; anonymous types are declared on first sight.
    private mutating func resolve(_ reference: TypeReference, anonymousName: String, rootElement: QualifiedName? = nil) -> (type: String, isAnyType: Bool) {
        switch reference {
        case .named(let name, let location):
            if name.namespace == Namespaces.xsd {
                guard let builtin = BuiltinTypes.swiftTypes[name.localName] else {
                    unsupported("XML Schema type xs:\(name.localName) (read as String)", at: location)
                    return ("String", false)
                }
                return (builtin, builtin == "AnyXMLElement")
            }
            guard let swiftName = namedTypes[name] else {
                diagnostics.append(.error("type \(name) is not declared in any loaded schema", at: location))
                return ("String", false)
            }
            if isPolymorphic(name) { return (polymorphicType(name, structName: swiftName), false) }
            return (swiftName, false)
        case .anonymousComplex(let definition):
            let key = definition.origin.location.description
            let (name, isNew) = positionalName(key, preferred: anonymousName)
            if isNew { buildComplexType(definition, name: name, key: key, rootElement: rootElement) }
            return (name, false)
        case .anonymousSimple(let definition):
            let key = definition.origin.location.description
            let (name, isNew) = positionalName(key, preferred: anonymousName)
            if isNew { buildSimpleType(definition, name: name, key: key) }
            return (name, false)
        }
    }

    private struct Flattened {
        var attributes: [SwiftAttribute] = []
        var steps: [ContentStep] = []
        var properties: [SwiftProperty] = []
        var simpleValue: (property: String, valueType: String)?
        var mixed = false
        var acceptsAnyAttribute = false
    }

    private mutating func flatten(_ definition: ComplexTypeDefinition, owner: String, members: inout NameAllocator, depth: Int = 0) -> Flattened {
        var result = Flattened()
        guard depth < 32 else {
            diagnostics.append(.error("type derivation is circular", at: definition.origin.location))
            return result
        }
        if let base = definition.base, !(base.namespace == Namespaces.xsd && base.localName == "anyType") {
            if definition.isRestriction, let baseDefinition = schema.complexTypes[base] {
                // A restriction restates the content; only the base's attributes (and simple value) carry over.
                var scratch = NameAllocator(reserved: SwiftNaming.memberReserved)
                let inherited = flatten(baseDefinition, owner: namedTypes[base] ?? owner, members: &scratch, depth: depth + 1)
                let replaced = Set(definition.attributes.map(\.name) + definition.prohibitedAttributes)
                for attribute in inherited.attributes where !replaced.contains(attribute.name) {
                    let property = SwiftProperty(name: members.claim(attribute.property.name), type: attribute.property.type,
                                                 documentation: attribute.property.documentation, defaultValue: attribute.property.defaultValue)
                    var restated = SwiftAttribute(property: property, name: attribute.name, valueType: attribute.valueType, required: attribute.required)
                    if let inheritedConstraint = attribute.valueConstraint {
                        restated.valueConstraint = claimConstraintNames(inheritedConstraint.constraint, property: property.name,
                                                                        required: attribute.required, members: &members)
                    }
                    result.attributes.append(restated)
                    result.properties.append(property)
                }
                if inherited.acceptsAnyAttribute { result.acceptsAnyAttribute = true }
                if !definition.baseIsComplexContent, let value = inherited.simpleValue {
                    let property = SwiftProperty(name: members.claim("value"), type: value.valueType, documentation: "The element's text.", defaultValue: nil)
                    result.properties.append(property)
                    result.simpleValue = (property.name, value.valueType)
                }
            } else if let baseDefinition = schema.complexTypes[base] {
                let baseOwner = namedTypes[base] ?? owner
                result = flatten(baseDefinition, owner: baseOwner, members: &members, depth: depth + 1)
                if !definition.baseIsComplexContent, result.simpleValue == nil {
                    diagnostics.append(.error("simpleContent extension of \(base), which has no simple content", at: definition.origin.location))
                }
            } else if definition.baseIsComplexContent {
                diagnostics.append(.error("base type \(base) is not a complex type in any loaded schema", at: definition.origin.location))
            }
        }
        // A derived type keeps its base's attribute wildcard (an extension adds to it; a
        // restriction would have to restate it, but reporting less is the safe side).
        if definition.acceptsAnyAttribute { result.acceptsAnyAttribute = true }
        for attribute in definition.attributes {
            // A qualified attribute is a global one (xml:lang): its anonymous type is named after it alone.
            let anonymousName = (attribute.name.namespace == nil ? owner : "") + SwiftNaming.typeName(attribute.name.localName)
            let (valueType, _) = resolve(attribute.type, anonymousName: anonymousName)
            var name = SwiftNaming.memberName(attribute.name.localName)
            if attribute.name.namespace == XMLName.xmlNamespace, name == "lang" { name = "language" }
            let property = SwiftProperty(name: members.claim(name, suffix: "Attribute"),
                                         type: attribute.required ? valueType : valueType + "?",
                                         documentation: attribute.documentation, defaultValue: attribute.required ? nil : "nil")
            var swiftAttribute = SwiftAttribute(property: property, name: attribute.name, valueType: valueType, required: attribute.required)
            if let constraint = attribute.valueConstraint {
                let kind = if case .fixed = constraint { "fixed" } else { "default" }
                if constraintHolds(constraint.lexicalValue, for: attribute.type) {
                    swiftAttribute.valueConstraint = claimConstraintNames(constraint, property: property.name,
                                                                          required: attribute.required, members: &members)
                } else {
                    unsupported("\(kind)=\"\(constraint.lexicalValue)\" on attribute \(attribute.name.localName) of type \(valueType) (checked only on built-in and enumeration types, and it must be valid for them): not applied",
                                at: attribute.location)
                }
            }
            result.attributes.append(swiftAttribute)
            result.properties.append(property)
        }
        switch definition.content {
        case .simple(let reference):
            if case .named(let baseName, _) = reference, schema.complexTypes[baseName] != nil {
                break // the base's value property came with the base
            }
            let (valueType, _) = resolve(reference, anonymousName: owner + "Value")
            let property = SwiftProperty(name: members.claim("value"), type: valueType, documentation: "The element's text.", defaultValue: nil)
            result.properties.append(property)
            result.simpleValue = (property.name, valueType)
        case .particles(let particles):
            if definition.mixed, !result.mixed {
                result.mixed = true
                result.properties.append(SwiftProperty(name: members.claim("text"), type: "String?",
                                                       documentation: "Character data of this mixed-content element.", defaultValue: "nil"))
            }
            let (steps, properties) = contentSteps(particles, owner: owner, members: &members)
            result.steps += steps
            result.properties += properties
        }
        return result
    }

    /// Names for an attribute's default or fixed value (`versionDefault`) and, when the attribute
    /// is optional, for its accessor with the value applied (`effectiveVersion`).
    private func claimConstraintNames(_ constraint: ValueConstraint, property: String, required: Bool,
                                      members: inout NameAllocator) -> (constraint: ValueConstraint, staticName: String, effectiveName: String?) {
        let suffix = if case .fixed = constraint { "Fixed" } else { "Default" }
        let staticName = members.claim(property + suffix)
        let effectiveName = required ? nil : members.claim("effective" + property.prefix(1).uppercased() + property.dropFirst())
        return (constraint, staticName, effectiveName)
    }

    /// True when decoding will accept `literal` as a value of the type: checked with the runtime's
    /// own codec for a built-in type, against the listed values for an enumeration. Other types
    /// (facets, lists, unions) are not vouched for, so their constraint is not applied.
    private func constraintHolds(_ literal: String, for reference: TypeReference, depth: Int = 0) -> Bool {
        guard depth < 32 else { return false }
        let definition: SimpleTypeDefinition?
        switch reference {
        case .named(let name, _):
            // The built-in at the end of an alias chain decides, whatever the alias is called.
            if name.namespace == Namespaces.xsd {
                guard let builtin = BuiltinTypes.swiftTypes[name.localName], let codec = BuiltinTypes.codecs[builtin] else { return false }
                return (try? codec.init(xmlText: literal)) != nil
            }
            definition = schema.simpleTypes[name]
        case .anonymousSimple(let anonymous): definition = anonymous
        case .anonymousComplex: definition = nil
        }
        guard case .restriction(let base, let facets)? = definition?.variety else { return false }
        // A restriction without facets is the base type under another name.
        if facets.isEmpty { return constraintHolds(literal, for: base, depth: depth + 1) }
        return !facets.enumeration.isEmpty && facets.enumeration.contains(literal.trimmingXMLWhitespace)
    }

    private mutating func buildComplexType(_ definition: ComplexTypeDefinition, name: String, key: String, rootElement: QualifiedName?) {
        guard !emitted.contains(key) else { return }
        emitted.insert(key)
        var members = NameAllocator(reserved: SwiftNaming.memberReserved)
        let flattened = flatten(definition, owner: name, members: &members)
        var conformances = ["XMLContentCodable", "Equatable"]
        var inherited: String?
        // A restriction restates its content, so its members need not match the base's protocol.
        if let base = definition.base, definition.baseIsComplexContent, !definition.isRestriction, baseTypes.contains(base), let baseName = namedTypes[base] {
            inherited = baseName + "Protocol"
        }
        if let typeName = definition.name, baseTypes.contains(typeName) {
            conformances.append(name + "Protocol")
            declarations[definition.origin.documentPath, default: []].append(.baseProtocol(SwiftBaseProtocol(
                name: name + "Protocol", baseTypeName: name, inherits: inherited,
                documentation: definition.documentation,
                properties: flattened.properties)))
        }
        else if let inherited { conformances.append(inherited) }
        if rootElement != nil { conformances.append("XMLRootElement") }
        let body: StructBody = flattened.simpleValue.map { .simpleValue(property: $0.property, valueType: $0.valueType) }
            ?? .content(flattened.steps)
        let structure = SwiftStruct(name: name, documentation: definition.documentation, conformances: conformances,
                                    rootElement: rootElement, attributes: flattened.attributes, properties: flattened.properties,
                                    body: body, isGroup: false, mixedTextProperty: flattened.mixed ? "text" : nil,
                                    reportsUnknownAttributes: !flattened.acceptsAnyAttribute)
        declarations[definition.origin.documentPath, default: []].append(.structure(structure))
    }

    /// Properties and read/write steps for a list of particles (a sequence's content).
    private mutating func contentSteps(_ particles: [Particle], owner: String, members: inout NameAllocator) -> ([ContentStep], [SwiftProperty]) {
        let particles = particles.map(substituted)
        var steps: [ContentStep] = []
        var properties: [SwiftProperty] = []
        for (index, particle) in particles.enumerated() {
            let followers = startSet(of: Array(particles.dropFirst(index + 1))).names
            switch particle.term {
            case .element(let element):
                let (step, property) = elementStep(element, occurs: particle.occurs, owner: owner, members: &members)
                steps.append(step)
                properties.append(property)
            case .wildcard(let wildcard):
                let property = members.claim(particle.occurs.isRepeated ? "anyElements" : "anyElement")
                let type = Self.wrap("AnyXMLElement", particle.occurs, nillable: false)
                properties.append(SwiftProperty(name: property, type: type.type, documentation: "Elements matched by a wildcard, kept as XML.", defaultValue: type.defaultValue))
                steps.append(.wildcard(property: property, wildcard: Self.swiftWildcard(wildcard), occurs: particle.occurs, followers: followers))
            case .sequence(let inner) where inner.count == 1 && (inner[0].occurs == .one || particle.occurs == .one):
                // A sequence around one particle is that particle, with the occurrence bounds combined.
                var single = inner[0]
                if single.occurs == .one { single.occurs = particle.occurs }
                let (innerSteps, innerProperties) = contentSteps([single], owner: owner, members: &members)
                steps += innerSteps
                properties += innerProperties
            case .sequence(let inner):
                if particle.occurs == .one {
                    let (innerSteps, innerProperties) = contentSteps(inner, owner: owner, members: &members)
                    steps += innerSteps
                    properties += innerProperties
                } else if particle.occurs.isOptional, inner.allSatisfy(\.isLeaf) {
                    let (group, groupProperties) = optionalGroup(inner, owner: owner, members: &members)
                    steps.append(group)
                    properties += groupProperties
                } else {
                    let (step, property) = groupStep(particle, owner: owner, members: &members)
                    steps.append(step)
                    properties.append(property)
                }
            case .choice(let alternatives):
                if alternatives.count == 1, particle.occurs == .one {
                    let (innerSteps, innerProperties) = contentSteps(alternatives, owner: owner, members: &members)
                    steps += innerSteps
                    properties += innerProperties
                    continue
                }
                let (step, property) = choiceStep(particle, alternatives, owner: owner, members: &members)
                steps.append(step)
                properties.append(property)
            case .all(let inner):
                var allMembers: [(property: String, name: XMLName, valueType: String, required: Bool, nillable: Bool)] = []
                for member in inner {
                    guard case .element(let element) = member.term, member.occurs.isSingle else {
                        diagnostics.append(.error("an xs:all group may only hold elements that occur at most once", at: member.location))
                        continue
                    }
                    let (valueType, _) = resolve(element.type, anonymousName: owner + SwiftNaming.typeName(element.name.localName))
                    let required = member.occurs.min > 0 && particle.occurs.min > 0
                    let name = members.claim(SwiftNaming.memberName(element.name.localName))
                    let memberType = element.nillable ? valueType + "?" : valueType
                    properties.append(SwiftProperty(name: name, type: required ? memberType : memberType + "?",
                                                    documentation: element.documentation,
                                                    defaultValue: required && !element.nillable ? nil : "nil"))
                    allMembers.append((name, element.name, valueType, required, element.nillable))
                }
                steps.append(.all(members: allMembers))
            }
        }
        return (steps, properties)
    }

    /// A reference to a substitution group's head accepts every member by element name: it becomes
    /// a choice between the head (unless abstract) and the members, recursively.
    private func substituted(_ particle: Particle) -> Particle {
        guard case .element(let element) = particle.term, element.refersToGlobal,
              schema.substitutionMembers[element.name] != nil else { return particle }
        var names: [QualifiedName] = []
        var seen: Set<QualifiedName> = []
        func visit(_ name: QualifiedName) {
            guard seen.insert(name).inserted else { return }
            if !schema.abstractElements.contains(name), schema.elements[name] != nil { names.append(name) }
            for member in schema.substitutionMembers[name] ?? [] { visit(member) }
        }
        visit(element.name)
        guard !names.isEmpty, names != [element.name] else { return particle }
        let alternatives = names.map { name -> Particle in
            var declaration = name == element.name ? element : schema.elements[name]!
            declaration.refersToGlobal = true
            return Particle(occurs: .one, term: .element(declaration), location: particle.location)
        }
        return Particle(occurs: particle.occurs, term: .choice(alternatives), location: particle.location)
    }

    private mutating func elementStep(_ element: ElementDeclaration, occurs: Occurs, owner: String, members: inout NameAllocator) -> (ContentStep, SwiftProperty) {
        let anonymousName = element.reference.map { SwiftNaming.typeName($0.localName) } ?? owner + SwiftNaming.typeName(element.name.localName)
        // A global element reached first through a `ref` still makes its anonymous type a message type.
        let rootElement = element.reference ?? (element.refersToGlobal ? element.name : nil)
        let (valueType, isAnyType) = resolve(element.type, anonymousName: anonymousName, rootElement: rootElement)
        if element.nillable, hasRequiredAttributes(element.type) {
            diagnostics.append(Diagnostic(.warning, "nillable element \(element.name.localName) has a type with required attributes; a nil value is written as xsi:nil without them, which a validating peer rejects", at: element.origin.location))
        }
        let name = members.claim(SwiftNaming.memberName(element.name.localName))
        let wrapped = Self.wrap(valueType, occurs, nillable: element.nillable)
        let property = SwiftProperty(name: name, type: wrapped.type, documentation: element.documentation, defaultValue: wrapped.defaultValue)
        return (.element(property: name, name: element.name, valueType: valueType, occurs: occurs, nillable: element.nillable, isAnyType: isAnyType), property)
    }

    private mutating func optionalGroup(_ particles: [Particle], owner: String, members: inout NameAllocator) -> (ContentStep, [SwiftProperty]) {
        var steps: [ContentStep] = []
        var properties: [SwiftProperty] = []
        var required: [String] = []
        for particle in particles {
            var relaxed = particle.occurs
            relaxed.min = 0
            let wasRequired = particle.occurs.min > 0
            switch particle.term {
            case .element(let element):
                let (step, property) = elementStep(element, occurs: relaxed, owner: owner, members: &members)
                steps.append(step)
                properties.append(property)
                if wasRequired { required.append(property.name) }
            case .wildcard(let wildcard):
                let name = members.claim(relaxed.isRepeated ? "anyElements" : "anyElement")
                let type = Self.wrap("AnyXMLElement", relaxed, nillable: false)
                properties.append(SwiftProperty(name: name, type: type.type, documentation: "Elements matched by a wildcard, kept as XML.", defaultValue: type.defaultValue))
                steps.append(.wildcard(property: name, wildcard: Self.swiftWildcard(wildcard), occurs: relaxed, followers: []))
                if wasRequired { required.append(name) }
            default:
                break
            }
        }
        return (.optionalGroup(members: steps, requiredMembers: required), properties)
    }

    private mutating func groupStep(_ particle: Particle, owner: String, members: inout NameAllocator) -> (ContentStep, SwiftProperty) {
        let key = "group:" + particle.location.description
        let (structName, isNew) = positionalName(key, preferred: owner + "Group")
        if isNew {
            var groupMembers = NameAllocator(reserved: SwiftNaming.memberReserved)
            var inner = particle
            inner.occurs = .one
            let (steps, properties) = contentSteps([inner], owner: structName, members: &groupMembers)
            emit(.structure(SwiftStruct(name: structName, documentation: "One occurrence of a group of elements in \(owner).",
                                        conformances: ["Sendable", "Equatable"], rootElement: nil, attributes: [],
                                        properties: properties, body: .content(steps), isGroup: true, mixedTextProperty: nil)),
                 key: key, documentPath: documentPath(of: particle))
        }
        let name = members.claim(particle.occurs.isRepeated ? "groups" : "group")
        let wrapped = Self.wrap(structName, particle.occurs, nillable: false)
        return (.group(property: name, structType: structName, occurs: particle.occurs, start: startSet(of: [particle])),
                SwiftProperty(name: name, type: wrapped.type, documentation: nil, defaultValue: wrapped.defaultValue))
    }

    private mutating func choiceStep(_ particle: Particle, _ alternatives: [Particle], owner: String, members: inout NameAllocator) -> (ContentStep, SwiftProperty) {
        let key = "choice:" + particle.location.description
        let alternativeNames = alternatives.compactMap { alternative -> String? in
            if case .element(let element) = alternative.term { return SwiftNaming.typeName(element.name.localName) }
            return nil
        }
        let stem = alternativeNames.count == alternatives.count && alternatives.count <= 3
            ? alternativeNames.joined(separator: "Or") : "Choice"
        let (enumName, isNew) = positionalName(key, preferred: owner + stem)
        if isNew {
            var caseNames = NameAllocator(reserved: SwiftNaming.memberReserved)
            var cases: [ChoiceCase] = []
            for (index, alternative) in alternatives.enumerated() {
                switch alternative.term {
                case .element(let element) where alternative.occurs == .one:
                    let anonymousName = element.reference.map { SwiftNaming.typeName($0.localName) } ?? enumName + SwiftNaming.typeName(element.name.localName)
                    let (valueType, isAnyType) = resolve(element.type, anonymousName: anonymousName, rootElement: element.reference)
                    cases.append(ChoiceCase(name: caseNames.claim(SwiftNaming.memberName(element.name.localName)),
                                            payloadType: element.nillable ? valueType + "?" : valueType,
                                            kind: .element(name: element.name, nillable: element.nillable, isAnyType: isAnyType),
                                            start: StartSet(names: [element.name])))
                case .wildcard(let wildcard) where alternative.occurs == .one:
                    let swiftWildcard = Self.swiftWildcard(wildcard)
                    cases.append(ChoiceCase(name: caseNames.claim("anyElement"), payloadType: "AnyXMLElement", kind: .wildcard(swiftWildcard),
                                            start: StartSet(wildcards: [swiftWildcard])))
                default:
                    let groupKey = "group:" + alternative.location.description
                    let (structName, groupIsNew) = positionalName(groupKey, preferred: enumName + "Alternative\(index + 1)")
                    if groupIsNew {
                        var groupMembers = NameAllocator(reserved: SwiftNaming.memberReserved)
                        let (steps, properties) = contentSteps([alternative], owner: structName, members: &groupMembers)
                        emit(.structure(SwiftStruct(name: structName, documentation: "Alternative \(index + 1) of \(enumName).",
                                                    conformances: ["Sendable", "Equatable"], rootElement: nil, attributes: [],
                                                    properties: properties, body: .content(steps), isGroup: true, mixedTextProperty: nil)),
                             key: groupKey, documentPath: documentPath(of: particle))
                    }
                    cases.append(ChoiceCase(name: caseNames.claim("alternative\(index + 1)"), payloadType: structName,
                                            kind: .group(structType: structName), start: startSet(of: [alternative])))
                }
            }
            emit(.choice(SwiftChoice(name: enumName, documentation: "A choice between elements in \(owner).", cases: cases)),
                 key: key, documentPath: documentPath(of: particle))
        }
        let memberStem = stem == "Choice" ? "choice" : SwiftNaming.memberName(stem)
        let name = members.claim(particle.occurs.isRepeated ? memberStem + "List" : memberStem)
        let wrapped = Self.wrap(enumName, particle.occurs, nillable: false)
        return (.choice(property: name, enumType: enumName, occurs: particle.occurs, expected: startSet(of: [particle]).names),
                SwiftProperty(name: name, type: wrapped.type, documentation: nil, defaultValue: wrapped.defaultValue))
    }

    private func documentPath(of particle: Particle) -> String {
        // Particles carry only their location; its file is the document they were declared in, except
        // for inline WSDL schemas, whose components are emitted into the WSDL's file (same path).
        particle.location.file
    }

    private func hasRequiredAttributes(_ reference: TypeReference, depth: Int = 0) -> Bool {
        let definition: ComplexTypeDefinition
        switch reference {
        case .named(let name, _):
            guard let named = schema.complexTypes[name] else { return false }
            definition = named
        case .anonymousComplex(let anonymous): definition = anonymous
        case .anonymousSimple: return false
        }
        if definition.attributes.contains(where: \.required) { return true }
        guard depth < 32, let base = definition.base else { return false }
        return hasRequiredAttributes(.named(base, definition.origin.location), depth: depth + 1)
    }

    // MARK: start sets

    private func startSet(of particles: [Particle]) -> StartSet {
        var set = StartSet()
        for particle in particles {
            let (start, nullable) = startOf(particle)
            set.names += start.names
            set.wildcards += start.wildcards
            if !nullable { break }
        }
        return set
    }

    private func startOf(_ particle: Particle) -> (StartSet, Bool) {
        let optional = particle.occurs.min == 0
        switch particle.term {
        case .element(let element):
            return (StartSet(names: [element.name]), optional)
        case .wildcard(let wildcard):
            return (StartSet(wildcards: [Self.swiftWildcard(wildcard)]), optional)
        case .sequence(let inner):
            var set = StartSet()
            var nullable = true
            for child in inner {
                let (start, childNullable) = startOf(child)
                set.names += start.names
                set.wildcards += start.wildcards
                if !childNullable { nullable = false; break }
            }
            return (set, nullable || optional)
        case .choice(let inner), .all(let inner):
            var set = StartSet()
            var nullable = inner.isEmpty
            for child in inner {
                let (start, childNullable) = startOf(child)
                set.names += start.names
                set.wildcards += start.wildcards
                if childNullable { nullable = true }
            }
            return (set, nullable || optional)
        }
    }

    // MARK: simple types

    /// The whiteSpace a simple type's string values get: its own facet, else its base's, down
    /// to the built-in type (`token` collapses, `normalizedString` replaces, `string` preserves).
    private func whiteSpace(of definition: SimpleTypeDefinition, depth: Int = 0) -> WhiteSpaceFacet? {
        guard depth < 32, case .restriction(let base, let facets) = definition.variety else { return nil }
        if let own = facets.whiteSpace { return own }
        switch base {
        case .named(let name, _):
            if name.namespace == Namespaces.xsd { return BuiltinTypes.whiteSpace[name.localName] }
            return schema.simpleTypes[name].flatMap { whiteSpace(of: $0, depth: depth + 1) }
        case .anonymousSimple(let inner): return whiteSpace(of: inner, depth: depth + 1)
        case .anonymousComplex: return nil
        }
    }

    private mutating func buildSimpleType(_ definition: SimpleTypeDefinition, name: String, key: String) {
        guard !emitted.contains(key) else { return }
        emitted.insert(key)
        let path = definition.origin.documentPath
        switch definition.variety {
        case .restriction(let base, let facets):
            let (baseType, _) = resolve(base, anonymousName: name + "Base")
            if !facets.enumeration.isEmpty {
                var caseNames = NameAllocator(reserved: ["init", "xmlText", "allCases", "rawValue", "unrecognized", "unrecognizedValue"])
                // A value listed twice (KMEHR's code lists do) is one case.
                var seenValues: Set<String> = []
                let cases = facets.enumeration.filter { seenValues.insert($0).inserted }.map { value in
                    (name: caseNames.claim(SwiftNaming.memberName(value)), value: value)
                }
                declarations[path, default: []].append(.enumeration(SwiftEnumeration(name: name, documentation: definition.documentation, cases: cases)))
            } else if facets.isEmpty, facets.whiteSpace == nil || (restrictedValueTypes[baseType] ?? baseType) != "String" {
                declarations[path, default: []].append(.alias(SwiftAlias(name: name, documentation: definition.documentation, target: baseType)))
                if let valueType = restrictedValueTypes[baseType] { restrictedValueTypes[name] = valueType }
            } else {
                let restrictedBase = restrictedValueTypes[baseType] != nil ? baseType : nil
                let valueType = restrictedValueTypes[baseType] ?? baseType
                var hasRange = facets.minInclusive != nil || facets.maxInclusive != nil || facets.minExclusive != nil || facets.maxExclusive != nil
                if hasRange, !BuiltinTypes.comparable.contains(valueType) {
                    unsupported("range facets on \(valueType) values (they are not checked)", at: definition.origin.location)
                    hasRange = false
                }
                restrictedValueTypes[name] = valueType
                var restricted = SwiftRestrictedValue(
                    name: name, documentation: definition.documentation, valueType: valueType,
                    restrictedBase: restrictedBase, facets: facets, numericBase: hasRange)
                if valueType == "String", let whiteSpace = whiteSpace(of: definition), whiteSpace != .preserve {
                    restricted.whiteSpace = whiteSpace
                }
                declarations[path, default: []].append(.restricted(restricted))
            }
        case .list(let item):
            let (itemType, _) = resolve(item, anonymousName: name + "Item")
            declarations[path, default: []].append(.list(SwiftListValue(name: name, documentation: definition.documentation, itemType: itemType)))
        case .union(let members):
            var memberTypes: [String] = []
            for (index, member) in members.enumerated() {
                memberTypes.append(resolve(member, anonymousName: name + "Member\(index + 1)").type)
            }
            declarations[path, default: []].append(.union(SwiftUnionValue(name: name, documentation: definition.documentation, memberTypes: memberTypes)))
        }
    }

    // MARK: clients

    private mutating func buildClient(_ portType: PortTypeDefinition, documentPath: String) {
        var stem = portType.name
        for suffix in ["PortType", "Port"] where stem.hasSuffix(suffix) && stem.count > suffix.count {
            stem.removeLast(suffix.count)
            break
        }
        let name = typeNames.claim(SwiftNaming.typeName(stem) + "Client")
        var memberNames = NameAllocator(reserved: ["soap", "init", "defaultEndpoint", "Operations"])
        var operations: [SwiftOperation] = []
        for operation in portType.operations {
            guard let input = elementType(operation.inputElement, at: operation.location),
                  let output = elementType(operation.outputElement, at: operation.location) else { continue }
            operations.append(SwiftOperation(name: operation.name, memberName: memberNames.claim(SwiftNaming.memberName(operation.name)),
                                             documentation: operation.documentation, soapAction: operation.soapAction,
                                             inputElement: operation.inputElement, inputType: input,
                                             outputElement: operation.outputElement, outputType: output))
        }
        declarations[documentPath, default: []].append(.client(SwiftClient(
            name: name, portTypeName: portType.name, documentation: portType.documentation,
            address: portType.address, operations: operations)))
        let serviceCase = serviceCaseNames.claim(SwiftNaming.memberName(stem))
        operationsTable.services.append(.init(caseName: serviceCase, portTypeName: portType.name, clientName: name, address: portType.address))
        for operation in operations {
            // The same operation name in two services: the second one is named after its service too.
            let preferred = SwiftNaming.memberName(operation.name)
            let caseName = !operationCaseNames.contains(preferred) ? operationCaseNames.claim(preferred)
                : operationCaseNames.claim(serviceCase + SwiftNaming.typeName(operation.name))
            operationsTable.entries.append(.init(caseName: caseName, service: serviceCase, operation: operation))
        }
    }

    private mutating func elementType(_ name: QualifiedName, at location: SourceLocation) -> String? {
        guard let element = schema.elements[name] else {
            diagnostics.append(.error("element \(name) is not declared in any loaded schema", at: location))
            return nil
        }
        return resolve(element.type, anonymousName: SwiftNaming.typeName(name.localName), rootElement: name).type
    }

    // MARK: helpers

    static func wrap(_ type: String, _ occurs: Occurs, nillable: Bool) -> (type: String, defaultValue: String?) {
        let element = nillable ? type + "?" : type
        if occurs.isRepeated { return ("[\(element)]", "[]") }
        if occurs.min == 0 { return (element + "?", "nil") }
        return (element, nillable ? "nil" : nil)
    }

    static func swiftWildcard(_ wildcard: WildcardParticle) -> SwiftWildcard {
        switch wildcard.constraint {
        case .any: return SwiftWildcard(expression: ".any")
        case .other: return SwiftWildcard(expression: ".other(targetNamespace: \(SwiftNaming.literal(wildcard.targetNamespace)))")
        case .local: return SwiftWildcard(expression: ".list([nil])")
        case .list(let namespaces):
            return SwiftWildcard(expression: ".list([" + namespaces.map { SwiftNaming.literal($0) }.joined(separator: ", ") + "])")
        }
    }
}

extension Particle {
    /// An element or a wildcard: something a flattened optional group can hold.
    var isLeaf: Bool {
        switch term {
        case .element, .wildcard: return occurs.max != 0
        default: return false
        }
    }
}

/// The last path component without Foundation's URL machinery.
private struct NSStringPath {
    let path: String
    var lastComponent: String { path.split(separator: "/").last.map(String.init) ?? path }
}
