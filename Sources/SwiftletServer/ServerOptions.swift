#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Everything `swiftlet serve` is told on its command line. Defaults are what a sidecar
/// needs with no flags beyond a socket and a models directory.
public struct ServerOptions: Sendable {
    /// Unix-domain socket path (parent directory created 0700, socket 0600).
    public var socket: String?
    /// TCP listener, loopback unless a host is given.
    public var listen: (host: String, port: Int)?
    /// Embedding models by name.
    public var models: [(name: String, path: String)] = []
    /// Alternative names clients may ask for ("search" → "multilingual-e5-small").
    public var aliases: [String: String] = [:]
    public var defaultModel: String?
    /// OCR set: det, rec and optional cls model paths.
    public var ocr: (det: String, rec: String, cls: String?)?
    /// Compute threads for the whole process.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Most texts one request may carry (413 beyond).
    public var maxBatch: Int = 64
    /// Padded tokens per encoder run: the dynamic batcher fills a batch up to this.
    public var maxBatchTokens: Int = 4096
    /// Largest request body in bytes (413 beyond).
    public var maxBody: Int = 16 << 20
    /// How long a lane waits for more work to fill a batch once it has some (0: never).
    public var batchWindow: Duration = .zero
    /// Most requests one tenant may have queued or running (429 beyond).
    public var tenantInflight: Int = 32
    /// Most requests waiting over all lanes (429 beyond).
    public var maxQueue: Int = 1024
    /// How long SIGTERM waits for requests in flight.
    public var drainTimeout: Duration = .seconds(30)
    /// Die with the process that started this one (Linux parent-death signal).
    public var exitWithParent = false
    /// Log each request to stderr.
    public var verbose = false

    public init() {}
}
