import Foundation
import WSDLCodegen

/// The whole wsdl2swift pipeline on both service definitions, as the build plugin runs it.
enum GeneratorBenchmarks {
    static func all(repositoryRoot: URL) throws -> [Benchmark] {
        let schemas = repositoryRoot.appendingPathComponent("Schemas")
        let wsdls = try FileManager.default.contentsOfDirectory(at: schemas, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "wsdl" }.sorted { $0.path < $1.path }
        guard wsdls.count == 2 else {
            throw BenchmarkError("expected the two WSDLs in \(schemas.path), found \(wsdls.count)")
        }
        return [
            Benchmark("wsdl2swift.generate") {
                let files = try GeneratorPipeline.generate(wsdls: wsdls)
                precondition(files.count > 2)
            },
        ]
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
