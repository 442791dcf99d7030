import Foundation

/// `ehcert-bench [--json] [--filter TEXT] [--corpus DIR]`: the project's benchmarks, one line each. Build in
/// release mode (`swift run -c release ehcert-bench --json`); numbers from debug builds mean little.
@main
struct EHCertBench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.contains("--help") || arguments.contains("-h") {
            print("usage: ehcert-bench [--json] [--filter TEXT] [--corpus DIR]\n  --json    one JSON object per line: {\"name\", \"ns_per_op\", \"iterations\"}\n  --corpus  a folder of WSDL/XSD documents for wsdl2swift.generate.corpus (skipped without it)")
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
        var corpus: URL?
        if let index = arguments.firstIndex(of: "--corpus") {
            guard arguments.index(after: index) < arguments.endIndex else {
                FileHandle.standardError.write(Data("ehcert-bench: --corpus needs a folder\n".utf8))
                exit(64)
            }
            corpus = URL(fileURLWithPath: arguments[arguments.index(after: index)])
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // A group's set-up (keys, documents, a sandbox) is only made when one of its names is wanted.
        let groups: [(names: [String], make: () throws -> BenchmarkGroup)] = [
            (["wsdl2swift.generate"], { BenchmarkGroup(try GeneratorBenchmarks.all(repositoryRoot: root)) }),
            (["libxml2.parse.citizen1000", "soap.parse.citizen1000", "bindings.decode.citizen1000", "bindings.encode.citizen1000"],
             { BenchmarkGroup(try BindingsBenchmarks.all()) }),
            (["rsa2048.sign.floor", "xmldsig.sign", "xmldsig.verify.floor", "xmldsig.verify", "xmldsig.verify.uncached"],
             { BenchmarkGroup(try XMLSignatureBenchmarks.all()) }),
            (["rsa2048.keygen", "flow.create.person"], FlowBenchmarks.group),
        ]
        let wanted: (String) -> Bool = { name in filter.map { name.contains($0) } ?? true }
        var results: [String: Double] = [:]
        for group in groups where group.names.contains(where: wanted) {
            let made = try group.make()
            defer { made.tearDown() }
            precondition(made.benchmarks.map(\.name) == group.names, "ehcert-bench: the list of names of a group is out of date")
            for benchmark in made.benchmarks where wanted(benchmark.name) {
                let result = try benchmark.run()
                results[result.name] = result.nanosecondsPerOperation
                print(json ? result.json : result.humanReadable)
            }
        }
        if CorpusBenchmarks.names.contains(where: wanted), let benchmarks = try CorpusBenchmarks.all(corpus: corpus) {
            for benchmark in benchmarks where wanted(benchmark.name) {
                let result = try benchmark.run()
                results[result.name] = result.nanosecondsPerOperation
                print(json ? result.json : result.humanReadable)
            }
        }
        guard !json else { return }
        if let kmehr = results["wsdl2swift.generate.kmehr_elements"] {
            print(String(format: "%@: %.3f s (target: under 0.3 s; the Python generator: 1.9 s)", CorpusBenchmarks.kmehrDocument, kmehr / 1e9))
        }
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
