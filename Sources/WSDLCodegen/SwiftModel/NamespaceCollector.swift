import SOAPRuntime

/// Finds, for every message (root element) type, all the namespaces its content can use, so the
/// writer declares each once on the message element with a readable prefix taken from the
/// schemas (`ds`, `etee`, ...) instead of again on every element that needs it.
enum NamespaceCollector {
    static func apply(to files: [SwiftFile], preferredPrefixes: [String: String]) -> [SwiftFile] {
        var direct: [String: [String]] = [:]
        var references: [String: [String]] = [:]
        for declaration in files.flatMap(\.declarations) {
            switch declaration {
            case .structure(let structure):
                var namespaces = structure.attributes.compactMap(\.name.namespace)
                var types = structure.attributes.map(\.valueType)
                if let root = structure.rootElement?.namespace { namespaces.insert(root, at: 0) }
                switch structure.body {
                case .simpleValue(_, let valueType): types.append(valueType)
                case .content(let steps): collect(steps, &namespaces, &types)
                }
                direct[structure.name] = namespaces
                references[structure.name] = types
            case .choice(let choice):
                var namespaces: [String] = []
                var types: [String] = []
                for choiceCase in choice.cases {
                    switch choiceCase.kind {
                    case .element(let name, _, _):
                        if let namespace = name.namespace { namespaces.append(namespace) }
                        types.append(String(choiceCase.payloadType.prefix { $0 != "?" }))
                    case .group(let structType): types.append(structType)
                    case .wildcard: continue
                    }
                }
                direct[choice.name] = namespaces
                references[choice.name] = types
            case .polymorphic(let polymorphic):
                // xsi:type values name the derived types: their namespaces are declared up front too.
                direct[polymorphic.name] = polymorphic.cases.compactMap(\.xmlType.namespace)
                references[polymorphic.name] = polymorphic.cases.map(\.swiftType)
            default:
                continue
            }
        }
        func closure(of start: String) -> [String] {
            var seenTypes: Set<String> = []
            var seenNamespaces: Set<String> = []
            var ordered: [String] = []
            var stack = [start]
            while !stack.isEmpty {
                let current = stack.removeFirst()
                guard seenTypes.insert(current).inserted else { continue }
                for namespace in direct[current] ?? [] where namespace != XMLName.xmlNamespace {
                    if seenNamespaces.insert(namespace).inserted { ordered.append(namespace) }
                }
                stack += references[current] ?? []
            }
            return ordered
        }
        return files.map { file in
            var file = file
            file.declarations = file.declarations.map { declaration in
                guard case .structure(var structure) = declaration, structure.rootElement != nil else { return declaration }
                structure.namespaces = closure(of: structure.name).map { ($0, preferredPrefixes[$0] ?? "") }
                return .structure(structure)
            }
            return file
        }
    }

    private static func collect(_ steps: [ContentStep], _ namespaces: inout [String], _ types: inout [String]) {
        for step in steps {
            switch step {
            case .element(_, let name, let valueType, _, _, _):
                if let namespace = name.namespace { namespaces.append(namespace) }
                types.append(valueType)
            case .wildcard: continue
            case .choice(_, let enumType, _, _): types.append(enumType)
            case .group(_, let structType, _, _): types.append(structType)
            case .optionalGroup(let members, _): collect(members, &namespaces, &types)
            case .all(let members):
                for member in members {
                    if let namespace = member.name.namespace { namespaces.append(namespace) }
                    types.append(member.valueType)
                }
            }
        }
    }
}
