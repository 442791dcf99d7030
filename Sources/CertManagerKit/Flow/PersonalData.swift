/// SSINs are personal data: logs show them masked unless the caller asks otherwise.
public enum PersonalData {
    /// Set to true to log SSINs in full (e.g. while debugging with the person's consent).
    nonisolated(unsafe) public static var logsFullIdentifiers = false

    /// `85073003328` → `85*******28`; other text is returned unchanged.
    public static func masked(ssin: String) -> String {
        guard !logsFullIdentifiers, ssin.count == 11, ssin.allSatisfy(\.isNumber) else { return ssin }
        return String(ssin.prefix(2)) + String(repeating: "*", count: 7) + String(ssin.suffix(2))
    }

    /// Masks every 11-digit run (an SSIN or BIS number) in `text`.
    public static func masking(_ text: String) -> String {
        guard !logsFullIdentifiers else { return text }
        var result = ""
        var digits = ""
        func flush() {
            result += digits.count == 11 ? masked(ssin: digits) : digits
            digits = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}
