import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the connection, so queued work
/// can tell whether anyone is still waiting for it (a client that hung up is dropped
/// before inference instead of being computed for nobody).
struct ServeContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Safe from any thread: NIO keeps a channel's active flag atomic.
    var isConnected: @Sendable () -> Bool {
        let ch = channel
        return { ch.isActive }
    }
}
