/// Value types cannot contain themselves: a schema type that nests itself without an array in
/// between (commons core's StatusCode holds an optional StatusCode) gets that property boxed with
/// `@Indirect`, and a recursive choice becomes an `indirect enum`.
enum RecursionBreaker {
    static func apply(to files: [SwiftFile]) -> [SwiftFile] {
        var edges: [String: Set<String>] = [:]
        for declaration in files.flatMap(\.declarations) {
            switch declaration {
            case .structure(let structure):
                edges[structure.name] = Set(structure.properties.compactMap { directType($0.type) })
            case .choice(let choice):
                edges[choice.name] = Set(choice.cases.compactMap { directType($0.payloadType) })
            case .polymorphic(let polymorphic):
                edges[polymorphic.name] = Set(polymorphic.cases.map(\.swiftType))
            default:
                continue
            }
        }
        func reaches(_ start: String, _ target: String) -> Bool {
            var seen: Set<String> = []
            var stack = [start]
            while let current = stack.popLast() {
                if current == target { return true }
                guard seen.insert(current).inserted else { continue }
                stack += edges[current] ?? []
            }
            return false
        }
        return files.map { file in
            var file = file
            file.declarations = file.declarations.map { declaration in
                switch declaration {
                case .structure(var structure):
                    structure.properties = structure.properties.map { property in
                        var property = property
                        if let type = directType(property.type), reaches(type, structure.name) { property.isIndirect = true }
                        return property
                    }
                    return .structure(structure)
                case .choice(var choice):
                    choice.isIndirect = choice.cases.contains { directType($0.payloadType).map { reaches($0, choice.name) } ?? false }
                    return .choice(choice)
                case .polymorphic(var polymorphic):
                    polymorphic.isIndirect = polymorphic.cases.contains { reaches($0.swiftType, polymorphic.name) }
                    return .polymorphic(polymorphic)
                default:
                    return declaration
                }
            }
            return file
        }
    }

    /// The type stored inline: `T`, `T?` or `T??` give `T`; arrays store on the heap already.
    private static func directType(_ type: String) -> String? {
        var name = Substring(type)
        while name.hasSuffix("?") { name = name.dropLast() }
        return name.hasPrefix("[") ? nil : String(name)
    }
}
