/// Turns the loaded `xs:schema` trees into schema components.
///
/// First every global declaration is indexed by qualified name, then each is parsed; references
/// (`ref`, `attributeGroup`, `group`) are resolved through the index so declaration order never matters.
struct SchemaParser {
    private struct Declared {
        let element: SourceElement
        let context: SchemaContext
    }

    private var globalElements: [QualifiedName: Declared] = [:]
    private var globalAttributes: [QualifiedName: Declared] = [:]
    private var attributeGroups: [QualifiedName: Declared] = [:]
    private var modelGroups: [QualifiedName: Declared] = [:]
    private var complexTypes: [QualifiedName: Declared] = [:]
    private var simpleTypes: [QualifiedName: Declared] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    private var components = SchemaSet()

    init(roots: [(SourceElement, SchemaContext)], documentPaths: [String], namespaceDeclarations: [(prefix: String, uri: String)] = []) {
        components.documentPaths = documentPaths
        let infrastructure: Set<String> = [Namespaces.xsd, Namespaces.wsdl, Namespaces.soap11, Namespaces.soap12, XMLName.xmlNamespace]
        var usedPrefixes: Set<String> = ["xml", "xmlns", "soapenv", "xsi"]
        for (prefix, uri) in namespaceDeclarations where !prefix.isEmpty && !infrastructure.contains(uri) {
            guard components.preferredPrefixes[uri] == nil, !usedPrefixes.contains(prefix) else { continue }
            components.preferredPrefixes[uri] = prefix
            usedPrefixes.insert(prefix)
        }
        for (schema, context) in roots {
            for child in schema.children {
                guard child.namespace == Namespaces.xsd, let name = child.attribute("name") else { continue }
                let qualified = QualifiedName(context.targetNamespace, name)
                let declared = Declared(element: child, context: context)
                switch child.localName {
                case "element": Self.register(&globalElements, qualified, declared, kind: "element", diagnostics: &diagnostics)
                case "attribute": Self.register(&globalAttributes, qualified, declared, kind: "attribute", diagnostics: &diagnostics)
                case "attributeGroup": Self.register(&attributeGroups, qualified, declared, kind: "attribute group", diagnostics: &diagnostics)
                case "group": Self.register(&modelGroups, qualified, declared, kind: "group", diagnostics: &diagnostics)
                case "complexType": Self.register(&complexTypes, qualified, declared, kind: "type", diagnostics: &diagnostics)
                case "simpleType": Self.register(&simpleTypes, qualified, declared, kind: "type", diagnostics: &diagnostics)
                default: break
                }
                if child.localName == "element" {
                    if child.attribute("abstract") == "true" { components.abstractElements.insert(qualified) }
                    if let head = try? child.qualifiedName("substitutionGroup"),
                       !(components.substitutionMembers[head]?.contains(qualified) ?? false) {
                        components.substitutionMembers[head, default: []].append(qualified)
                    }
                }
                if (child.localName == "complexType" && simpleTypes[qualified] != nil)
                    || (child.localName == "simpleType" && complexTypes[qualified] != nil) {
                    diagnostics.append(child.error("type \(qualified) is declared twice"))
                }
            }
        }
        for (schema, context) in roots {
            for child in schema.children where child.namespace == Namespaces.xsd {
                switch child.localName {
                case "import", "include", "annotation", "attribute", "attributeGroup", "group": continue
                case "notation":
                    diagnostics.append(.unsupported("xs:notation is ignored", at: child.location))
                case "element", "complexType", "simpleType":
                    guard let name = child.attribute("name") else {
                        diagnostics.append(child.error("a global xs:\(child.localName) needs a name"))
                        continue
                    }
                    let qualified = QualifiedName(context.targetNamespace, name)
                    guard isRegistered(child, qualified) else { continue }
                    do {
                        let component: GlobalComponent
                        switch child.localName {
                        case "element":
                            components.elements[qualified] = try parseGlobalElement(qualified)
                            component = .element(qualified)
                        case "complexType":
                            components.complexTypes[qualified] = try parseComplexType(child, context, name: qualified)
                            component = .complexType(qualified)
                        default:
                            components.simpleTypes[qualified] = try parseSimpleType(child, context, name: qualified)
                            component = .simpleType(qualified)
                        }
                        components.declarationOrder[context.documentPath, default: []].append(component)
                    } catch let diagnostic as Diagnostic where diagnostic.severity == .warning {
                        // Degrade, don't stop: the component is kept, its content as raw XML.
                        let kind = child.localName == "element" ? "element" : "type"
                        diagnostics.append(Diagnostic(.warning, diagnostic.message + "; \(kind) \(name) is kept as raw XML", at: diagnostic.location))
                        let origin = context.origin(child)
                        let component: GlobalComponent
                        switch child.localName {
                        case "element":
                            components.elements[qualified] = ElementDeclaration(
                                name: qualified, type: .named(QualifiedName(Namespaces.xsd, "anyType"), child.location),
                                nillable: false, documentation: child.documentation(Namespaces.xsd), origin: origin)
                            component = .element(qualified)
                        case "complexType":
                            let anyContent = Particle(occurs: Occurs(min: 0, max: nil),
                                                      term: .wildcard(WildcardParticle(constraint: .any, targetNamespace: context.targetNamespace)),
                                                      location: child.location)
                            components.complexTypes[qualified] = ComplexTypeDefinition(
                                name: qualified, documentation: child.documentation(Namespaces.xsd), base: nil, baseIsComplexContent: true,
                                content: .particles([anyContent]), attributes: [], mixed: false, origin: origin)
                            component = .complexType(qualified)
                        default:
                            components.simpleTypes[qualified] = SimpleTypeDefinition(
                                name: qualified, documentation: child.documentation(Namespaces.xsd),
                                variety: .restriction(base: .named(QualifiedName(Namespaces.xsd, "string"), child.location), facets: Facets()),
                                origin: origin)
                            component = .simpleType(qualified)
                        }
                        components.declarationOrder[context.documentPath, default: []].append(component)
                    } catch let diagnostic as Diagnostic {
                        diagnostics.append(diagnostic)
                    } catch {
                        diagnostics.append(child.error("\(error)"))
                    }
                default:
                    diagnostics.append(child.error("xs:\(child.localName) is not supported at the top level of a schema"))
                }
            }
        }
    }

    private static func register(_ table: inout [QualifiedName: Declared], _ name: QualifiedName, _ declared: Declared, kind: String, diagnostics: inout [Diagnostic]) {
        if let existing = table[name], existing.element.location != declared.element.location {
            // The same file reached twice (for example included from two places) is fine.
            // Two versions of one namespace's schema reached through different imports (MyCareNet's
            // commonTypes v1.2 and v1.3) often repeat a component: the same definition is merged
            // silently, a different one is reported and the first one read is used.
            if existing.element.source.path != declared.element.source.path,
               structure(of: existing.element.element) != structure(of: declared.element.element) {
                diagnostics.append(Diagnostic(.warning, "\(kind) \(name) is declared again with a different definition; the one at \(existing.element.location) is used", at: declared.element.location))
            }
            return
        }
        table[name] = declared
    }

    var schemaSet: SchemaSet { components }

    /// A declaration's shape for comparing two copies: names, attributes and children, with
    /// annotations, whitespace and QName prefixes left out.
    private static func structure(of element: XMLElement) -> String {
        guard element.localName != "annotation" else { return "" }
        let attributes = element.attributes.map { attribute -> String in
            let value = attribute.value.split(separator: ":").last.map(String.init) ?? attribute.value
            return attribute.name.localName + "=" + value
        }.sorted().joined(separator: ",")
        return element.localName + "[" + attributes + "](" + element.children.map(structure(of:)).joined(separator: ";") + ")"
    }

    /// True when `child` is the declaration kept for its name (not a repeated copy).
    private func isRegistered(_ child: SourceElement, _ qualified: QualifiedName) -> Bool {
        let table: [QualifiedName: Declared]
        switch child.localName {
        case "element": table = globalElements
        case "complexType": table = complexTypes
        default: table = simpleTypes
        }
        guard let registered = table[qualified] else { return true }
        return registered.element.source.path == child.source.path && registered.element.element.line == child.element.line
    }

    // MARK: elements

    private func parseGlobalElement(_ name: QualifiedName, depth: Int = 0) throws -> ElementDeclaration {
        guard let declared = globalElements[name] else {
            throw Diagnostic.error("unknown element \(name)", at: nil)
        }
        let element = declared.element
        var type = try typeReference(of: element, declared.context, anyFallback: "anyType")
        // A substitution group member without a type of its own has its head's type.
        if element.attribute("type") == nil, element.child(Namespaces.xsd, "complexType") == nil,
           element.child(Namespaces.xsd, "simpleType") == nil, let head = try element.qualifiedName("substitutionGroup"),
           head != name, globalElements[head] != nil, depth < 32 {
            type = try parseGlobalElement(head, depth: depth + 1).type
        }
        return ElementDeclaration(
            name: name,
            type: type,
            nillable: element.attribute("nillable") == "true",
            documentation: element.documentation(Namespaces.xsd),
            origin: declared.context.origin(element)
        )
    }

    private func parseLocalElement(_ element: SourceElement, _ context: SchemaContext) throws -> ElementDeclaration {
        if let reference = try element.qualifiedName("ref") {
            guard globalElements[reference] != nil else {
                throw element.error("element reference \(reference) does not resolve to a global element")
            }
            let global = try parseGlobalElement(reference)
            var declaration = ElementDeclaration(name: global.name, type: global.type, nillable: global.nillable,
                                                 documentation: element.documentation(Namespaces.xsd) ?? global.documentation,
                                                 origin: context.origin(element))
            declaration.refersToGlobal = true
            return declaration
        }
        guard let local = element.attribute("name") else {
            throw element.error("a local xs:element needs a name or a ref")
        }
        let qualified: Bool
        switch element.attribute("form") {
        case "qualified"?: qualified = true
        case "unqualified"?: qualified = false
        default: qualified = context.elementsQualified
        }
        return ElementDeclaration(
            name: QualifiedName(qualified ? context.targetNamespace : nil, local),
            type: try typeReference(of: element, context, anyFallback: "anyType"),
            nillable: element.attribute("nillable") == "true",
            documentation: element.documentation(Namespaces.xsd),
            origin: context.origin(element)
        )
    }

    private func typeReference(of element: SourceElement, _ context: SchemaContext, anyFallback: String) throws -> TypeReference {
        if let typeName = try element.qualifiedName("type") {
            return .named(typeName, element.location)
        }
        if let complex = element.child(Namespaces.xsd, "complexType") {
            return .anonymousComplex(try parseComplexType(complex, context, name: nil))
        }
        if let simple = element.child(Namespaces.xsd, "simpleType") {
            return .anonymousSimple(try parseSimpleType(simple, context, name: nil))
        }
        return .named(QualifiedName(Namespaces.xsd, anyFallback), element.location)
    }

    // MARK: complex types

    private func parseComplexType(_ element: SourceElement, _ context: SchemaContext, name: QualifiedName?) throws -> ComplexTypeDefinition {
        let isAbstract = element.attribute("abstract") == "true"
        let mixed = element.attribute("mixed") == "true"
        let documentation = element.documentation(Namespaces.xsd)
        if let simpleContent = element.child(Namespaces.xsd, "simpleContent") {
            guard let derivation = simpleContent.child(Namespaces.xsd, "extension") ?? simpleContent.child(Namespaces.xsd, "restriction") else {
                throw simpleContent.error("simpleContent needs an extension or a restriction")
            }
            guard let base = try derivation.qualifiedName("base") else {
                throw derivation.error("\(derivation.localName) needs a base")
            }
            let isRestriction = derivation.localName == "restriction"
            var definition = ComplexTypeDefinition(name: name, documentation: documentation, base: base, baseIsComplexContent: false,
                                                   content: .simple(.named(base, derivation.location)),
                                                   attributes: try parseAttributes(in: derivation, context), mixed: false,
                                                   origin: context.origin(element))
            definition.isAbstract = isAbstract
            definition.isRestriction = isRestriction
            definition.acceptsAnyAttribute = try hasAttributeWildcard(in: derivation)
            if isRestriction { definition.prohibitedAttributes = try prohibitedAttributes(in: derivation, context) }
            return definition
        }
        if let complexContent = element.child(Namespaces.xsd, "complexContent") {
            guard let derivation = complexContent.child(Namespaces.xsd, "extension") ?? complexContent.child(Namespaces.xsd, "restriction") else {
                throw complexContent.error("complexContent needs an extension or a restriction")
            }
            guard let base = try derivation.qualifiedName("base") else {
                throw derivation.error("\(derivation.localName) needs a base")
            }
            let isRestriction = derivation.localName == "restriction"
            var definition = ComplexTypeDefinition(name: name, documentation: documentation, base: base, baseIsComplexContent: true,
                                                   content: .particles(try parseParticles(in: derivation, context)),
                                                   attributes: try parseAttributes(in: derivation, context),
                                                   mixed: mixed || complexContent.attribute("mixed") == "true",
                                                   origin: context.origin(element))
            definition.isAbstract = isAbstract
            definition.isRestriction = isRestriction
            definition.acceptsAnyAttribute = try hasAttributeWildcard(in: derivation)
            if isRestriction { definition.prohibitedAttributes = try prohibitedAttributes(in: derivation, context) }
            return definition
        }
        var definition = ComplexTypeDefinition(name: name, documentation: documentation, base: nil, baseIsComplexContent: true,
                                               content: .particles(try parseParticles(in: element, context)),
                                               attributes: try parseAttributes(in: element, context), mixed: mixed,
                                               origin: context.origin(element))
        definition.isAbstract = isAbstract
        definition.acceptsAnyAttribute = try hasAttributeWildcard(in: element)
        return definition
    }

    /// The attributes a restriction removes from its base.
    private func prohibitedAttributes(in derivation: SourceElement, _ context: SchemaContext) throws -> [QualifiedName] {
        try derivation.children(Namespaces.xsd, "attribute").filter { $0.attribute("use") == "prohibited" }.compactMap { attribute in
            if let reference = try attribute.qualifiedName("ref") { return reference }
            guard let local = attribute.attribute("name") else { return nil }
            let qualified = attribute.attribute("form").map { $0 == "qualified" } ?? context.attributesQualified
            return QualifiedName(qualified ? context.targetNamespace : nil, local)
        }
    }

    private func parseParticles(in parent: SourceElement, _ context: SchemaContext) throws -> [Particle] {
        var particles: [Particle] = []
        for child in parent.children where child.namespace == Namespaces.xsd {
            switch child.localName {
            case "sequence", "choice", "all", "group", "element", "any":
                particles.append(try parseParticle(child, context))
            case "attribute", "attributeGroup", "annotation":
                continue
            case "anyAttribute":
                // Extra attributes are accepted on decode; they are not kept.
                continue
            default:
                throw Diagnostic.unsupported("xs:\(child.localName) in a content model", at: child.location)
            }
        }
        return particles
    }

    private func occurs(_ element: SourceElement) throws -> Occurs {
        func number(_ name: String, default value: Int) throws -> Int? {
            guard let text = element.attribute(name)?.trimmingXMLWhitespace else { return value }
            if name == "maxOccurs", text == "unbounded" { return nil }
            guard let parsed = Int(text), parsed >= 0 else {
                throw element.error("\(name)=\"\(text)\" is not a valid occurrence count")
            }
            return parsed
        }
        let min = try number("minOccurs", default: 1) ?? 1
        let max = try number("maxOccurs", default: 1)
        if let max, max < min { throw element.error("maxOccurs is smaller than minOccurs") }
        return Occurs(min: min, max: max)
    }

    private func parseParticle(_ element: SourceElement, _ context: SchemaContext) throws -> Particle {
        let occurs = try occurs(element)
        switch element.localName {
        case "element":
            return Particle(occurs: occurs, term: .element(try parseLocalElement(element, context)), location: element.location)
        case "sequence":
            return Particle(occurs: occurs, term: .sequence(try parseParticles(in: element, context)), location: element.location)
        case "choice":
            return Particle(occurs: occurs, term: .choice(try parseParticles(in: element, context)), location: element.location)
        case "all":
            return Particle(occurs: occurs, term: .all(try parseParticles(in: element, context)), location: element.location)
        case "any":
            let constraint: Wildcard
            switch element.attribute("namespace")?.trimmingXMLWhitespace ?? "##any" {
            case "##any": constraint = .any
            case "##other": constraint = .other
            case "##local": constraint = .local
            case let list:
                constraint = .list(list.split(separator: " ").map { token in
                    switch token {
                    case "##local": return nil
                    case "##targetNamespace": return context.targetNamespace
                    default: return String(token)
                    }
                })
            }
            return Particle(occurs: occurs, term: .wildcard(WildcardParticle(constraint: constraint, targetNamespace: context.targetNamespace)),
                            location: element.location)
        case "group":
            guard let reference = try element.qualifiedName("ref"), let declared = modelGroups[reference] else {
                throw element.error("group reference does not resolve to a named group")
            }
            let inner = try parseParticles(in: declared.element, declared.context)
            guard inner.count == 1 else { throw declared.element.error("a named group must hold one sequence, choice or all") }
            var particle = inner[0]
            particle.occurs = occurs
            return particle
        default:
            throw Diagnostic.unsupported("xs:\(element.localName) as a particle", at: element.location)
        }
    }

    // MARK: attributes

    private func parseAttributes(in parent: SourceElement, _ context: SchemaContext) throws -> [AttributeUse] {
        var uses: [AttributeUse] = []
        for child in parent.children where child.namespace == Namespaces.xsd {
            switch child.localName {
            case "attribute":
                if child.attribute("use") == "prohibited" { continue }
                uses.append(try parseAttribute(child, context))
            case "attributeGroup":
                guard let reference = try child.qualifiedName("ref"), let declared = attributeGroups[reference] else {
                    throw child.error("attributeGroup reference does not resolve to a named attribute group")
                }
                uses += try parseAttributes(in: declared.element, declared.context)
            default: continue
            }
        }
        return uses
    }

    /// `xs:anyAttribute` among `parent`'s attribute declarations, directly or through attribute groups.
    private func hasAttributeWildcard(in parent: SourceElement, depth: Int = 0) throws -> Bool {
        guard depth < 32 else { throw parent.error("attribute groups refer to each other in a circle") }
        for child in parent.children where child.namespace == Namespaces.xsd {
            switch child.localName {
            case "anyAttribute": return true
            case "attributeGroup":
                if let reference = try child.qualifiedName("ref"), let declared = attributeGroups[reference],
                   try hasAttributeWildcard(in: declared.element, depth: depth + 1) {
                    return true
                }
            default: continue
            }
        }
        return false
    }

    private func parseAttribute(_ element: SourceElement, _ context: SchemaContext) throws -> AttributeUse {
        let required = element.attribute("use") == "required"
        if let reference = try element.qualifiedName("ref") {
            if reference.namespace == XMLName.xmlNamespace, globalAttributes[reference] == nil {
                // xml:lang and friends are predeclared by the XML namespace itself.
                return AttributeUse(name: reference, type: .named(QualifiedName(Namespaces.xsd, "string"), element.location),
                                    required: required, documentation: element.documentation(Namespaces.xsd), location: element.location)
            }
            guard let declared = globalAttributes[reference] else {
                throw element.error("attribute reference \(reference) does not resolve to a global attribute")
            }
            var use = AttributeUse(name: reference, type: try typeReference(of: declared.element, declared.context, anyFallback: "anySimpleType"),
                                   required: required,
                                   documentation: element.documentation(Namespaces.xsd) ?? declared.element.documentation(Namespaces.xsd),
                                   location: element.location)
            use.valueConstraint = try valueConstraint(of: element) ?? valueConstraint(of: declared.element)
            return use
        }
        guard let local = element.attribute("name") else { throw element.error("xs:attribute needs a name or a ref") }
        let qualified: Bool
        switch element.attribute("form") {
        case "qualified"?: qualified = true
        case "unqualified"?: qualified = false
        default: qualified = context.attributesQualified
        }
        var use = AttributeUse(name: QualifiedName(qualified ? context.targetNamespace : nil, local),
                               type: try typeReference(of: element, context, anyFallback: "anySimpleType"),
                               required: required, documentation: element.documentation(Namespaces.xsd), location: element.location)
        use.valueConstraint = try valueConstraint(of: element)
        return use
    }

    private func valueConstraint(of element: SourceElement) throws -> ValueConstraint? {
        switch (element.attribute("default"), element.attribute("fixed")) {
        case (let value?, nil): return .defaultValue(value)
        case (nil, let value?): return .fixed(value)
        case (nil, nil): return nil
        case (_?, _?): throw element.error("an attribute cannot have both default and fixed")
        }
    }

    // MARK: simple types

    private func parseSimpleType(_ element: SourceElement, _ context: SchemaContext, name: QualifiedName?) throws -> SimpleTypeDefinition {
        let documentation = element.documentation(Namespaces.xsd)
        if let restriction = element.child(Namespaces.xsd, "restriction") {
            let base: TypeReference
            if let named = try restriction.qualifiedName("base") {
                base = .named(named, restriction.location)
            } else if let inner = restriction.child(Namespaces.xsd, "simpleType") {
                base = .anonymousSimple(try parseSimpleType(inner, context, name: nil))
            } else {
                throw restriction.error("a restriction needs a base")
            }
            var facets = Facets()
            for facet in restriction.children where facet.namespace == Namespaces.xsd {
                let value = facet.attribute("value")
                func integer() throws -> Int {
                    guard let value, let number = Int(value.trimmingXMLWhitespace), number >= 0 else {
                        throw facet.error("facet \(facet.localName) needs a non-negative integer value")
                    }
                    return number
                }
                switch facet.localName {
                case "annotation", "simpleType": continue
                case "enumeration": facets.enumeration.append(value ?? "")
                case "pattern":
                    guard let value, XSDPattern.validated(value) != nil else {
                        throw facet.error("pattern \"\(value ?? "")\" is not a valid XML Schema regular expression")
                    }
                    facets.patterns.append(value)
                case "length": facets.length = try integer()
                case "minLength": facets.minLength = try integer()
                case "maxLength": facets.maxLength = try integer()
                case "minInclusive": facets.minInclusive = value
                case "maxInclusive": facets.maxInclusive = value
                case "minExclusive": facets.minExclusive = value
                case "maxExclusive": facets.maxExclusive = value
                case "totalDigits": facets.totalDigits = try integer()
                case "fractionDigits": facets.fractionDigits = try integer()
                case "whiteSpace":
                    guard let value, let facet = WhiteSpaceFacet(rawValue: value) else {
                        throw facet.error("whiteSpace must be preserve, replace or collapse, not \"\(value ?? "")\"")
                    }
                    facets.whiteSpace = facet
                default:
                    throw Diagnostic.unsupported("facet xs:\(facet.localName)", at: facet.location)
                }
            }
            return SimpleTypeDefinition(name: name, documentation: documentation,
                                        variety: .restriction(base: base, facets: facets), origin: context.origin(element))
        }
        if let list = element.child(Namespaces.xsd, "list") {
            let item: TypeReference
            if let named = try list.qualifiedName("itemType") {
                item = .named(named, list.location)
            } else if let inner = list.child(Namespaces.xsd, "simpleType") {
                item = .anonymousSimple(try parseSimpleType(inner, context, name: nil))
            } else {
                throw list.error("a list needs an itemType")
            }
            return SimpleTypeDefinition(name: name, documentation: documentation, variety: .list(item: item), origin: context.origin(element))
        }
        if let union = element.child(Namespaces.xsd, "union") {
            var members: [TypeReference] = []
            for token in (union.attribute("memberTypes") ?? "").split(separator: " ") {
                members.append(.named(try union.resolve(String(token)), union.location))
            }
            for inner in union.children(Namespaces.xsd, "simpleType") {
                members.append(.anonymousSimple(try parseSimpleType(inner, context, name: nil)))
            }
            guard !members.isEmpty else { throw union.error("a union needs member types") }
            return SimpleTypeDefinition(name: name, documentation: documentation, variety: .union(members: members), origin: context.origin(element))
        }
        throw element.error("a simpleType needs a restriction, list or union")
    }
}

import SOAPRuntime
