import Foundation

/// A flow's name in the work directory: its start time and a random suffix, readable and
/// sortable, e.g. `20250314-101502-7c3e`.
public struct FlowID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// Only lower-case letters, digits and `-`: the id names a folder.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.count <= 64,
              rawValue.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        self.rawValue = rawValue
    }

    public static func make(at date: Date = Date()) -> FlowID {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = String(UInt16.random(in: .min ... .max), radix: 16)
        return FlowID(rawValue: formatter.string(from: date) + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix)!
    }

    public var description: String { rawValue }

    public static func < (lhs: FlowID, rhs: FlowID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The kinds of flow a work directory can hold.
public enum FlowKind: String, Sendable, Codable, Equatable {
    /// Cookbook 4.3.4.
    case createETK = "create-etk"
}
