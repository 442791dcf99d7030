import Foundation
import Testing
@testable import Security

/// Inputs the libFuzzer targets (scripts/fuzz.sh) found to crash, each kept as a regression test.
struct FuzzFindingTests {
    /// csr-dn, crash-d13944a0… and crash-ce901319…: an attribute type written as an object
    /// identifier outside X.660 (first arc above 2) or with an arc too large to read back was
    /// accepted (swift-asn1 encodes any arcs), and printing it in the error message trapped in
    /// swift-asn1 (`oidComponents` precondition failure).
    @Test(arguments: [
        "492.6=;492.6=;92.9449666666666666662.650=;502.6=9",  // the fuzzer's input, as found
        "92.9449666666666666662.650=x",
        // csr-dn, crash-ce901319…: arcs with leading zeros, one above 2^63, in a contract DN.
        "02.6.1320.660.6.0660.0.06600.666076.06600.6660.6.0.66766.6.622.50.13213333333323306600.6660=x",
        "2.5.4.13213333333323306600=x", "2.05.4.3=x", "2.4294967216=x",
        "3.1=x", "1.40=x", "2.18446744073709551615=x", "2.5.4.=x", "2..5=x", "2=x",
    ])
    func objectIdentifierAttributeTypesOutsideX660AreRefused(_ text: String) {
        #expect(throws: SecurityError.self) { try EHealthDistinguishedName(text) }
    }

    @Test func validObjectIdentifierAttributeTypesStillRead() throws {
        let parsed = try RFC4514DistinguishedName(parsing: "2.5.4.3=Jean, OID.2.5.4.6=BE, 1.2.840.113549.1.9.1=a@b.be")
        #expect(parsed.string.contains("CN=Jean"))
    }
}
