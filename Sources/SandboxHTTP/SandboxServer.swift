import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Sandbox

/// The HTTP face of the sandbox: `POST /CertRa/v2` and `POST /EtkRa/v2` (SOAP 1.1), the
/// validation page a foreigner opens (`/foreigner/validate/<token>`), and the issuing CA's CRL
/// and OCSP responder (``RevocationPublication``).
enum SandboxServer {
    static func router(engine: SandboxEngine, headerLog: RequestHeaderLog? = nil) -> Router<SandboxRequestContext> {
        let router = Router(context: SandboxRequestContext.self)
        for service in [SandboxEngine.Service.certRA, .etkRA] {
            router.post("\(service.rawValue)/v2") { request, context -> Response in
                var request = request
                let buffer: ByteBuffer
                do {
                    buffer = try await request.collectBody(upTo: SandboxEngine.maximumRequestBytes)
                } catch {
                    return Response(status: .contentTooLarge)
                }
                let soapAction = request.headers[.soapAction]
                headerLog?.record(soapAction: soapAction, headers: request.headers)
                let body = Data(buffer: buffer)
                return try await FaultInjection.respond(to: body, faults: engine.faults, channel: context.channel) { injected in
                    await engine.handle(service: service, soapAction: soapAction, body: body, injected: injected)
                }
            }
        }
        // The issuing CA's CRL and OCSP responder, at the addresses its certificates name.
        router.get(RouterPath(RevocationPublication.crlPath)) { _, _ -> Response in
            binary(try await engine.certificateRevocationList(), type: "application/pkix-crl")
        }
        router.post(RouterPath(RevocationPublication.ocspPath)) { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            return binary(try await engine.ocspResponse(to: Data(buffer: body)), type: "application/ocsp-response")
        }
        router.get(RouterPath(RevocationPublication.ocspPath + "/**")) { request, _ -> Response in
            // RFC 6960 A.1: the DER request, base64 then URL-encoded, as the path's rest.
            let encoded = String(request.uri.path.dropFirst(RevocationPublication.ocspPath.count + 1)).removingPercentEncoding ?? ""
            guard let der = Data(base64Encoded: encoded) else {
                return binary(try await engine.ocspResponse(to: Data()), type: "application/ocsp-response")
            }
            return binary(try await engine.ocspResponse(to: der), type: "application/ocsp-response")
        }
        router.get("foreigner/validate/:token") { _, context -> Response in
            let token = context.parameters.get("token") ?? ""
            guard await engine.foreignerValidationIsOpen(token: token) else {
                return html(ForeignerPage.failed("this validation link is unknown or expired"), status: .notFound)
            }
            return html(ForeignerPage.confirmation(token: token))
        }
        router.post("foreigner/validate/:token") { _, context -> Response in
            let token = context.parameters.get("token") ?? ""
            do {
                let key = try await engine.confirmForeigner(token: token)
                return html(ForeignerPage.confirmed(publicKeyIdentifier: key))
            } catch {
                return html(ForeignerPage.failed("\(error)"), status: .notFound)
            }
        }
        return router
    }

    static func response(_ reply: SandboxEngine.Reply) -> Response {
        Response(status: .init(code: reply.status), headers: [.contentType: "text/xml; charset=UTF-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    static func binary(_ data: Data, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=UTF-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The page of the foreigner flow (cookbook 4.3.7); on the platform the person logs in with the
/// eHealth IDP first, here a button stands for that.
enum ForeignerPage {
    static func confirmation(token: String) -> String {
        """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>eHealth certificate request</title></head><body>
        <h1>Confirm your eHealth certificate request</h1>
        <p>On the eHealth platform you would log in with the eHealth IDP here. In the sandbox, press the button.</p>
        <form method="post" action="/foreigner/validate/\(token)"><button type="submit">Confirm my request</button></form>
        </body></html>
        """
    }

    static func confirmed(publicKeyIdentifier: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><body><h1>Request confirmed</h1><p>Request \(publicKeyIdentifier) will now be certified.</p></body></html>"
    }

    static func failed(_ reason: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><body><h1>This link cannot be used</h1><p>\(reason)</p></body></html>"
    }
}

extension HTTPField.Name {
    static let soapAction = Self("SOAPAction")!
}
