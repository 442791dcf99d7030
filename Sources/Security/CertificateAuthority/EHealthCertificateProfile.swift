import Foundation
import SwiftASN1
import X509

/// The extensions of the authentication certificates the platform's CA issues (issue 15,
/// measured on real acceptance certificates): key usage digitalSignature + nonRepudiation +
/// keyEncipherment, extended key usage clientAuth + emailProtection, certificate policies, a CRL
/// distribution point and an OCSP responder. The sandbox issues this profile so that clients
/// (and their trust checks) meet what the platform delivers.
public struct EHealthCertificateProfile: Sendable, Hashable {
    /// Where the issuing CA publishes its CRL (an http URL, as CAs do: a CRL is signed).
    public var crlDistributionPoint: String
    /// The OCSP responder for certificates of this CA.
    public var ocspResponder: String
    /// The certificate policies asserted.
    public var policies: [ASN1ObjectIdentifier]

    /// The sandbox's policy: under IANA's example enterprise arc (RFC 5612), so that nobody takes
    /// it for one of the platform's own policy identifiers.
    public static let sandboxPolicy: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 32473, 15, 1]

    public init(crlDistributionPoint: String, ocspResponder: String, policies: [ASN1ObjectIdentifier] = [Self.sandboxPolicy]) {
        self.crlDistributionPoint = crlDistributionPoint
        self.ocspResponder = ocspResponder
        self.policies = policies
    }

    public func extensions() throws -> Certificate.Extensions {
        var extensions = try Certificate.Extensions {
            Critical(KeyUsage(digitalSignature: true, nonRepudiation: true, keyEncipherment: true))
            try ExtendedKeyUsage([.clientAuth, .emailProtection])
            AuthorityInformationAccess([.init(method: .ocspServer, location: .uniformResourceIdentifier(ocspResponder))])
        }
        try extensions.append(try certificatePoliciesExtension())
        try extensions.append(try crlDistributionPointsExtension())
        return extensions
    }

    /// RFC 5280 4.2.1.4: CertificatePolicies ::= SEQUENCE OF PolicyInformation (here without
    /// qualifiers); swift-certificates has no type for it.
    func certificatePoliciesExtension() throws -> Certificate.Extension {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { policiesNode in
            for policy in policies {
                try policiesNode.appendConstructedNode(identifier: .sequence) { information in
                    try information.serialize(policy)
                }
            }
        }
        return Certificate.Extension(oid: [2, 5, 29, 32], critical: false, value: ArraySlice(serializer.serializedBytes))
    }

    /// RFC 5280 4.2.1.13: one DistributionPoint whose distributionPoint is the fullName URI
    /// (`[0]` explicit around the DistributionPointName CHOICE, `[0]` implicit GeneralNames).
    func crlDistributionPointsExtension() throws -> Certificate.Extension {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { points in
            try points.appendConstructedNode(identifier: .sequence) { point in
                try point.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { name in
                    try name.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { fullName in
                        try fullName.serialize(GeneralName.uniformResourceIdentifier(crlDistributionPoint))
                    }
                }
            }
        }
        return Certificate.Extension(oid: [2, 5, 29, 31], critical: false, value: ArraySlice(serializer.serializedBytes))
    }
}
