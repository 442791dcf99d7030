/// The check-digit algorithms getGenericOrganizationTypes names (`CheckDigitAlgorithm`; "the list
/// of possible check digit algorithms is described in the cook book and may be updated").
///
/// `modulo 97` is the Belgian one of CBE, NIHII and SSIN numbers: the last two digits are
/// 97 − (the number the other digits form, mod 97); CBE 0412345614: 04123456 mod 97 = 83, 97 − 83 = 14.
public enum CheckDigitAlgorithm: Sendable, Equatable, CustomStringConvertible {
    case modulo97
    /// A name this client does not know; the identifier is not checked for it (the platform will).
    case unknown(String)

    public init(name: String) {
        let normalized = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch normalized {
        case "modulo97", "mod97", "modulus97": self = .modulo97
        default: self = .unknown(name)
        }
    }

    /// Whether `value` passes; `nil` when the algorithm is unknown and cannot tell.
    public func accepts(_ value: String) -> Bool? {
        switch self {
        case .modulo97:
            let digits = value.compactMap(\.wholeNumberValue)
            guard digits.count == value.count, digits.count >= 3 else { return false }
            var remainder = 0
            for digit in digits.dropLast(2) {
                remainder = (remainder * 10 + digit) % 97
            }
            let check = digits[digits.count - 2] * 10 + digits[digits.count - 1]
            return check == 97 - remainder
        case .unknown:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .modulo97: "modulo 97"
        case .unknown(let name): name
        }
    }
}
