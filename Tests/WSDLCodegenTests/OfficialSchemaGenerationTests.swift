import Foundation
import Testing
@testable import WSDLCodegen

/// The generator on the platform's own published XSDs (their folder layout, `../../` imports,
/// XMLSpy leftovers) gives the same Swift types as on our Schemas/: evidence that it handles real
/// eHealth definitions and that our schemas describe the same wire format.
@Suite struct OfficialSchemaGenerationTests {
    static let official = RepositoryPaths.root.deletingLastPathComponent()
        .appendingPathComponent("shared/reference/ehealth-schemas")
    static let available = FileManager.default.fileExists(atPath: official.path)

    static func declarations(_ files: [GeneratorPipeline.GeneratedFile]) -> [String] {
        files.flatMap { file in
            file.contents.split(separator: "\n").compactMap { line -> String? in
                let text = line.trimmingCharacters(in: .whitespaces)
                for keyword in ["public struct ", "public enum ", "public indirect enum ", "public protocol ", "public typealias "]
                where text.hasPrefix(keyword) && !line.hasPrefix(" ") {
                    return String(text.dropFirst(keyword.count).prefix { $0 != ":" && $0 != " " && $0 != "=" })
                }
                return nil
            }
        }.sorted()
    }

    @Test(.enabled(if: available, "the official XSDs are not at ../shared/reference/ehealth-schemas"))
    func officialSchemasGiveTheSameTypesAsOurs() throws {
        let officialFiles = try GeneratorPipeline.generate(wsdls: [], xsds: [
            Self.official.appendingPathComponent("ehealth-etee/XSD/ehealth-certra-schema-protocol-2_0.xsd"),
            Self.official.appendingPathComponent("ehealth-etee/XSD/ehealth-etkra-schema-protocol-2_0.xsd"),
            Self.official.appendingPathComponent("ehealth-errors/XSD/ehealth-errors-schema-soa-1_1.xsd"),
        ])
        let ours = try GeneratorPipeline.generate(wsdls: [], xsds: [
            RepositoryPaths.schemas.appendingPathComponent("certra-protocol-v2.xsd"),
            RepositoryPaths.schemas.appendingPathComponent("etkra-protocol-v2.xsd"),
            RepositoryPaths.schemas.appendingPathComponent("soa-errors-v1.xsd"),
        ])
        let officialTypes = Set(Self.declarations(officialFiles))
        let ourTypes = Set(Self.declarations(ours))
        // Our xmldsig schema leaves out Manifest and SignatureProperties, which no message uses.
        let onlyOfficial = officialTypes.subtracting(ourTypes).filter { !$0.hasPrefix("Manifest") && !$0.hasPrefix("SignatureProperties") && !$0.hasPrefix("SignatureProperty") }
        #expect(onlyOfficial.isEmpty, "types only the official XSDs give: \(onlyOfficial.sorted())")
        #expect(ourTypes.subtracting(officialTypes).isEmpty, "types only ours give: \(ourTypes.subtracting(officialTypes).sorted())")
        #expect(ourTypes.contains("GetCertificateInfoForCitizenResponseType"))
    }
}
