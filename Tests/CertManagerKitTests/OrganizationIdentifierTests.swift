import CertManagerKit
import Testing

@Suite("Organization identifiers: Java ValidationRegEx and check digits")
struct OrganizationIdentifierTests {
    @Test("the cookbook's NIHII-HOSPITAL expression matches whole values, as Java's matches() does")
    func cookbookExpression() throws {
        let expression = try JavaRegularExpression("^710[0-9]{5}|719[0-9]{5}|720[0-9]{5}$")
        #expect(expression.matches("71000436"))
        #expect(expression.matches("72012345"))
        #expect(!expression.matches("710004361"))
        #expect(!expression.matches("x71000436"))
        #expect(!expression.matches("7100043"))
    }

    @Test("unanchored Java expressions must match the whole value too")
    func wholeValue() throws {
        let expression = try JavaRegularExpression("[0-9]{10}")
        #expect(expression.matches("0412345614"))
        #expect(!expression.matches("BE0412345614"))
        #expect(!expression.matches("04123456140"))
    }

    @Test("Java's POSIX classes are ASCII-only")
    func posixClasses() throws {
        let digits = try JavaRegularExpression(#"\p{Digit}{4}"#)
        #expect(digits.matches("2024"))
        #expect(!digits.matches("２０２４"))  // full-width digits are \p{Nd} but not Java's \p{Digit}
        let upper = try JavaRegularExpression(#"[\p{Upper}\-]+"#)
        #expect(upper.matches("NIHII-HOSPITAL"))
        #expect(!upper.matches("ÉCOLE"))
        #expect(!(try JavaRegularExpression(#"\P{Alpha}+"#)).matches("abc"))
    }

    @Test("an expression ICU cannot compile is reported as the platform's problem")
    func invalidExpression() {
        #expect(throws: CertManagerError.self) { try JavaRegularExpression("[0-9") }
    }

    @Test("modulo 97: the last two digits are 97 minus the rest modulo 97")
    func modulo97() {
        let algorithm = CheckDigitAlgorithm(name: "MOD97")
        #expect(algorithm == .modulo97)
        #expect(CheckDigitAlgorithm(name: "modulo 97") == .modulo97)
        #expect(algorithm.accepts("0412345614") == true)   // CBE: 04123456 mod 97 = 83
        #expect(algorithm.accepts("0412345615") == false)
        #expect(algorithm.accepts("71000436") == true)     // NIHII: 710004 mod 97 = 61
        #expect(algorithm.accepts("71000437") == false)
        #expect(algorithm.accepts("0876543270") == true)
        #expect(algorithm.accepts("08765432a0") == false)
        #expect(CheckDigitAlgorithm(name: "LUHN").accepts("79927398713") == nil)
    }

    @Test("a rule checks the expression, then each check digit algorithm")
    func rule() throws {
        let rule = OrganizationIdentifierRule(identifierType: "CBE", names: ["en": "Enterprise"], validationRegEx: "[0-9]{10}",
                                              checkDigitAlgorithms: ["MOD97"])
        try rule.validate("0412345614")
        let form = #expect(throws: CertManagerError.self) { try rule.validate("412345614") }
        #expect(form?.code == .organizationIdentifierInvalid)
        #expect(form?.category == .invalidInput)
        #expect(form?.reason.contains("[0-9]{10}") == true)
        let digits = #expect(throws: CertManagerError.self) { try rule.validate("0412345615") }
        #expect(digits?.reason.contains("modulo 97") == true)
        // An algorithm the client does not know is left to the platform.
        try OrganizationIdentifierRule(identifierType: "X", checkDigitAlgorithms: ["NEW-ALGO"]).validate("anything")
    }
}
