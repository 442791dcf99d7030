import Foundation
import WSDLCodegen

/// wsdl2swift over a schema corpus (`--corpus DIR`, e.g. the technical connector's 214 schemas):
/// every document generated on its own, in one process, as `corpus-check.sh` does one per process.
enum CorpusBenchmarks {
    static let names = ["wsdl2swift.generate.corpus", "wsdl2swift.generate.kmehr_elements"]
    /// The large KMEHR schema the issue sets a figure for (the Python generator takes 1.9 s).
    static let kmehrDocument = "kmehr_elements-1_34.xsd"

    static func documents(in corpus: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { ["xsd", "wsdl"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
    }

    static func generate(_ document: URL) throws -> [GeneratorPipeline.GeneratedFile] {
        document.pathExtension == "wsdl"
            ? try GeneratorPipeline.generate(wsdls: [document])
            : try GeneratorPipeline.generate(wsdls: [], xsds: [document])
    }

    /// nil with the reason said on standard error when the folder is missing.
    static func all(corpus: URL?) throws -> [Benchmark]? {
        guard let corpus else {
            EHCertBench.note("wsdl2swift.generate.corpus: skipped (give --corpus DIR, e.g. ../shared/corpus/technical-connector-4.0.2)")
            return nil
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: corpus.path, isDirectory: &isFolder), isFolder.boolValue else {
            EHCertBench.note("wsdl2swift.generate.corpus: skipped (\(corpus.path) is not a folder)")
            return nil
        }
        let documents = documents(in: corpus)
        var failures: [String] = []
        for document in documents {
            do { _ = try generate(document) } catch { failures.append(String((document.lastPathComponent + ": \(error)").prefix(200))) }
        }
        EHCertBench.note("wsdl2swift.generate.corpus: \(documents.count - failures.count)/\(documents.count) documents generate")
        for failure in failures { EHCertBench.note("  failed: \(failure)") }
        var benchmarks = [
            Benchmark("wsdl2swift.generate.corpus", roundDuration: .milliseconds(1)) {
                for document in documents { _ = try? generate(document) }
            },
        ]
        if let kmehr = documents.first(where: { $0.lastPathComponent == kmehrDocument }) {
            benchmarks.append(Benchmark("wsdl2swift.generate.kmehr_elements") {
                let files = try generate(kmehr)
                precondition(!files.isEmpty)
            })
        } else {
            EHCertBench.note("wsdl2swift.generate.kmehr_elements: skipped (no \(kmehrDocument) in the corpus)")
        }
        return benchmarks
    }
}
