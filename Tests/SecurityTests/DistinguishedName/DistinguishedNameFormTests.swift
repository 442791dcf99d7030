import Foundation
import Testing
@testable import Security

/// The two string forms of an eHealth DN: the platform's escaped `SSIN\=` and the cookbook's
/// bare `SSIN=` (4.3.4.3). Both read back as the same DN.
@Suite struct DistinguishedNameFormTests {
    static let cookbookExample = "CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN=85210123617,O=Federal Government,C=BE"

    @Test func theCookbookExampleReadsAsTheEscapedDN() throws {
        let bare = try EHealthDistinguishedName(Self.cookbookExample)
        let escaped = try EHealthDistinguishedName(IdentityFixtures.personDN)
        #expect(bare == escaped)
        #expect(bare.string(.cookbook) == Self.cookbookExample)
        #expect(bare.string(.escaped) == IdentityFixtures.personDN)
        #expect(bare.description == IdentityFixtures.personDN)
    }

    @Test func anApplicationIDKeepsItsCommaEscapedInBothForms() throws {
        let name = try EHealthDistinguishedName(IdentityFixtures.organizationDN)
        let cookbook = name.string(.cookbook)
        #expect(cookbook == "CN=CBE=0123456749\\, APPID,OU=eHealth-platform Belgium,OU=SOCIETE GENERALE,OU=CBE=0123456749,OU=APPID,O=Federal Government,C=BE")
        #expect(try EHealthDistinguishedName(cookbook) == name)
    }

    @Test func sameNameComparesDNsNotStrings() {
        #expect(EHealthDistinguishedName.sameName(Self.cookbookExample, IdentityFixtures.personDN))
        let other = Self.cookbookExample.replacingOccurrences(of: "DUPONT DUPOND", with: "DUPONT PIERRE")
        #expect(!EHealthDistinguishedName.sameName(other, IdentityFixtures.personDN))
        #expect(!EHealthDistinguishedName.sameName("not a DN", IdentityFixtures.personDN))
        #expect(EHealthDistinguishedName.sameName("not a DN", "not a DN"))
    }
}
