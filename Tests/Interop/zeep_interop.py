#!/usr/bin/env python3
"""Interoperability harness between Python zeep and our CertRA v2 / EtkRA v2 WSDLs.

Usage:
    zeep_interop.py load WSDL...
    zeep_interop.py serialize WSDL OPERATION JSON_VALUES OUT.xml
    zeep_interop.py parse WSDL OPERATION IN.xml

load       Loads each WSDL with zeep and prints, as JSON, its services, ports and
           operations with their SOAP actions and input/output body elements.
serialize  Builds the request envelope of OPERATION with zeep
           (Client.create_message) from the keyword values in JSON_VALUES and
           writes it to OUT.xml, unindented. JSON_VALUES is JSON text, or
           @PATH to read it from a file.
parse      Reads a request envelope (one our Swift bindings wrote) and decodes it
           with the input message of OPERATION's binding, zeep's own
           deserialisation, then prints the value as JSON. The Body must hold
           exactly OPERATION's input element: zeep alone would decode whatever
           element comes first, and does not report missing required children.

Values use zeep's own shapes (helpers.serialize_object): keys are the schema's
element and attribute names, a simple-content value is "_value_1", xml:lang is
"lang", repeated items are lists, a repeating choice is a list of one-key
objects under "_value_1" (zeep decodes some choices in another shape than it
takes them: see Tests/InteropTests/ZeepShape.swift). JSON has no bytes, dates
or XML nodes, so both directions tag them:

    {"$base64": "..."}     xs:base64Binary bytes
    {"$datetime": "..."}   xs:dateTime, written as zeep writes it on the wire
    {"$xml": "<e .../>"}   an element matched by xs:any

xs:hexBinary stays a plain string, as zeep keeps it.

Everything is offline: the WSDL and its schemas are read from the file system,
and the transport refuses any URL, so a stray http import fails instead of
fetching. zeep runs in strict mode. Exit status 0 on success, 1 with a message
on stderr when zeep refuses a WSDL or a message, 2 for usage errors.
"""

import argparse
import base64
import datetime
import json
import sys
import traceback

from lxml import etree

import isodate
from zeep import Client, Settings, helpers, xsd
from zeep.exceptions import Error as ZeepError
from zeep.loader import parse_xml
from zeep.transports import Transport
from zeep.xsd.types.builtins import DateTime

BASE64_TAG = "$base64"
DATETIME_TAG = "$datetime"
XML_TAG = "$xml"


class OfflineTransport(Transport):
    """A transport that reads local files only; the harness never talks to a network."""

    def _load_remote_data(self, url):
        raise ZeepError("refusing to fetch %s: the interop harness is offline" % url)

    def post(self, address, message, headers):
        raise ZeepError("refusing to send to %s: the interop harness is offline" % address)


def settings():
    # strict: unexpected or missing elements are errors, not silently skipped.
    return Settings(strict=True, raw_response=False, forbid_dtd=True, forbid_entities=True,
                    forbid_external=True, xml_huge_tree=False)


def load_client(wsdl_path):
    return Client(wsdl_path, transport=OfflineTransport(), settings=settings())


def describe(client, wsdl_path):
    services = []
    for service in client.wsdl.services.values():
        ports = []
        for port in service.ports.values():
            operations = []
            for name, operation in port.binding.all().items():
                operations.append({
                    "name": name,
                    "soapAction": operation.soapaction,
                    "style": operation.style,
                    "input": body_element_name(operation.input),
                    "output": body_element_name(operation.output),
                })
            ports.append({
                "name": port.name,
                "binding": port.binding.name.text,
                "address": port.binding_options.get("address"),
                "operations": operations,
            })
        services.append({"name": service.name, "ports": ports})
    return {"wsdl": wsdl_path, "services": services}


def body_element_name(message):
    """The Clark name of the one element a document/literal message puts in soap:Body."""
    if message is None or message.body is None:
        return None
    return message.body.qname.text


def find_binding_operation(client, operation_name):
    """The proxy of the port whose binding defines the operation, and that operation."""
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            if operation_name in port.binding.all():
                proxy = client.bind(service.name, port.name)
                return proxy, port.binding.get(operation_name)
    raise ZeepError("no binding in %s defines the operation %r" % (client.wsdl.location, operation_name))


def from_tagged_json(value):
    """JSON with tagged bytes, dateTimes and elements, as the Python values zeep renders."""
    if isinstance(value, list):
        return [from_tagged_json(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == BASE64_TAG:
                return base64.b64decode(inner, validate=True)
            if key == DATETIME_TAG:
                return isodate.parse_datetime(inner)
            if key == XML_TAG:
                return etree.fromstring(inner.encode("utf-8"), parser=safe_parser())
        return {key: from_tagged_json(inner) for key, inner in value.items()}
    return value


def to_tagged_json(value):
    """A value from zeep.helpers.serialize_object as JSON, tagging what JSON cannot hold."""
    if isinstance(value, dict):
        return {key: to_tagged_json(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_tagged_json(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return {BASE64_TAG: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime.datetime):
        # zeep's own lexical form for xs:dateTime, the one it puts on the wire.
        return {DATETIME_TAG: DateTime().xmlvalue(value)}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, etree._Element):
        # Exclusive C14N: only the namespaces the element uses, not every one in scope.
        return {XML_TAG: etree.tostring(value, method="c14n", exclusive=True).decode("utf-8")}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def safe_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def command_load(arguments):
    documents = [describe(load_client(path), path) for path in arguments.wsdl]
    print(json.dumps({"documents": documents}, indent=2))


def command_serialize(arguments):
    client = load_client(arguments.wsdl)
    text = arguments.values
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as handle:
            text = handle.read()
    values = from_tagged_json(json.loads(text))
    if not isinstance(values, dict):
        raise ZeepError("JSON_VALUES must be an object of keyword arguments")
    proxy, _ = find_binding_operation(client, arguments.operation)
    envelope = client.create_message(proxy, arguments.operation, **values)
    with open(arguments.output, "wb") as handle:
        handle.write(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def command_parse(arguments):
    client = load_client(arguments.wsdl)
    _, operation = find_binding_operation(client, arguments.operation)
    with open(arguments.input, "rb") as handle:
        content = handle.read()
    # zeep's own loader: the same DTD/entity/network restrictions it applies to replies.
    envelope = parse_xml(content, client.transport, settings=client.settings)
    envelope_name = etree.QName(envelope)
    if (envelope_name.namespace, envelope_name.localname) != ("http://schemas.xmlsoap.org/soap/envelope/", "Envelope"):
        raise ZeepError("the document element is %s, not a SOAP 1.1 Envelope" % envelope_name.text)
    body = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    payload = [child for child in body if isinstance(child.tag, str)] if body is not None else []
    # zeep decodes whatever element comes first in the Body as the input, so check it is this one.
    expected_name = body_element_name(operation.input)
    if [etree.QName(child).text for child in payload] != [expected_name]:
        raise ZeepError("the Body holds %s, not the one %s element of %s"
                        % ([etree.QName(child).text for child in payload], expected_name, arguments.operation))
    value = operation.input.deserialize(envelope)
    if not isinstance(value, xsd.CompoundValue):
        raise ZeepError("zeep decoded the body as %r, not as the request type" % type(value).__name__)
    print(json.dumps({
        "operation": arguments.operation,
        "element": etree.QName(payload[0]).text,
        "type": value._xsd_type.qname.text if value._xsd_type.qname is not None else None,
        "value": to_tagged_json(helpers.serialize_object(value, dict)),
    }, indent=2))


def main():
    parser = argparse.ArgumentParser(description="zeep interoperability harness (offline, strict).")
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="list services, ports, operations and SOAP actions")
    load.add_argument("wsdl", nargs="+", metavar="WSDL")
    load.set_defaults(run=command_load)

    serialize = commands.add_parser("serialize", help="write the request envelope zeep builds")
    serialize.add_argument("wsdl", metavar="WSDL")
    serialize.add_argument("operation", metavar="OPERATION")
    serialize.add_argument("values", metavar="JSON_VALUES")
    serialize.add_argument("output", metavar="OUT.xml")
    serialize.set_defaults(run=command_serialize)

    parse = commands.add_parser("parse", help="decode a request envelope with zeep, print JSON")
    parse.add_argument("wsdl", metavar="WSDL")
    parse.add_argument("operation", metavar="OPERATION")
    parse.add_argument("input", metavar="IN.xml")
    parse.set_defaults(run=command_parse)

    arguments = parser.parse_args()
    try:
        arguments.run(arguments)
    except Exception as error:  # zeep raises many types; the caller wants one message and status 1
        traceback.print_exc(file=sys.stderr)
        print("zeep_interop %s: %s: %s" % (arguments.command, type(error).__name__, error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
