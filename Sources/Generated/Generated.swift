// The bindings for Schemas/*.wsdl are generated into this module at build time by the
// GenerateBindings plugin (see Plugins/GenerateBindings); nothing generated is committed.
// SwiftPM needs one real source file in a target whose other sources are all generated.
@_exported import SOAPRuntime
