#!/usr/bin/env python3
"""Check that our schema set is wire-identical to the official eHealth XSDs.

Usage:
    compare_schemas.py OURS_ROOT OFFICIAL_ROOT [--verbose]

Both roots are searched recursively for *.xsd files. Every file is read on
its own (no imports are followed, nothing is fetched); the global components
of all files are pooled per target namespace. Each component is reduced to a
normal form that keeps what decides the wire format and drops the rest:

  kept     names and types as expanded QNames (each file's own prefixes),
           content model trees (sequence / choice / all / group nesting,
           minOccurs / maxOccurs with defaults filled in), local element and
           attribute forms made effective (form= or the schema default),
           nillable / default / fixed / abstract, attribute uses, attribute
           groups, wildcards (namespace, processContents, occurs), derivation
           method and base, facets, list / union, the effective mixed flag;
  dropped  annotations and documentation, prefixes, comments, whitespace,
           the order of attributes and of global components, imports.

Namespaces in SUBSET_NAMESPACES (XML Signature, the xml: namespace) may be
defined partially by us: every component we define must equal the official
one. Every other namespace must have exactly the same components. Finally,
every QName our schemas reference must be defined by our schemas.

Prints one line per difference and exits 1 if there is any; otherwise prints
a one-line summary and exits 0. Needs lxml.
"""

import argparse
import difflib
import glob
import os
import sys

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
XML_NS = "http://www.w3.org/XML/1998/namespace"
DSIG = "http://www.w3.org/2000/09/xmldsig#"

# Namespaces we may define only in part (the rest of them is never on our wire).
SUBSET_NAMESPACES = {DSIG, XML_NS}

# Short names for readable output only; comparison always uses full URIs.
DISPLAY_PREFIXES = {
    XS: "xs",
    XML_NS: "xml",
    DSIG: "ds",
    "urn:be:fgov:ehealth:commons:core:v2": "commons-core",
    "urn:be:fgov:ehealth:commons:protocol:v2": "commons-protocol",
    "urn:be:fgov:ehealth:etee:commons:core:v2": "etee-core",
    "urn:be:fgov:ehealth:certra:core:v2": "certra-core",
    "urn:be:fgov:ehealth:certra:protocol:v2": "certra-protocol",
    "urn:be:fgov:ehealth:etkra:protocol:v2": "etkra-protocol",
    "urn:be:fgov:ehealth:errors:core:v1": "errors-core",
    "urn:be:fgov:ehealth:errors:soa:v1": "errors-soa",
}

COMPONENT_KINDS = ("element", "complexType", "simpleType", "attributeGroup", "attribute", "group")
FACETS = {
    "length", "minLength", "maxLength", "pattern", "enumeration", "whiteSpace",
    "maxInclusive", "maxExclusive", "minInclusive", "minExclusive",
    "totalDigits", "fractionDigits",
}
IGNORED_TOP_LEVEL = {"import", "include", "annotation", "notation"}


def xs(local):
    return "{%s}%s" % (XS, local)


def local_name(node):
    return etree.QName(node).localname


def show(value):
    """Render a normalized value (QNames in Clark notation) for humans."""
    if isinstance(value, str) and value.startswith("{}"):
        return value[2:]  # unqualified local name
    if isinstance(value, str) and value.startswith("{"):
        uri, _, name = value[1:].partition("}")
        prefix = DISPLAY_PREFIXES.get(uri)
        return "%s:%s" % (prefix, name) if prefix else value
    if isinstance(value, dict):
        return "{" + ", ".join("%s=%s" % (k, show(v)) for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return repr(value)


class SchemaError(Exception):
    pass


class SchemaFile:
    """One XSD document and the defaults that govern its local declarations."""

    def __init__(self, path):
        self.path = path
        try:
            self.root = etree.parse(path).getroot()
        except etree.XMLSyntaxError as error:
            raise SchemaError("%s: not well-formed: %s" % (path, error))
        if self.root.tag != xs("schema"):
            raise SchemaError("%s: root is not xs:schema" % path)
        self.tns = self.root.get("targetNamespace", "")
        self.element_form = self.root.get("elementFormDefault", "unqualified")
        self.attribute_form = self.root.get("attributeFormDefault", "unqualified")
        self.references = set()  # QNames this file refers to (type, ref, base, ...)

    def where(self, node):
        return "%s:%s" % (os.path.basename(self.path), node.sourceline)

    # -- QNames --------------------------------------------------------------

    def qname(self, node, text, record=True):
        """Expand a QName-valued attribute with the prefixes in scope at node."""
        text = text.strip()
        prefix, _, local = text.rpartition(":")
        uri = node.nsmap.get(prefix or None)
        if uri is None:
            if prefix == "xml":
                uri = XML_NS
            elif prefix:
                raise SchemaError("%s: undeclared prefix in %r" % (self.where(node), text))
            else:
                uri = ""  # no default namespace: the QName is in no namespace
        result = "{%s}%s" % (uri, local)
        if record and uri != XS:
            self.references.add(result)
        return result

    # -- helpers -------------------------------------------------------------

    @staticmethod
    def children(node):
        """Schema children of node, without annotations and comments."""
        return [c for c in node if isinstance(c.tag, str) and c.tag != xs("annotation")]

    def unknown(self, node, context):
        raise SchemaError("%s: unsupported %s in %s" % (self.where(node), local_name(node), context))

    @staticmethod
    def occurs(node):
        low = int(node.get("minOccurs", "1"))
        high = node.get("maxOccurs", "1")
        return low, (high if high == "unbounded" else int(high))

    def local_decl_name(self, node, form_default):
        form = node.get("form", form_default)
        uri = self.tns if form == "qualified" else ""
        return "{%s}%s" % (uri, node.get("name"))

    # -- elements ------------------------------------------------------------

    def element(self, node, is_global):
        if node.get("ref") is not None:
            low, high = self.occurs(node)
            return {"kind": "element-ref", "ref": self.qname(node, node.get("ref")), "min": low, "max": high}
        if is_global:
            name = "{%s}%s" % (self.tns, node.get("name"))
        else:
            name = self.local_decl_name(node, self.element_form)
        result = {
            "kind": "element",
            "name": name,
            "type": self.element_type(node),
            "nillable": node.get("nillable", "false") in ("true", "1"),
            "default": node.get("default"),
            "fixed": node.get("fixed"),
        }
        if is_global:
            result["abstract"] = node.get("abstract", "false") in ("true", "1")
            group = node.get("substitutionGroup")
            result["substitutionGroup"] = self.qname(node, group) if group else None
        else:
            result["min"], result["max"] = self.occurs(node)
        for child in self.children(node):
            if local_name(child) not in ("complexType", "simpleType", "unique", "key", "keyref"):
                self.unknown(child, "element")
        return result

    def element_type(self, node):
        if node.get("type") is not None:
            return self.qname(node, node.get("type"))
        for child in self.children(node):
            if child.tag == xs("complexType"):
                return {"anonymous": self.complex_type(child)}
            if child.tag == xs("simpleType"):
                return {"anonymous": self.simple_type(child)}
        return xs("anyType")

    # -- particles -----------------------------------------------------------

    def particle(self, node):
        kind = local_name(node)
        low, high = self.occurs(node)
        if kind in ("sequence", "choice", "all"):
            return {"kind": kind, "min": low, "max": high,
                    "items": [self.particle(c) for c in self.children(node)]}
        if kind == "element":
            return self.element(node, is_global=False)
        if kind == "any":
            return {"kind": "any", "namespace": " ".join(sorted(node.get("namespace", "##any").split())),
                    "processContents": node.get("processContents", "strict"), "min": low, "max": high}
        if kind == "group":
            return {"kind": "group-ref", "ref": self.qname(node, node.get("ref")), "min": low, "max": high}
        self.unknown(node, "content model")

    # -- attributes ----------------------------------------------------------

    def attribute(self, node, is_global):
        if node.get("ref") is not None:
            key = self.qname(node, node.get("ref"))
            return key, {"ref": key, "use": node.get("use", "optional"),
                         "default": node.get("default"), "fixed": node.get("fixed")}
        if is_global:
            key = "{%s}%s" % (self.tns, node.get("name"))
        else:
            key = self.local_decl_name(node, self.attribute_form)
        if node.get("type") is not None:
            type_ = self.qname(node, node.get("type"))
        else:
            inline = [c for c in self.children(node) if c.tag == xs("simpleType")]
            type_ = {"anonymous": self.simple_type(inline[0])} if inline else xs("anySimpleType")
        result = {"name": key, "type": type_, "default": node.get("default"), "fixed": node.get("fixed")}
        if not is_global:
            result["use"] = node.get("use", "optional")
        return key, result

    def attribute_uses(self, nodes):
        """Attributes, attribute group refs and anyAttribute among nodes, order-free."""
        attributes, groups, wildcard = {}, [], None
        for node in nodes:
            kind = local_name(node)
            if kind == "attribute":
                key, value = self.attribute(node, is_global=False)
                if key in attributes:
                    raise SchemaError("%s: attribute %s declared twice" % (self.where(node), show(key)))
                attributes[key] = value
            elif kind == "attributeGroup":
                groups.append(self.qname(node, node.get("ref")))
            elif kind == "anyAttribute":
                wildcard = {"namespace": " ".join(sorted(node.get("namespace", "##any").split())),
                            "processContents": node.get("processContents", "strict")}
        return {"attributes": attributes, "attributeGroups": sorted(groups), "anyAttribute": wildcard}

    # -- types ---------------------------------------------------------------

    def split_content(self, nodes, context):
        """(particle or None, attribute nodes) of a type or derivation body."""
        particle, attribute_nodes = None, []
        for child in nodes:
            kind = local_name(child)
            if kind in ("sequence", "choice", "all", "group"):
                if particle is not None:
                    self.unknown(child, context)
                particle = self.particle(child)
            elif kind in ("attribute", "attributeGroup", "anyAttribute"):
                attribute_nodes.append(child)
            elif kind not in ("simpleType",) + tuple(FACETS):
                self.unknown(child, context)
        return particle, attribute_nodes

    def facets(self, nodes):
        enumerations, patterns, others = [], [], {}
        for child in nodes:
            kind = local_name(child)
            if kind == "enumeration":
                enumerations.append(child.get("value"))
            elif kind == "pattern":
                patterns.append(child.get("value"))
            elif kind in FACETS:
                others[kind] = {"value": child.get("value"), "fixed": child.get("fixed", "false")}
        return {"enumeration": enumerations, "pattern": patterns, "other": others}

    def complex_type(self, node, name=None):
        result = {"name": name, "abstract": node.get("abstract", "false") in ("true", "1")}
        mixed = node.get("mixed", "false")
        body = self.children(node)
        if len(body) == 1 and local_name(body[0]) in ("simpleContent", "complexContent"):
            content = body[0]
            if content.get("mixed") is not None:
                mixed = content.get("mixed")
            derivations = self.children(content)
            if len(derivations) != 1 or local_name(derivations[0]) not in ("extension", "restriction"):
                self.unknown(content, "complexType")
            derivation = derivations[0]
            particle, attribute_nodes = self.split_content(self.children(derivation), "derivation")
            result["content"] = {
                "kind": local_name(content),
                "derivation": local_name(derivation),
                "base": self.qname(derivation, derivation.get("base")),
                "particle": particle,
                "facets": self.facets(self.children(derivation)),
            }
            inline = [c for c in self.children(derivation) if c.tag == xs("simpleType")]
            if inline:
                result["content"]["inlineBase"] = self.simple_type(inline[0])
            result.update(self.attribute_uses(attribute_nodes))
        else:
            particle, attribute_nodes = self.split_content(body, "complexType")
            result["content"] = {"kind": "implicit", "particle": particle}
            result.update(self.attribute_uses(attribute_nodes))
        result["mixed"] = mixed in ("true", "1")
        return result

    def simple_type(self, node, name=None):
        body = self.children(node)
        if len(body) != 1:
            self.unknown(node, "simpleType")
        variety = body[0]
        kind = local_name(variety)
        result = {"name": name, "variety": kind}
        if kind == "restriction":
            if variety.get("base") is not None:
                result["base"] = self.qname(variety, variety.get("base"))
            else:
                inline = [c for c in self.children(variety) if c.tag == xs("simpleType")]
                result["base"] = {"anonymous": self.simple_type(inline[0])}
            result["facets"] = self.facets(self.children(variety))
        elif kind == "list":
            if variety.get("itemType") is not None:
                result["itemType"] = self.qname(variety, variety.get("itemType"))
            else:
                result["itemType"] = {"anonymous": self.simple_type(self.children(variety)[0])}
        elif kind == "union":
            members = [self.qname(variety, m) for m in variety.get("memberTypes", "").split()]
            result["memberTypes"] = members
            result["inlineMembers"] = [self.simple_type(c) for c in self.children(variety)
                                       if c.tag == xs("simpleType")]
        else:
            self.unknown(variety, "simpleType")
        return result

    def attribute_group(self, node, name):
        result = {"name": name}
        result.update(self.attribute_uses(self.children(node)))
        return result

    def group(self, node, name):
        particles = [self.particle(c) for c in self.children(node)]
        if len(particles) != 1:
            self.unknown(node, "group")
        return {"name": name, "particle": particles[0]}

    # -- the whole file ------------------------------------------------------

    def components(self):
        """Yield (kind, QName, normal form) for every global component."""
        for node in self.children(self.root):
            kind = local_name(node)
            if kind in IGNORED_TOP_LEVEL:
                continue
            if kind == "redefine":
                self.unknown(node, "schema")
            name = "{%s}%s" % (self.tns, node.get("name"))
            if kind == "element":
                yield kind, name, self.element(node, is_global=True)
            elif kind == "complexType":
                yield kind, name, self.complex_type(node, name)
            elif kind == "simpleType":
                yield kind, name, self.simple_type(node, name)
            elif kind == "attributeGroup":
                yield kind, name, self.attribute_group(node, name)
            elif kind == "attribute":
                yield kind, name, self.attribute(node, is_global=True)[1]
            elif kind == "group":
                yield kind, name, self.group(node, name)
            else:
                self.unknown(node, "schema")


class SchemaSet:
    """All global components of the XSD files under one root, per namespace."""

    def __init__(self, root):
        self.root = root
        self.paths = sorted(glob.glob(os.path.join(root, "**", "*.xsd"), recursive=True))
        if not self.paths:
            raise SchemaError("%s: no .xsd files" % root)
        self.namespaces = {}  # uri -> {(kind, QName): (normal form, path)}
        self.references = {}  # QName -> first file referring to it
        for path in self.paths:
            schema = SchemaFile(path)
            table = self.namespaces.setdefault(schema.tns, {})
            for kind, name, form in schema.components():
                if (kind, name) in table:
                    raise SchemaError("%s: %s %s also defined in %s"
                                      % (path, kind, show(name), table[(kind, name)][1]))
                table[(kind, name)] = (form, path)
            for reference in schema.references:
                self.references.setdefault(reference, path)

    def defines(self, qname):
        uri = qname[1:].partition("}")[0]
        return any(key[1] == qname for key in self.namespaces.get(uri, {}))


def differences(ours, official, path):
    """Yield (path, ours, official) for every leaf where two normal forms differ."""
    if isinstance(ours, dict) and isinstance(official, dict):
        if ours.get("kind") != official.get("kind"):
            yield path, ours, official  # e.g. a local element against an element ref
            return
        for key in sorted(set(ours) | set(official)):
            label = show(key) if key.startswith("{") else key
            sub = "%s.%s" % (path, label) if path else label
            if key not in ours:
                yield sub, "<absent>", official[key]
            elif key not in official:
                yield sub, ours[key], "<absent>"
            else:
                yield from differences(ours[key], official[key], sub)
    elif isinstance(ours, list) and isinstance(official, list):
        if len(ours) != len(official):
            # Name the inserted / removed items rather than dumping both lists.
            a, b = [show(x) for x in ours], [show(x) for x in official]
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
                if tag != "equal":
                    yield "%s[%d:%d]" % (path, i1, i2), ours[i1:i2] or "<absent>", official[j1:j2] or "<absent>"
        else:
            for index, (a, b) in enumerate(zip(ours, official)):
                label = ""
                if isinstance(a, dict) and (a.get("name") or a.get("ref")):
                    label = "<%s>" % show(a.get("name") or a.get("ref"))
                yield from differences(a, b, "%s[%d]%s" % (path, index, label))
    elif ours != official:
        yield path, ours, official


def compare(ours, official):
    problems, identical, namespaces = [], 0, 0
    for uri in sorted(set(ours.namespaces) | set(official.namespaces)):
        label = DISPLAY_PREFIXES.get(uri, uri)
        if uri not in official.namespaces:
            problems.append("%s: namespace defined by us but not by the official schemas" % label)
            continue
        if uri not in ours.namespaces:
            if uri not in SUBSET_NAMESPACES:
                problems.append("%s: namespace missing from our schemas" % label)
            continue
        namespaces += 1
        mine, theirs = ours.namespaces[uri], official.namespaces[uri]
        for key in sorted(set(mine) | set(theirs)):
            kind, name = key
            if key not in theirs:
                problems.append("%s: %s %s is ours only (%s)"
                                % (label, kind, show(name), os.path.basename(mine[key][1])))
                continue
            if key not in mine:
                if uri not in SUBSET_NAMESPACES:
                    problems.append("%s: %s %s is missing from our schemas" % (label, kind, show(name)))
                continue
            found = list(differences(mine[key][0], theirs[key][0], ""))
            for where, a, b in found:
                problems.append("%s: %s %s: %s: ours %s, official %s"
                                % (label, kind, show(name), where or "definition", show(a), show(b)))
            if not found:
                identical += 1
    for reference, path in sorted(ours.references.items()):
        if not ours.defines(reference):
            problems.append("%s: refers to %s, which our schemas do not define"
                            % (os.path.basename(path), show(reference)))
    return problems, identical, namespaces


def main(argv):
    parser = argparse.ArgumentParser(description="Compare our XSDs with the official eHealth XSDs.")
    parser.add_argument("ours", help="folder holding our schemas (e.g. Schemas/)")
    parser.add_argument("official", help="folder holding the official schemas (searched recursively)")
    parser.add_argument("--verbose", action="store_true", help="list the compared files and namespaces")
    arguments = parser.parse_args(argv)
    try:
        ours, official = SchemaSet(arguments.ours), SchemaSet(arguments.official)
    except SchemaError as error:
        print("schema conformance: cannot read schemas: %s" % error)
        return 2
    if arguments.verbose:
        for side in (ours, official):
            print("%s: %d files, namespaces: %s" % (side.root, len(side.paths),
                  ", ".join(sorted(DISPLAY_PREFIXES.get(u, u) for u in side.namespaces))))
    problems, identical, namespaces = compare(ours, official)
    for problem in problems:
        print(problem)
    if problems:
        print("schema conformance: %d difference(s)" % len(problems))
        return 1
    print("schema conformance: %d namespaces, %d components identical" % (namespaces, identical))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
