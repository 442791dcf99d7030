import Generated
import Security
import Testing

/// `ServiceOperation.signer` against the other place the fact shows: a request type that can
/// carry a signature (`SignableRequest`) is exactly the request of an operation someone signs.
@Suite struct RequestSignerTests {
    @Test func anOperationIsSignedExactlyWhenItsRequestCarriesASignature() {
        for operation in ServiceOperation.allCases {
            #expect((operation.inputType is any SignableRequest.Type) == (operation.signer != .none), "\(operation)")
        }
    }

    @Test func eIDSignatureKeysSignOnlyTheLegallyBindingRequests() {
        #expect(ServiceOperation.allCases.filter { $0.signer == .eIDSignature } == [.generateCertificate, .revoke])
        #expect(ServiceOperation.allCases.filter { $0.signer == .eHealthETKOwner }.map(\.service) == [.etkRaV2, .etkRaV2, .etkRaV2])
        #expect(ServiceOperation.getCertificateInfoForAuthenticationCertificate.signer.isEHealth)
    }
}
