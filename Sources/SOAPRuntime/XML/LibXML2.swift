import CLibXML2

/// One-time libxml2 initialisation; libxml2 asks for it before threads use the parser.
enum LibXML2 {
    static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }

    /// Makes a Swift string from a libxml2 string without an extra copy of the bytes.
    @inline(__always)
    static func string(_ text: UnsafePointer<xmlChar>?) -> String? {
        guard let text else { return nil }
        return String(cString: text)
    }
}
