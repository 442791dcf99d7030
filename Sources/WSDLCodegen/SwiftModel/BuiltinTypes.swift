import Foundation
import SOAPRuntime

/// XML Schema built-in types and the Swift types that carry them (SOAPRuntime provides the codecs).
enum BuiltinTypes {
    static let swiftTypes: [String: String] = [
        "string": "String", "normalizedString": "String", "token": "String", "language": "String",
        "Name": "String", "NCName": "String", "NMTOKEN": "String", "NMTOKENS": "String", "ID": "String",
        "IDREF": "String", "IDREFS": "String", "ENTITY": "String", "ENTITIES": "String", "anyURI": "String",
        "QName": "String", "NOTATION": "String", "duration": "String", "time": "XSTime", "gYear": "String",
        "gYearMonth": "String", "gMonth": "String", "gMonthDay": "String", "gDay": "String",
        "anySimpleType": "String",
        "boolean": "Bool",
        "byte": "Int8", "short": "Int16", "int": "Int32", "long": "Int64",
        "unsignedByte": "UInt8", "unsignedShort": "UInt16", "unsignedInt": "UInt32", "unsignedLong": "UInt64",
        "integer": "Int", "nonNegativeInteger": "Int", "positiveInteger": "Int", "nonPositiveInteger": "Int",
        "negativeInteger": "Int",
        "decimal": "Decimal", "double": "Double", "float": "Float",
        "dateTime": "XSDateTime", "date": "XSDate",
        "base64Binary": "Data", "hexBinary": "HexBinary",
        "anyType": "AnyXMLElement",
    ]

    /// The runtime codecs of the plain built-in Swift types, so the generator checks a `default` or
    /// `fixed` literal exactly as decoding will read it.
    static let codecs: [String: any XMLSimpleValue.Type] = [
        "String": String.self, "Bool": Bool.self,
        "Int8": Int8.self, "Int16": Int16.self, "Int32": Int32.self, "Int64": Int64.self,
        "UInt8": UInt8.self, "UInt16": UInt16.self, "UInt32": UInt32.self, "UInt64": UInt64.self, "Int": Int.self,
        "Decimal": Decimal.self, "Double": Double.self, "Float": Float.self,
        "XSDateTime": XSDateTime.self, "XSDate": XSDate.self, "XSTime": XSTime.self,
    ]

    /// The built-in string types that normalise whitespace (the rest of the string family preserves it).
    static let whiteSpace: [String: WhiteSpaceFacet] = [
        "normalizedString": .replace,
        "token": .collapse, "language": .collapse, "Name": .collapse, "NCName": .collapse, "NMTOKEN": .collapse,
        "NMTOKENS": .collapse, "ID": .collapse, "IDREF": .collapse, "IDREFS": .collapse, "ENTITY": .collapse,
        "ENTITIES": .collapse, "anyURI": .collapse, "QName": .collapse, "NOTATION": .collapse,
    ]

    /// Swift types whose values can be compared with range facets.
    static let comparable: Set<String> = [
        "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Int", "Decimal", "Double", "Float",
        "XSDateTime", "XSDate", "XSTime",
    ]
}
