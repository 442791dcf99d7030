/// Swift spellings of XML names: types in UpperCamelCase, members in lowerCamelCase, keywords escaped.
enum SwiftNaming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
        "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "async", "some", "any", "Type",
        "Protocol",
    ]

    /// Member names the generated code uses for its own locals and parameters, besides keywords.
    static let memberReserved: Set<String> = keywords.union(["cursor", "element", "writer", "found", "item"])

    /// Type names the generated code itself relies on; a schema type with one of these names is renamed.
    static let reservedTypeNames: Set<String> = [
        "String", "Bool", "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64",
        "Double", "Float", "Decimal", "Data", "Date", "URL", "Error", "Optional", "Array", "Dictionary", "Set", "Result",
        "Never", "Sendable", "Equatable", "Hashable", "Character", "Any", "Self", "Type", "Protocol", "Foundation",
        "XMLElement", "XMLWriter", "XMLName", "XMLError", "XMLDocument", "XMLChildCursor", "XMLContentCodable",
        "XMLSimpleValue", "XMLWildcard", "XMLFacets", "XSDPattern", "XSDateTime", "XSDate", "HexBinary", "AnyXMLElement",
        "XMLRootElement", "XMLGroupCheck", "SOAPClient", "SOAPOperation", "SOAPRuntime", "Indirect",
        // The module-wide operations table (OperationsTableRenderer).
        "ServiceOperation",
    ]

    /// Splits on anything that is not a letter or digit.
    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    static func typeName(_ text: String) -> String {
        var name = words(text).map { word in
            word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
        if name.isEmpty { name = "Unnamed" }
        if name.first!.isNumber { name = "T" + name }
        if reservedTypeNames.contains(name) { name += "Value" }
        return name
    }

    /// `PublicKeyIdentifier` → `publicKeyIdentifier`, `SSIN` → `ssin`, `ETKStatus` → `etkStatus`,
    /// `IN_PROGRESS` → `inProgress`.
    static func memberName(_ text: String) -> String {
        let parts = words(text)
        var result = ""
        for (index, word) in parts.enumerated() {
            if index == 0 {
                result += lowerLeadingCapitals(word)
            } else if word == word.uppercased() {
                result += word.prefix(1) + word.dropFirst().lowercased()
            } else {
                result += word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        if result.isEmpty { result = "empty" }
        if result.first!.isNumber { result = "_" + result }
        return result
    }

    private static func lowerLeadingCapitals(_ word: String) -> String {
        let characters = Array(word)
        if word == word.uppercased() { return word.lowercased() }
        var run = 0
        while run < characters.count, characters[run].isUppercase { run += 1 }
        if run <= 1 { return characters.prefix(1).map { $0.lowercased() }.joined() + String(characters.dropFirst()) }
        // "ETKStatus": the last capital starts the next word.
        let followedByLower = run < characters.count && characters[run].isLowercase
        let lowered = followedByLower ? run - 1 : run
        return String(characters.prefix(lowered)).lowercased() + String(characters.dropFirst(lowered))
    }

    static func escaped(_ member: String) -> String {
        keywords.contains(member) ? "`\(member)`" : member
    }

    /// A Swift string literal.
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += "\\u{\(String(scalar.value, radix: 16))}" }
                else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }

    static func literal(_ text: String?) -> String {
        text.map { literal($0) } ?? "nil"
    }
}

/// Hands out unique names within one scope (a struct's members, or the module's types).
struct NameAllocator {
    private var used: Set<String>

    init(reserved: Set<String> = []) { used = reserved }

    mutating func claim(_ preferred: String, suffix: String = "") -> String {
        if !used.contains(preferred) {
            used.insert(preferred)
            return preferred
        }
        if !suffix.isEmpty, !used.contains(preferred + suffix) {
            used.insert(preferred + suffix)
            return preferred + suffix
        }
        var index = 2
        while used.contains("\(preferred)\(suffix)\(index)") { index += 1 }
        let name = "\(preferred)\(suffix)\(index)"
        used.insert(name)
        return name
    }

    func contains(_ name: String) -> Bool { used.contains(name) }
}
