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
        let benchmarks = try GeneratorBenchmarks.all(repositoryRoot: root) + BindingsBenchmarks.all() + XMLSignatureBenchmarks.all()
        var results: [String: Double] = [:]
        for benchmark in benchmarks where filter.map({ benchmark.name.contains($0) }) ?? true {
            let result = try benchmark.run()
            results[result.name] = result.nanosecondsPerOperation
            print(json ? result.json : result.humanReadable)
        }
        if !json, let floor = results["libxml2.parse.citizen1000"], let decode = results["bindings.decode.citizen1000"] {
            print(String(format: "decode / plain libxml2 parse: %.2fx (target: at most 2x)", decode / floor))
        }
    }
}
