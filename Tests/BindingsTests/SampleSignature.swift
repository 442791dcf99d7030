import Foundation
import Generated

/// A realistic enveloped XML-DSig signature as eHealth expects it on signed requests:
/// exclusive C14N, RSA-SHA256, one reference to the request's Id with the enveloped-signature
/// and exclusive C14N transforms, and the signer's certificate in KeyInfo.
enum SampleSignature {
    static let exclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"

    static func signing(_ requestId: String, signatureId: String = "signature-1") throws -> SignatureType {
        let inclusiveNamespaces = try AnyXMLElement(
            xml: #"<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="ds"/>"#)
        return SignatureType(
            id: signatureId,
            signedInfo: SignedInfoType(
                id: signatureId + "-signed-info",
                canonicalizationMethod: CanonicalizationMethodType(algorithm: exclusiveC14N),
                signatureMethod: SignatureMethodType(algorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
                reference: [
                    ReferenceType(
                        id: signatureId + "-reference",
                        uri: "#" + requestId,
                        transforms: TransformsType(transform: [
                            TransformType(algorithm: "http://www.w3.org/2000/09/xmldsig#enveloped-signature"),
                            TransformType(algorithm: exclusiveC14N, choiceList: [.anyElement(inclusiveNamespaces)]),
                        ]),
                        digestMethod: DigestMethodType(algorithm: "http://www.w3.org/2001/04/xmlenc#sha256"),
                        digestValue: SampleBytes.pattern(count: 32, seed: 7)
                    ),
                ]
            ),
            signatureValue: SignatureValueType(id: signatureId + "-value", value: SampleBytes.pattern(count: 256, seed: 11)),
            keyInfo: KeyInfoType(id: signatureId + "-key-info", choiceList: [
                .x509Data(X509DataType(choiceList: [
                    .x509SubjectName("SERIALNUMBER=85210123617, GIVENNAME=Anne, SURNAME=Peeters, CN=Anne Peeters (Authentication), C=BE"),
                    .x509Certificate(SampleBytes.derCertificate),
                ])),
            ])
        )
    }
}
