import Foundation
import Testing
@testable import SOAPRuntime

private struct Note: XMLRootElement, Equatable {
    static let rootElementName = XMLName("urn:test:note", "Note")
    static let xmlNamespaces = [XMLNamespaceDeclaration("urn:test:note", prefix: "n"), XMLNamespaceDeclaration("urn:test:other", prefix: "o")]
    var lines: [String]
    var language: String?

    init(lines: [String], language: String? = nil) {
        self.lines = lines
        self.language = language
    }

    init(xmlElement element: XMLElement) throws {
        language = try element.optionalAttribute("lang", namespace: XMLName.xmlNamespace, as: String.self)
        var cursor = XMLChildCursor(element)
        lines = try cursor.repeated("urn:test:other", "Line", min: 0, max: nil, as: String.self)
        try cursor.finish()
    }

    func writeContent(to writer: inout XMLWriter) throws {
        writer.attribute(XMLName(XMLName.xmlNamespace, "lang"), language)
        try writer.elements(XMLName("urn:test:other", "Line"), lines)
    }
}

@Suite struct XMLWriterTests {
    @Test func aMessageDeclaresItsNamespacesOnceWithItsPrefixes() throws {
        let text = try Note(lines: ["a", "b", "c"], language: "fr").xmlDocument()
        #expect(text == #"<n:Note xmlns:n="urn:test:note" xmlns:o="urn:test:other" xml:lang="fr"><o:Line>a</o:Line><o:Line>b</o:Line><o:Line>c</o:Line></n:Note>"#)
        #expect(try Note(xmlDocument: text) == Note(lines: ["a", "b", "c"], language: "fr"))
    }

    @Test func specialCharactersAreEscapedAndComeBack() throws {
        let original = Note(lines: ["<&>\"'\r\n\t", "é ü 𝄞"])
        let text = try original.xmlDocument()
        #expect(text.contains("&lt;&amp;&gt;\"'&#13;"))
        #expect(try Note(xmlDocument: text) == original)
    }

    @Test(arguments: ["\u{0}", "bell\u{7}", "\u{1B}[31m", "\u{FFFE}", "x\u{FFFF}"])
    func charactersXMLCannotCarryAreRefused(_ value: String) throws {
        let error = try #require(throws: XMLError.self) { try Note(lines: ["ok", value]).xmlDocument() }
        #expect(error.code == .invalidValue)
    }

    @Test func aPrefixAlreadyBoundToAnotherNamespaceIsNotReused() throws {
        var writer = XMLWriter(preferredPrefixes: ["urn:b": "p"])
        writer.startElement(XMLName("urn:a", "Outer"), declaring: [XMLNamespaceDeclaration("urn:a", prefix: "p")])
        writer.startElement(XMLName("urn:b", "Inner"))
        writer.endElement()
        writer.endElement()
        #expect(writer.output == #"<p:Outer xmlns:p="urn:a"><ns1:Inner xmlns:ns1="urn:b"/></p:Outer>"#)
        let root = try XMLDocument(parsing: writer.output).root
        #expect(root.firstChild?.name == XMLName("urn:b", "Inner"))
    }
}
