/// Text that came from the server and will be shown on a terminal (the contract, names, DNs,
/// error messages) loses every control character but newline and tab: an escape sequence in a
/// contract (HTML decodes `&#x1B;` into one) could otherwise rewrite the screen just before the
/// eID PIN prompt.
public enum DisplayText {
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isRemoved) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { !isRemoved($0) })
        return String(scalars)
    }

    /// C0 and C1 controls and DEL, except line feed and tab.
    static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar != "\n", scalar != "\t" else { return false }
        return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
