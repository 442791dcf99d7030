// The module `Generated`: the CertRA v2 / EtkRA v2 bindings, generated at build time by the
// GenerateBindings plugin from Schemas/*.wsdl into the build folder; nothing generated is
// committed. SwiftPM needs one real source file in a target whose other sources are all
// generated: this one, which also re-exports the runtime the bindings are written against.
@_exported import SOAPRuntime
