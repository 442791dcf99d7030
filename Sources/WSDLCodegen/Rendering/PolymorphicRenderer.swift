import SOAPRuntime

/// Renders the enum that stands for a type with derived types: decoding picks the case that the
/// element's `xsi:type` names, encoding writes `xsi:type` for every case but the base itself.
extension SwiftRenderer {
    static func renderPolymorphic(_ value: SwiftPolymorphic, _ writer: inout CodeWriter) {
        let derivedList = value.cases.filter { $0.xmlType != value.baseXMLType }.map(\.swiftType)
        writer.documentation(value.baseIsAbstract
            ? "A value of a type derived from the abstract \(value.baseTypeName), chosen by the element's xsi:type."
            : "A \(value.baseTypeName), or a type derived from it chosen by the element's xsi:type.")
        if !derivedList.isEmpty { writer.documentation("Known derived types: \(derivedList.joined(separator: ", ")).") }
        writer.block("public \(value.isIndirect ? "indirect " : "")enum \(value.name): XMLContentCodable, Equatable") { writer in
            for polymorphicCase in value.cases {
                writer.line("case \(SwiftNaming.escaped(polymorphicCase.name))(\(polymorphicCase.swiftType))")
            }
            writer.documentation("A derived type these bindings do not know, kept as XML; it is written back unchanged.")
            writer.line("case unknown(AnyXMLElement)")
            writer.line()
            writer.line("public static let baseType = \(name(value.baseXMLType))")
            writer.line()
            writer.block("public init(xmlElement element: XMLElement) throws") { writer in
                writer.line("switch try element.xsiType() {")
                var baseHandled = false
                for polymorphicCase in value.cases {
                    let pattern = "XMLName(\(qualified(polymorphicCase.xmlType)))?"
                    let label = polymorphicCase.xmlType == value.baseXMLType ? "nil, \(pattern)" : pattern
                    if polymorphicCase.xmlType == value.baseXMLType { baseHandled = true }
                    writer.line("case \(label): self = .\(SwiftNaming.escaped(polymorphicCase.name))(try \(polymorphicCase.swiftType)(xmlElement: element))")
                }
                if !baseHandled {
                    writer.line("case nil: throw XMLError(.invalidContent, \"element \\(element.localName) has the abstract type \(value.baseXMLType.localName): it needs an xsi:type\", path: element.path, line: element.line)")
                }
                writer.line("default: self = .unknown(AnyXMLElement(keepingNamespacesInScope: element))")
                writer.line("}")
            }
            writer.line()
            writer.block("public func writeContent(to writer: inout XMLWriter) throws") { writer in
                writer.line("switch self {")
                for polymorphicCase in value.cases {
                    if polymorphicCase.xmlType == value.baseXMLType {
                        writer.line("case .\(SwiftNaming.escaped(polymorphicCase.name))(let value): try value.writeContent(to: &writer)")
                    } else {
                        writer.line("case .\(SwiftNaming.escaped(polymorphicCase.name))(let value):")
                        writer.line("    writer.xsiType(\(name(polymorphicCase.xmlType)))")
                        writer.line("    try value.writeContent(to: &writer)")
                    }
                }
                writer.line("case .unknown(let value): try writer.content(of: value)")
                writer.line("}")
            }
        }
    }
}
