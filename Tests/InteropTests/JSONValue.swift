import Foundation
import SOAPRuntime

/// A JSON document as the zeep harness reads and prints it, comparable as a whole.
///
/// The harness tags what JSON cannot hold: `{"$base64": …}` for bytes, `{"$datetime": …}` for
/// xs:dateTime, `{"$xml": …}` for an element matched by xs:any (see Tests/Interop/zeep_interop.py).
enum JSONValue: Equatable, Sendable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    static let base64Tag = "$base64"
    static let dateTimeTag = "$datetime"
    static let xmlTag = "$xml"

    static func bytes(_ data: Data) -> JSONValue { .object([base64Tag: .string(data.base64EncodedString())]) }
    static func dateTime(_ value: XSDateTime) -> JSONValue { .object([dateTimeTag: .string(value.xmlText)]) }
    static func xml(_ element: AnyXMLElement) -> JSONValue { .object([xmlTag: .string(element.xml)]) }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Compact JSON text with sorted keys, so a failing comparison prints the same way each run.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "<unencodable>"
    }

    var description: String { text }

    subscript(key: String) -> JSONValue {
        if case .object(let members) = self { return members[key] ?? .null }
        return .null
    }

    subscript(index: Int) -> JSONValue {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return .null
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var arrayValue: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The same value with the differences that carry no meaning on the wire taken out, so that
    /// what we expect and what zeep decoded compare as wholes:
    /// - a member that is null or an empty array is dropped: zeep reports an absent optional
    ///   element as null, an absent repeated one as [] or null, and accepts either as input;
    /// - a dateTime is written with the trailing zeros of its fraction removed: zeep always
    ///   prints six digits (Python's microseconds);
    /// - an xs:any element is re-serialised by our own writer, so its namespace declarations
    ///   and empty-element form do not depend on who printed it.
    func normalized() throws -> JSONValue {
        switch self {
        case .array(let items):
            return .array(try items.map { try $0.normalized() })
        case .object(let members):
            if members.count == 1, let (tag, value) = members.first, let text = value.stringValue {
                switch tag {
                case Self.dateTimeTag:
                    var instant = try XSDateTime(xmlText: text)
                    while instant.fractionDigits.hasSuffix("0") { instant.fractionDigits.removeLast() }
                    return .dateTime(instant)
                case Self.xmlTag:
                    return .xml(try AnyXMLElement(xml: text))
                default:
                    break
                }
            }
            var kept: [String: JSONValue] = [:]
            for (key, value) in members {
                let normalized = try value.normalized()
                switch normalized {
                case .null: continue
                case .array(let items) where items.isEmpty: continue
                default: kept[key] = normalized
                }
            }
            return .object(kept)
        default:
            return self
        }
    }
}

extension JSONValue {
    /// Where `self` differs from `expected`, one line per difference with its JSON path, so a
    /// failure names the field instead of printing two whole documents.
    func differences(from expected: JSONValue, at path: String = "$") -> [String] {
        switch (self, expected) {
        case (.object(let actual), .object(let wanted)):
            return Set(actual.keys).union(wanted.keys).sorted().flatMap { key in
                (actual[key] ?? .null).differences(from: wanted[key] ?? .null, at: path + "." + key)
            }
        case (.array(let actual), .array(let wanted)) where actual.count == wanted.count:
            return zip(actual, wanted).enumerated().flatMap { index, pair in
                pair.0.differences(from: pair.1, at: path + "[\(index)]")
            }
        default:
            return self == expected ? [] : ["\(path): zeep has \(text), expected \(expected.text)"]
        }
    }
}
