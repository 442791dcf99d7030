/// Reads a WSDL 1.1 document: messages, port types, the SOAP 1.1 document/literal binding and
/// the service address. Anything outside the document/literal profile is reported, not guessed.
enum WSDLParser {
    static func parse(_ source: SourceDocument, knownElements: Set<QualifiedName>) -> (ServiceDefinition?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let root = SourceElement(element: source.document.root, source: source)
        let targetNamespace = root.attribute("targetNamespace")

        var messages: [QualifiedName: (element: QualifiedName, location: SourceLocation)] = [:]
        for message in root.children(Namespaces.wsdl, "message") {
            guard let name = message.attribute("name") else {
                diagnostics.append(message.error("wsdl:message needs a name"))
                continue
            }
            let parts = message.children(Namespaces.wsdl, "part")
            guard parts.count == 1, let part = parts.first else {
                diagnostics.append(message.error("message \(name) must have exactly one part for document/literal (WS-I BP 1.1 R2201), it has \(parts.count)"))
                continue
            }
            do {
                guard let element = try part.qualifiedName("element") else {
                    diagnostics.append(part.error("part \(part.attribute("name") ?? "?") of message \(name) must name an element (document/literal); type= parts are RPC style"))
                    continue
                }
                if !knownElements.contains(element) {
                    diagnostics.append(part.error("message \(name) refers to element \(element), which no loaded schema declares"))
                    continue
                }
                messages[QualifiedName(targetNamespace, name)] = (element, part.location)
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            } catch {
                diagnostics.append(part.error("\(error)"))
            }
        }

        // SOAP actions and style come from the binding; the address from the service.
        var actions: [String: [String: String]] = [:]
        var bindingPortType: [QualifiedName: String] = [:]
        for binding in root.children(Namespaces.wsdl, "binding") {
            guard let bindingName = binding.attribute("name"),
                  let portType = try? binding.qualifiedName("type") else { continue }
            if binding.child(Namespaces.soap12, "binding") != nil, binding.child(Namespaces.soap11, "binding") == nil {
                continue // A SOAP 1.2 binding of the same port type may sit beside the 1.1 one.
            }
            guard let soapBinding = binding.child(Namespaces.soap11, "binding") else {
                diagnostics.append(binding.error("binding \(bindingName) is not a SOAP 1.1 binding"))
                continue
            }
            let defaultStyle = soapBinding.attribute("style") ?? "document"
            bindingPortType[QualifiedName(targetNamespace, bindingName)] = portType.localName
            for operation in binding.children(Namespaces.wsdl, "operation") {
                guard let name = operation.attribute("name") else { continue }
                let soapOperation = operation.child(Namespaces.soap11, "operation")
                let style = soapOperation?.attribute("style") ?? defaultStyle
                if style != "document" {
                    diagnostics.append(operation.error("operation \(name) uses style \(style); only document/literal is supported"))
                }
                for direction in ["input", "output"] {
                    if let body = operation.child(Namespaces.wsdl, direction)?.child(Namespaces.soap11, "body"),
                       body.attribute("use") != nil, body.attribute("use") != "literal" {
                        diagnostics.append(body.error("operation \(name) \(direction) is not literal; encoded SOAP is not supported"))
                    }
                }
                actions[portType.localName, default: [:]][name] = soapOperation?.attribute("soapAction") ?? ""
            }
        }
        var addresses: [String: String] = [:]
        for service in root.children(Namespaces.wsdl, "service") {
            for port in service.children(Namespaces.wsdl, "port") {
                guard let binding = try? port.qualifiedName("binding"), let portType = bindingPortType[binding],
                      let address = port.child(Namespaces.soap11, "address")?.attribute("location") else { continue }
                if addresses[portType] == nil { addresses[portType] = address }
            }
        }

        var portTypes: [PortTypeDefinition] = []
        for portType in root.children(Namespaces.wsdl, "portType") {
            guard let portTypeName = portType.attribute("name") else { continue }
            guard let bound = actions[portTypeName] else {
                diagnostics.append(portType.error("port type \(portTypeName) has no SOAP 1.1 binding"))
                continue
            }
            var operations: [OperationDefinition] = []
            for operation in portType.children(Namespaces.wsdl, "operation") {
                guard let name = operation.attribute("name") else { continue }
                func message(_ direction: String) -> QualifiedName? {
                    guard let reference = operation.child(Namespaces.wsdl, direction) else {
                        diagnostics.append(operation.error("operation \(name) has no \(direction); only request-response operations are supported"))
                        return nil
                    }
                    do {
                        guard let messageName = try reference.qualifiedName("message"), let found = messages[messageName] else {
                            diagnostics.append(reference.error("operation \(name) \(direction) refers to an unknown message"))
                            return nil
                        }
                        return found.element
                    } catch {
                        diagnostics.append(reference.error("\(error)"))
                        return nil
                    }
                }
                guard let input = message("input"), let output = message("output") else { continue }
                var faults: [QualifiedName] = []
                for fault in operation.children(Namespaces.wsdl, "fault") {
                    if let messageName = try? fault.qualifiedName("message"), let found = messages[messageName] {
                        faults.append(found.element)
                    }
                }
                guard let action = bound[name] else {
                    diagnostics.append(operation.error("operation \(name) is not bound"))
                    continue
                }
                operations.append(OperationDefinition(name: name, documentation: operation.documentation(Namespaces.wsdl),
                                                      soapAction: action, inputElement: input, outputElement: output,
                                                      faultElements: faults, location: operation.location))
            }
            portTypes.append(PortTypeDefinition(name: portTypeName, documentation: portType.documentation(Namespaces.wsdl),
                                                operations: operations, address: addresses[portTypeName], location: portType.location))
        }
        return (ServiceDefinition(documentPath: source.path, portTypes: portTypes), diagnostics)
    }
}
