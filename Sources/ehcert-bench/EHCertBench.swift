import Foundation

/// `ehcert-bench [--json] [--filter TEXT] [--rounds N] [--corpus DIR]`: the project's benchmarks, one line each.
/// Build in release mode (`swift run -c release ehcert-bench --json`); numbers from debug builds
/// mean little.
@main
struct EHCertBench {
    static let usage = """
        usage: ehcert-bench [--json] [--filter TEXT] [--rounds N] [--corpus DIR]
          --json      one JSON object per line on standard output: {"name", "ns_per_op", "iterations", "spread"}
                      (spread: (slowest round - fastest round) / median); ratios and warnings go to standard error
          --filter    only the benchmarks whose name contains TEXT
          --rounds    rounds per benchmark (default 7); ns_per_op is the median round
          --corpus    a folder of WSDL/XSD documents for wsdl2swift.generate.corpus (skipped without it)
        """

    /// Measured row, floor rows (added up), what the ratio means, the target.
    static let ratios: [(measured: String, floors: [String], label: String, target: Double)] = [
        ("bindings.decode.citizen1000", ["libxml2.parse.citizen1000"], "decode / plain libxml2 parse", 2.0),
        ("xmldsig.sign", ["rsa2048.sign.openssl"], "XML signature / bare OpenSSL RSA signature", 1.3),
        ("xmldsig.verify", ["libxml2.parse.request", "rsa2048.verify.openssl"], "XML verification / parse + bare OpenSSL RSA verification", 2.5),
        ("flow.create.person", ["rsa2048.keygen"], "create flow / one RSA key generation", 3.5),
        (SandboxStateBenchmarks.name(records: 10_000), [SandboxStateBenchmarks.name(records: 10)],
         "sandbox getCertificate with 10,000 / with 10 certificates on record", 1.5),
        // The earlier floors (swift-crypto), for comparison.
        ("xmldsig.sign", ["rsa2048.sign.floor"], "XML signature / bare swift-crypto RSA signature", .infinity),
        ("xmldsig.verify", ["xmldsig.verify.floor"], "XML verification / parse + bare swift-crypto RSA verification", .infinity),
    ]

    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            return
        }
        let json = arguments.contains("--json")
        let filter = value(of: "--filter", in: arguments)
        var runner = BenchmarkRunner()
        if let rounds = value(of: "--rounds", in: arguments) {
            guard let count = Int(rounds), count >= 3 else { fail("--rounds needs a number of at least 3") }
            runner.rounds = count
        }
        let corpus = value(of: "--corpus", in: arguments).map { URL(fileURLWithPath: $0) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // A group's set-up (keys, documents, a sandbox) is only made when one of its names is wanted.
        let groups: [(names: [String], make: () throws -> BenchmarkGroup)] = [
            (["wsdl2swift.generate"], { BenchmarkGroup(try GeneratorBenchmarks.all(repositoryRoot: root)) }),
            (["libxml2.parse.citizen1000", "soap.parse.citizen1000", "bindings.decode.citizen1000", "bindings.encode.citizen1000"],
             { BenchmarkGroup(try BindingsBenchmarks.all()) }),
            (XMLSignatureBenchmarks.names, { BenchmarkGroup(try XMLSignatureBenchmarks.all()) }),
            (FlowBenchmarks.names, FlowBenchmarks.group),
            (SandboxStateBenchmarks.names, SandboxStateBenchmarks.group),
            (HostileInputBenchmarks.names, { BenchmarkGroup(HostileInputBenchmarks.all()) }),
        ]
        let wanted: (String) -> Bool = { name in filter.map { name.contains($0) } ?? true }
        var results: [String: Double] = [:]
        for group in groups where group.names.contains(where: wanted) {
            let made = try group.make()
            defer { made.tearDown() }
            precondition(made.benchmarks.map(\.name) == group.names, "ehcert-bench: the list of names of a group is out of date")
            for result in try runner.run(made.benchmarks.filter { wanted($0.name) }) {
                results[result.name] = result.nanosecondsPerOperation
                print(json ? result.json : result.humanReadable)
                if json, result.isUnstable {
                    note(String(format: "%@: spread %.1f%% is above %.0f%%: this row moved more than the effects tracked",
                                result.name, result.spread * 100, BenchmarkResult.spreadLimit * 100))
                }
            }
        }
        if CorpusBenchmarks.names.contains(where: wanted), let benchmarks = try CorpusBenchmarks.all(corpus: corpus) {
            for result in try runner.run(benchmarks.filter { wanted($0.name) }) {
                results[result.name] = result.nanosecondsPerOperation
                print(json ? result.json : result.humanReadable)
            }
        }
        if let kmehr = results["wsdl2swift.generate.kmehr_elements"] {
            let line = String(format: "%@: %.3f s (target: under 0.3 s; the Python generator: 1.9 s)", CorpusBenchmarks.kmehrDocument, kmehr / 1e9)
            if json { note(line) } else { print(line) }
        }
        if let refused = results[HostileInputBenchmarks.name] {
            let line = String(format: "80,000-attribute document refused in %.2f ms (target: under 50 ms, %@)", refused / 1e6,
                              refused < 50e6 ? "met" : "NOT met")
            if json { note(line) } else { print(line) }
        }
        for (measured, floors, label, target) in ratios {
            guard let value = results[measured] else { continue }
            let bases = floors.compactMap { results[$0] }
            guard bases.count == floors.count else { continue }
            let ratio = value / bases.reduce(0, +)
            var line = String(format: "%@: %.2fx", label, ratio)
            if target.isFinite {
                line += String(format: " (target: at most %.1fx, %@)", target, ratio <= target ? "met" : "NOT met")
            }
            if json { note(line) } else { print(line) }
        }
    }

    static func value(of option: String, in arguments: ArraySlice<String>) -> String? {
        guard let index = arguments.firstIndex(of: option) else { return nil }
        guard arguments.index(after: index) < arguments.endIndex else { fail("\(option) needs a value") }
        return arguments[arguments.index(after: index)]
    }

    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func fail(_ message: String) -> Never {
        note("ehcert-bench: \(message)")
        exit(64)
    }
}
