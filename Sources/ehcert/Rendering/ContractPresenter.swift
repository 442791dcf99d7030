import CertManagerKit
import Foundation

/// Shows the contract (cookbook 4.3.4 step 5: "a personalized HTML contract to be read") as
/// plain text, optionally saves its HTML, and gets the explicit decision.
struct ContractPresenter: Sendable {
    enum Mode: Sendable {
        /// Ask on the terminal.
        case ask
        /// `--accept-contract`: the person accepted it beforehand (scripts).
        case acceptedBeforehand
        /// `ehcert demo`: the test citizen accepts automatically.
        case demo
    }

    let mode: Mode
    let saveHTMLTo: URL?
    /// Lines of text to show; nil for all.
    let maximumLines: Int?
    let quiet: Bool
    let terminal: Terminal
    /// What accepting means, asked on the terminal.
    var question = "Do you accept this contract and sign the certificate request with your eID?"

    func review(_ offer: ContractOffer) async throws -> ContractDecision {
        let text = offer.text()
        if let saveHTMLTo, let text {
            try Data(text.html.utf8).write(to: saveHTMLTo, options: .atomic)
        }
        if !quiet {
            let rule = String(repeating: "─", count: 72)
            var lines = ["", terminal.styled("Contract", .bold) + " for \(offer.distinguishedName)",
                         "to be signed by \(offer.signerName)" + (offer.signerSSIN.map { " (SSIN \($0))" } ?? "") + (text.map { ", language \($0.language)" } ?? ""),
                         rule]
            var body = (text?.plainText ?? "(the contract has no text)").components(separatedBy: "\n")
            if let maximumLines, body.count > maximumLines {
                let hidden = body.count - maximumLines
                body = Array(body.prefix(maximumLines)) + [terminal.styled("… (\(hidden) more line\(hidden == 1 ? "" : "s"))", .dim)]
            }
            lines += body.map { "  " + $0 } + [rule]
            if let saveHTMLTo { lines.append("HTML saved to \(saveHTMLTo.path)") }
            print(lines.joined(separator: "\n"))
        }
        switch mode {
        case .demo:
            if !quiet { print(terminal.styled("Accepted automatically for the demo", .cyan) + " (`ehcert create` asks you before signing).\n") }
            return .accept
        case .acceptedBeforehand:
            if !quiet { print("Accepted with --accept-contract.\n") }
            return .accept
        case .ask:
            guard Terminal.inputIsTerminal else {
                Terminal.printError("The contract must be accepted before signing: run on a terminal, or pass --accept-contract after reading it (--save-contract FILE saves it).")
                return .decline
            }
            return Terminal.confirm(question) ? .accept : .decline
        }
    }
}
