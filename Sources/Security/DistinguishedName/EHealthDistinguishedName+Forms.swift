/// The two string forms in which eHealth DNs travel. The platform and its Java connector write
/// the `=` inside the identifier escaped (`CN=SSIN\=85210123617,…`); the cookbook's own example
/// (4.3.4.3) leaves it bare (`CN=SSIN=85210123617,…`). Both are RFC 4514 and read back as the same
/// ``EHealthDistinguishedName``.
extension EHealthDistinguishedName {
    public enum StringForm: String, Sendable, CaseIterable, Codable {
        /// `CN=SSIN\=85210123617,…`: ``EHealthDistinguishedName/description``.
        case escaped
        /// `CN=SSIN=85210123617,…`, as the cookbook prints it.
        case cookbook
    }

    /// The DN written in `form`; other specials (`,` before an application id) stay escaped.
    public func string(_ form: StringForm) -> String {
        switch form {
        case .escaped: description
        case .cookbook: rfc4514Name.string(escapingEquals: false)
        }
    }

    /// Whether two DN strings name the same eHealth DN, whatever their form. Identical strings
    /// always do; otherwise false when either is not an eHealth DN.
    public static func sameName(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        guard let first = try? EHealthDistinguishedName(first), let second = try? EHealthDistinguishedName(second) else { return false }
        return first == second
    }
}
