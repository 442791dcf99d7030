import Foundation
import SOAPRuntime

/// Hostile input (issue 13): one element with 80,000 attributes (0.79 MB), which costs the
/// system libxml2 seconds of CPU on its own (a quadratic duplicate-attribute check). The
/// hardened parse must refuse it before libxml2 builds anything: target under 50 ms.
enum HostileInputBenchmarks {
    static let name = "xml.refuse.attributes80000"
    static let names = [name]

    static func all() -> [Benchmark] {
        let attributes = (0..<80_000).map { " a\($0)=\"v\"" }.joined()
        let document = Data("<root\(attributes)/>".utf8)
        return [
            Benchmark(name) {
                do {
                    _ = try XMLDocument(parsing: document)
                    preconditionFailure("the 80,000-attribute document was accepted")
                } catch let error as XMLError {
                    precondition(error.code == .limitExceeded, "refused for another reason: \(error)")
                }
            },
        ]
    }
}
