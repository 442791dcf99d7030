// Bindings for the generator's fixture WSDL (Tests/Fixtures/wsdl/addressbook-fixture), generated
// at build time by the GenerateBindings plugin like the product's own; only tests use them.
@_exported import SOAPRuntime
