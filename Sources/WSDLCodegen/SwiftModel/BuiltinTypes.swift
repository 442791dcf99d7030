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

    /// Swift types whose values can be compared with range facets.
    static let comparable: Set<String> = [
        "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Int", "Decimal", "Double", "Float",
        "XSDateTime", "XSDate", "XSTime",
    ]
}
