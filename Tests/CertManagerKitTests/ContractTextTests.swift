import CertManagerKit
import Testing

@Suite("The contract's HTML as terminal text")
struct ContractTextTests {
    @Test("head, title and scripts are hidden; blocks become paragraphs; entities are decoded")
    func rendering() {
        let html = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Contrat eHealth</title>
        <style>p { color: red }</style><script>alert(1)</script></head><body>
        <h1>Demande de certificat</h1>
        <p>Je soussign&eacute;(e), Jean   DUPONT (NISS&nbsp;85073003328), demande un certificat pour <strong>CN=SSIN\\=85073003328</strong>.</p>
        <!-- a comment -->
        <ul><li>prot&#233;ger la cl&#xE9;</li><li>r&eacute;voquer &amp; signaler</li></ul>
        <p>Fait le 2025-01-01<br>Bruxelles</p>
        </body></html>
        """
        let text = HTMLText.plainText(fromHTML: html)
        #expect(text == """
        Demande de certificat

        Je soussigné(e), Jean DUPONT (NISS 85073003328), demande un certificat pour CN=SSIN\\=85073003328.

        • protéger la clé
        • révoquer & signaler

        Fait le 2025-01-01
        Bruxelles
        """)
    }

    @Test("ordered lists are numbered and table cells separated")
    func listsAndTables() {
        let text = HTMLText.plainText(fromHTML: "<ol><li>one</li><li>two</li></ol><table><tr><td>a</td><td>b</td></tr></table>")
        #expect(text == "1. one\n2. two\n\na | b")
    }

    @Test("the offer picks the preferred language, else the first")
    func languages() {
        let offer = ContractOffer(distinguishedName: "CN=x", signerName: "Jean DUPONT", signerSSIN: nil,
                                  texts: [.init(language: "fr", html: "<p>bonjour</p>"), .init(language: "nl", html: "<p>hallo</p>")])
        #expect(offer.text(preferring: ["nl"])?.plainText == "hallo")
        #expect(offer.text(preferring: ["en"])?.language == "fr")
    }

    @Test("SSINs are masked in log text")
    func masking() {
        #expect(PersonalData.masked(ssin: "85073003328") == "85*******28")
        #expect(PersonalData.masking("signer 85073003328, CBE 0412345614") == "signer 85*******28, CBE 0412345614")
    }
}

@Suite struct DisplayTextTests {
    @Test func escapeSequencesInAContractDoNotReachTheTerminal() {
        let html = "<p>Je soussign&#xE9;&#x1B;[2J&#x1B;]0;owned&#x07; accepte</p><p>ligne&#9;2&#x9B;31m</p>"
        let text = HTMLText.plainText(fromHTML: html)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(text.contains("Je soussigné[2J]0;owned accepte"), "\(text)")
        #expect(text.contains("ligne"))
    }

    @Test func errorMessagesFromThePlatformAreCleanedToo() {
        let error = CertManagerError(.requestFailed, .refused, reason: "refused\u{1B}[31m by\r the platform\nsee below", advice: "call\u{07}")
        #expect(error.reason == "refused[31m by the platform\nsee below")
        #expect(error.advice == "call")
    }
}
