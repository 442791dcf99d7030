import Foundation
import Hummingbird
import NIOCore
import Sandbox
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Applies the fault plan to one SOAP request: finds the operation, takes its fault if one is
/// staged, and spoils the exchange before or after the engine handles the request.
enum FaultInjection {
    /// Thrown by the handler once the connection is closed: Hummingbird's attempt to answer it
    /// then fails on the closed channel, and nothing at all reaches the client.
    struct ConnectionDropped: Error, CustomStringConvertible {
        let operation: SandboxOperation
        var description: String { "injected fault: the connection was dropped during \(operation)" }
    }

    static func respond(to body: Data, faults: SandboxFaults, channel: any Channel,
                        handle: (SandboxFault?) async -> SandboxEngine.Reply) async throws -> Response {
        // Without rules, requests are not parsed a second time.
        guard !faults.isEmpty, let operation = SandboxOperation(requestBody: body), let fault = faults.take(for: operation) else {
            return SandboxServer.response(await handle(nil))
        }
        // An answer (an eHealth status, a SOA fault) is the engine's to give, before or after
        // the request's effects.
        if fault.kind.isAnswer {
            return SandboxServer.response(await handle(fault))
        }
        var reply: SandboxEngine.Reply?
        if fault.moment == .afterHandling {
            reply = await handle(nil)
        }
        switch fault.kind {
        case .latency(let duration):
            try await Task.sleep(for: duration)
            if let reply { return SandboxServer.response(reply) }
            return SandboxServer.response(await handle(nil))
        case .status, .soapFault:
            return SandboxServer.response(await handle(fault))
        case .serviceUnavailable:
            return serviceUnavailable
        case .droppedConnection:
            await drop(channel)
            throw ConnectionDropped(operation: operation)
        case .malformedResponse:
            return malformed(cutting: reply)
        }
    }

    /// What a load balancer answers while the service behind it is down.
    static var serviceUnavailable: Response {
        Response(status: .serviceUnavailable, headers: [.contentType: "text/html; charset=iso-8859-1"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: """
                 <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
                 <html><head><title>503 Service Unavailable</title></head><body>
                 <h1>Service Unavailable</h1>
                 <p>The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.</p>
                 </body></html>
                 """)))
    }

    /// HTTP 200 `text/xml` that no XML parser accepts: the handled request's answer cut off
    /// half-way, or, when the request was not handled, a body that is not XML at all.
    static func malformed(cutting reply: SandboxEngine.Reply?) -> Response {
        let body: Data
        if let reply {
            // Any proper prefix of the envelope lacks at least its closing tag.
            body = reply.body.prefix(max(1, reply.body.count / 2))
        } else {
            body = Data("upstream connect error or disconnect/reset before headers. reset reason: connection termination".utf8)
        }
        return Response(status: .ok, headers: [.contentType: "text/xml; charset=UTF-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Closes the connection with a TCP reset (SO_LINGER 0), as a failing middlebox does; a
    /// channel without socket options is closed normally.
    static func drop(_ channel: any Channel) async {
        if let socket = channel as? any SocketOptionProvider {
            try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }
}
