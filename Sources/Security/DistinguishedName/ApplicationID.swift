/// The optional application id of an organization's DN: it makes several certificates of one
/// organization distinct (cookbook 4.3.4.3; getExistingApplicationIds lists the ones in use).
/// protocol-facts "Distinguished names": `[0-9A-Z-_]{1,30}`.
public struct ApplicationID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws {
        let allowed = rawValue.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
        }
        guard allowed, (1...30).contains(rawValue.utf8.count) else {
            throw SecurityError(.applicationIDInvalid, "\"\(rawValue)\" is not an application id: use 1 to 30 characters among 0-9, A-Z (upper case), - and _")
        }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}
