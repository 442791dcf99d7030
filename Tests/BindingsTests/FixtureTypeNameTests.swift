import FixtureBindings
import Testing

/// The plugin build of the fixture names types as the schema does, like the reviewed golden files.
@Suite struct FixtureTypeNameTests {
    @Test func typesOfTheIncludedSchemaKeepTheirSchemaNames() throws {
        // addressbook-types-v1.xsd xs:includes addressbook-types-common-v1.xsd, and the plugin also
        // passes that file with --xsd: it must still be one schema, not two whose types collide.
        let request = try SampleFixtureMessages.getProfessionalContactInfoRequest()
        let response = try SampleFixtureMessages.searchProfessionalsResponse()
        #expect(String(describing: type(of: request.ssin)) == "SsinType")
        #expect(String(describing: type(of: response.message)) == "Array<LocalizedTextType>")
    }
}
