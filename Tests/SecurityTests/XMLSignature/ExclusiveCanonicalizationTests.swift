import Foundation
import Testing
@testable import Security

@Suite struct ExclusiveCanonicalizationTests {
    let c14n = ExclusiveCanonicalization()

    func canonical(_ xml: String, id: String? = nil, excluding excluded: String? = nil, prefixes: [String] = []) throws -> String {
        let document = try CanonicalizationDocument(parsing: xml)
        let canonicalization = ExclusiveCanonicalization(inclusivePrefixes: prefixes)
        guard let id else { return String(decoding: try canonicalization.canonicalize(document), as: UTF8.self) }
        let element = try #require(document.element(withID: id))
        guard let excluded else { return String(decoding: try canonicalization.canonicalize(element), as: UTF8.self) }
        let signature = try #require(element.firstDescendant("http://www.w3.org/2000/09/xmldsig#", excluded))
        return String(decoding: try canonicalization.canonicalize(element, excludingSignature: signature), as: UTF8.self)
    }

    /// lxml (which bundles its own, newer libxml2) on the same input: `select` is an Id, or
    /// "#document"; `exclude` removes the first ds element of that name below it, keeping the
    /// text that followed it (the enveloped transform removes an element, not its neighbours).
    func lxml(_ xml: String, select: String = "#document", exclude: String = "", prefixes: [String] = []) throws -> String {
        let folder = try XMLSignatureFixtures.temporaryFolder()
        let file = try XMLSignatureFixtures.write(xml, to: folder, "input.xml")
        let script = """
        import sys, base64
        from lxml import etree
        path, select, exclude, prefixes = sys.argv[1:5]
        tree = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
        target = tree if select == "#document" else tree.xpath("//*[@Id=$v]", v=select)[0]
        if exclude:
            node = target.find(".//{http://www.w3.org/2000/09/xmldsig#}" + exclude)
            parent, previous = node.getparent(), node.getprevious()
            if previous is not None: previous.tail = (previous.tail or "") + (node.tail or "")
            else: parent.text = (parent.text or "") + (node.tail or "")
            node.tail = None
            parent.remove(node)
        out = etree.tostring(target, method="c14n", exclusive=True, with_comments=False,
                             inclusive_ns_prefixes=prefixes.split() or None)
        sys.stdout.write(base64.b64encode(out).decode())
        """
        let result = try XMLSignatureFixtures.run("/usr/bin/env", ["python3", "-c", script, file.path, select, exclude, prefixes.joined(separator: " ")])
        try #require(result.succeeded, "lxml failed: \(result.error)")
        return String(decoding: try #require(Data(base64Encoded: result.output)), as: UTF8.self)
    }

    // MARK: known vectors

    /// The example of the Exclusive XML Canonicalization recommendation, section 2.2: the same
    /// element in two contexts canonicalizes identically (inclusive C14N would drag n0/n2 in).
    @Test func w3cExampleIsIndependentOfTheContext() throws {
        let first = """
        <n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org">
          <n1:elem2 Id="e" xmlns:n1="http://example.net" xml:lang="en">
            <n3:stuff xmlns:n3="ftp://example.org"/>
          </n1:elem2>
        </n0:local>
        """
        let second = """
        <n2:pdu xmlns:n1="http://example.com" xmlns:n2="http://foo.example" xml:lang="fr" xml:space="retain">
          <n1:elem2 Id="e" xmlns:n1="http://example.net" xml:lang="en">
            <n3:stuff xmlns:n3="ftp://example.org"/>
          </n1:elem2>
        </n2:pdu>
        """
        let expected = "<n1:elem2 xmlns:n1=\"http://example.net\" Id=\"e\" xml:lang=\"en\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>"
        #expect(try canonical(first, id: "e") == expected)
        #expect(try canonical(second, id: "e") == expected)
        #expect(try lxml(second, select: "e") == expected)
    }

    /// The C14N rules in one document: declaration, comments and the DOCTYPE-less prolog
    /// dropped, PIs kept with their line breaks, namespaces and attributes sorted, unused
    /// namespaces dropped, empty elements opened and closed, CDATA as escaped text, special
    /// characters in text and attributes escaped as the recommendation says.
    @Test func generalRulesVector() throws {
        let input = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- comment before -->
        <?pi-before data?>
        <doc xmlns="urn:default" xmlns:b="urn:b" xmlns:a="urn:a" b:attr="2" a:attr="1" plain="x">
           <a:e1   z="&#x9;tab&#xA;nl" y='single"quote'  />
           <e2>text &amp; &lt;tag&gt; &#xD; "q" 'a'</e2>
           <![CDATA[cdata <&> ]]>
           <!-- inner comment -->
           <e3 xmlns:unused="urn:unused"/>
        </doc>
        <?pi-after?>
        """
        let expected = "<?pi-before data?>\n"
            + "<doc xmlns=\"urn:default\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" plain=\"x\" a:attr=\"1\" b:attr=\"2\">\n"
            + "   <a:e1 y=\"single&quot;quote\" z=\"&#x9;tab&#xA;nl\"></a:e1>\n"
            + "   <e2>text &amp; &lt;tag&gt; &#xD; \"q\" 'a'</e2>\n"
            + "   cdata &lt;&amp;&gt; \n"
            + "   \n"
            + "   <e3></e3>\n"
            + "</doc>\n"
            + "<?pi-after?>"
        #expect(try canonical(input) == expected)
        #expect(try lxml(input) == expected)
    }

    @Test func inclusiveNamespacesPrefixListIncludingDefault() throws {
        let input = """
        <a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:default"><a:child Id="c">x<plain/></a:child></a:root>
        """
        // Only what the subtree uses...
        #expect(try canonical(input, id: "c") == "<a:child xmlns:a=\"urn:a\" Id=\"c\">x<plain xmlns=\"urn:default\"></plain></a:child>")
        // ...plus the listed prefixes, wherever in scope; #default names the default namespace.
        #expect(try canonical(input, id: "c", prefixes: ["b"]) == "<a:child xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" Id=\"c\">x<plain xmlns=\"urn:default\"></plain></a:child>")
        #expect(try canonical(input, id: "c", prefixes: ["#default", "b"]) == "<a:child xmlns=\"urn:default\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" Id=\"c\">x<plain></plain></a:child>")
        // lxml passes on only prefixes its document dictionary knows, so it drops "#default";
        // xmlsec1 is the reference for that one (below).
        for prefixes in [[], ["b"]] {
            #expect(try canonical(input, id: "c", prefixes: prefixes) == lxml(input, select: "c", prefixes: prefixes))
        }
        #expect(ExclusiveCanonicalization(prefixList: " #default\tb \n").inclusivePrefixes == ["#default", "b"])
        #expect(ExclusiveCanonicalization(prefixList: "#default b").prefixList == "#default b")
    }

    /// xmlsec1 prints the bytes it digests for a Reference whose exclusive C14N transform has
    /// `InclusiveNamespaces PrefixList="#default b"`: they must be ours.
    @Test func inclusiveNamespacesWithDefaultAgreeWithXmlsec1() throws {
        let template = """
        <a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:default"><a:child Id="c">x<plain/><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">\
        <ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\
        <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#c"><ds:Transforms>\
        <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">\
        <ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="#default b"/></ds:Transform></ds:Transforms>\
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>\
        <ds:SignatureValue></ds:SignatureValue></ds:Signature></a:child></a:root>
        """
        let folder = try XMLSignatureFixtures.temporaryFolder()
        let file = try XMLSignatureFixtures.write(template, to: folder, "template.xml")
        let key = try XMLSignatureFixtures.write(TestPKI.privateKeyPEM(TestPKI.eHealthOrganization), to: folder, "key.pem")
        let result = try XMLSignatureFixtures.run(XMLSignatureInteropTests.xmlsec1, [
            "--sign", "--privkey-pem", key.path, "--id-attr:Id", "urn:a:child", "--store-references", "--print-debug",
            "--output", folder.appendingPathComponent("signed.xml").path, file.path,
        ])
        try #require(result.succeeded, "xmlsec1: \(result.error)")
        let ours = try canonical(template, id: "c", excluding: "Signature", prefixes: ["#default", "b"])
        #expect(ours == "<a:child xmlns=\"urn:default\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" Id=\"c\">x<plain></plain></a:child>")
        #expect(result.output.contains(ours), "xmlsec1 digested something else: \(result.output)")
    }

    @Test func envelopedTransformRemovesTheSignatureAndKeepsItsNeighbours() throws {
        let input = """
        <r:Request xmlns:r="urn:r" Id="req" IssueInstant="2026-01-01T00:00:00Z">
          <r:Value>v</r:Value>
          <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:unused="urn:u"><ds:SignedInfo><r:Inside/></ds:SignedInfo></ds:Signature>
        </r:Request>
        """
        let expected = "<r:Request xmlns:r=\"urn:r\" Id=\"req\" IssueInstant=\"2026-01-01T00:00:00Z\">\n  <r:Value>v</r:Value>\n  \n</r:Request>"
        #expect(try canonical(input, id: "req", excluding: "Signature") == expected)
        #expect(try lxml(input, select: "req", exclude: "Signature") == expected)
    }

    /// The signature's own namespace declarations (here on the request element) never show in
    /// the canonical form of the rest, so where a writer puts them cannot change the digest.
    @Test func namespacesOnlyTheSignatureUsesAreNotRendered() throws {
        let declaredOnRoot = """
        <r:Request xmlns:r="urn:r" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="req"><r:Value>v</r:Value><ds:Signature><ds:SignedInfo/></ds:Signature></r:Request>
        """
        let declaredOnSignature = """
        <r:Request xmlns:r="urn:r" Id="req"><r:Value>v</r:Value><dsig:Signature xmlns:dsig="http://www.w3.org/2000/09/xmldsig#"><dsig:SignedInfo/></dsig:Signature></r:Request>
        """
        let expected = "<r:Request xmlns:r=\"urn:r\" Id=\"req\"><r:Value>v</r:Value></r:Request>"
        #expect(try canonical(declaredOnRoot, id: "req", excluding: "Signature") == expected)
        #expect(try canonical(declaredOnSignature, id: "req", excluding: "Signature") == expected)
    }

    @Test func aSubtreeWithoutExclusionAgreesWithLXML() throws {
        let request = try XMLSignatureFixtures.generateCertificate().xmlDocument()
        let document = try CanonicalizationDocument(parsing: request)
        let ours = String(decoding: try c14n.canonicalize(document.documentElement), as: UTF8.self)
        #expect(ours == (try lxml(request, select: "_c0ffee00-1111-4222-8333-444455556666")))
        #expect(ours.contains("&lt;p&gt;Je soussigné"))
    }

    // MARK: hostile input

    @Test func refusesDoctypesAndMalformedXML() {
        let inputs = [
            "<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>",
            "<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><x/>",
            "<x><y></x>",
            "",
        ]
        for input in inputs {
            #expect(throws: SecurityError.self) {
                do {
                    _ = try CanonicalizationDocument(parsing: input)
                } catch let error as SecurityError {
                    #expect(error.code == .malformedXML)
                    throw error
                }
            }
        }
    }

    @Test func refusesDocumentsOverTheSizeLimit() {
        #expect(throws: SecurityError.self) {
            _ = try CanonicalizationDocument(parsing: "<x>" + String(repeating: "a", count: 2000) + "</x>", limits: .init(maximumBytes: 1000))
        }
    }
}
