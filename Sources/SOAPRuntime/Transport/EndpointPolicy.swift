import Foundation

/// Which endpoint URLs may carry eHealth requests: `https` anywhere, plain `http` only to this
/// machine (a local sandbox). Requests carry eID-signed data with national numbers, and an
/// answer over plain HTTP from another host is unauthenticated.
public enum EndpointPolicy {
    /// Throws `SOAPError.insecureEndpoint` for anything but https, or http to a loopback host.
    public static func check(_ url: URL) throws {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty else {
            throw SOAPError(.insecureEndpoint, "\(url.absoluteString) is not an http(s) URL with a host")
        }
        if scheme == "http", !isLoopback(host: host) {
            throw SOAPError(.insecureEndpoint, "\(url.absoluteString) uses plain http to \(host): only https is allowed, except to this machine (localhost, 127.0.0.0/8, ::1)")
        }
    }

    /// localhost, 127.0.0.0/8 and ::1 (with or without brackets).
    public static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
