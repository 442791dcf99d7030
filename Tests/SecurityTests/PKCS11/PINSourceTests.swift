import Foundation
import Testing
@testable import Security

/// A PIN from a file answers the key it was given for; the Signature key (a legal signature)
/// is not answered by the Authentication key's PIN.
@Suite struct PINSourceTests {
    static func request(_ key: String, _ purpose: PINSource.Request.Purpose = .login) -> PINSource.Request {
        PINSource.Request(tokenLabel: "BELPIC", keyLabel: key, purpose: purpose, isCountLow: false, isFinalTry: false)
    }

    final class Prompts: @unchecked Sendable {
        private let lock = NSLock()
        private var asked: [String] = []
        func ask(_ message: String) -> String? { lock.withLock { asked.append(message) }; return "typed" }
        var messages: [String] { lock.withLock { asked } }
    }

    @Test func theAuthenticationPINDoesNotSignLegally() throws {
        let prompts = Prompts()
        let source = PINSource.perKey(["Authentication": "1234"], otherwise: .prompt { prompts.ask($0) })
        #expect(try source.pin(for: Self.request("Authentication")) == Array("1234".utf8))
        #expect(try source.pin(for: Self.request("Signature", .signature)) == Array("typed".utf8))
        #expect(prompts.messages.count == 1)
        #expect(prompts.messages.first?.contains("Signature") == true)
    }

    @Test func aPINGivenForTheSignatureKeyIsUsedForIt() throws {
        let prompts = Prompts()
        let source = PINSource.perKey(["Authentication": "1234", "Signature": "1234"], otherwise: .prompt { prompts.ask($0) })
        #expect(try source.pin(for: Self.request("Signature", .signature)) == Array("1234".utf8))
        #expect(prompts.messages.isEmpty)
    }
}
