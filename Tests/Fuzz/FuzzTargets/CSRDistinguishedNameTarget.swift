import _CryptoExtras
import Foundation
import Security
import X509

/// CSRs and eHealth DNs. The first byte chooses, the rest is the input:
/// 0. a CSR's DER, read as the sandbox reads generateCertificate's (`EHealthCertificateSigningRequest`);
/// 1. a DN string, read as a contract's DN (`EHealthDistinguishedName`), written again, and
///    read back from its X.509 form;
/// 2. the same string as the contract DN a flow builds its CSR from, with a key made once.
public struct CSRDistinguishedNameTarget: FuzzTarget {
    public static let name = "csr-dn"

    let privateKey: Certificate.PrivateKey

    public init(environment: FuzzEnvironment) throws {
        privateKey = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    public func run(_ data: Data) {
        guard let mode = data.first else { return }
        let input = data.dropFirst()
        switch mode % 3 {
        case 0:
            guard let request = try? EHealthCertificateSigningRequest(derEncoded: input) else { return }
            _ = request.subject.description
            _ = try? request.publicKeyIdentifier
        case 1:
            guard let name = try? EHealthDistinguishedName(String(decoding: input, as: UTF8.self)) else { return }
            _ = name.commonName
            let again = try? EHealthDistinguishedName(name.description)
            _ = try? EHealthDistinguishedName(name.distinguishedName)
            _ = again
        default:
            _ = try? EHealthCertificateSigningRequest(contractDistinguishedName: String(decoding: input, as: UTF8.self), privateKey: privateKey)
        }
    }

    /// The traced CSRs (generateCertificate, submitCSRForForeigner) and DNs (contracts'), each
    /// DN once for mode 1 and once for mode 2.
    public static func seeds(from demo: DemoArtifacts) throws -> [Data] {
        var seeds: [Data] = []
        var names: Set<String> = []
        for trace in try demo.traces(endingWith: ".xml") {
            for csr in TraceText.base64Values(of: "CSR", in: trace.data) + TraceText.base64Values(of: "EHealthCSR", in: trace.data) {
                seeds.append(Data([0]) + csr)
                if let request = try? EHealthCertificateSigningRequest(derEncoded: csr) { names.insert(request.subject.description) }
            }
            for name in TraceText.texts(of: "DN", in: trace.data) { names.insert(name) }
        }
        names.insert("CN=\"SSIN=85073003328\", OU=eHealth-platform Belgium, OU=Jean DUPONT, OU=SSIN=85073003328, O=Federal Government, C=BE")
        for name in names.sorted() {
            seeds.append(Data([1]) + Data(name.utf8))
            seeds.append(Data([2]) + Data(name.utf8))
        }
        return seeds
    }
}
