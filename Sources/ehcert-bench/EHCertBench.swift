import Foundation

/// `ehcert-bench [--json] [--filter TEXT]`: the project's benchmarks, one line each. Build in
/// release mode (`swift run -c release ehcert-bench --json`); numbers from debug builds mean little.
@main
struct EHCertBench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.contains("--help") || arguments.contains("-h") {
            print("usage: ehcert-bench [--json] [--filter TEXT]\n  --json    one JSON object per line: {\"name\", \"ns_per_op\", \"iterations\"}")
            return
        }
        let json = arguments.contains("--json")
        var filter: String?
        if let index = arguments.firstIndex(of: "--filter") {
            guard arguments.index(after: index) < arguments.endIndex else {
                FileHandle.standardError.write(Data("ehcert-bench: --filter needs a value\n".utf8))
                exit(64)
            }
            filter = arguments[arguments.index(after: index)]
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let benchmarks = try GeneratorBenchmarks.all(repositoryRoot: root) + BindingsBenchmarks.all() + XMLSignatureBenchmarks.all() + FlowBenchmarks.all()
        var results: [String: Double] = [:]
        for benchmark in benchmarks where filter.map({ benchmark.name.contains($0) }) ?? true {
            let result = try benchmark.run()
            results[result.name] = result.nanosecondsPerOperation
            print(json ? result.json : result.humanReadable)
        }
        guard !json else { return }
        let ratios = [
            ("bindings.decode.citizen1000", "libxml2.parse.citizen1000", "decode / plain libxml2 parse", 2.0),
            ("xmldsig.sign", "rsa2048.sign.floor", "XML signature / bare RSA signature", 1.3),
            ("xmldsig.verify", "xmldsig.verify.floor", "XML verification / parse + bare RSA verification", 2.5),
        ]
        for (measured, floor, label, target) in ratios {
            guard let value = results[measured], let base = results[floor] else { continue }
            print(String(format: "%@: %.2fx (target: at most %.1fx)", label, value / base, target))
        }
    }
}
