import Hummingbird
import NIOCore
import Sandbox

/// Hummingbird's basic request context plus the connection the request came on, which the
/// fault injection closes to stage a dropped connection (a handler can otherwise only answer).
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
