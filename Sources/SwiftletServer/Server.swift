#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Swiftlet

/// `swiftlet serve`: loads and warms every model, then serves the sidecar protocol and the
/// OpenAI / Ollama / TEI-compatible APIs on a Unix socket and/or a TCP port, until SIGTERM
/// or SIGINT; then it stops accepting, answers what is in flight (up to the drain timeout),
/// removes the socket file and returns.
public enum SwiftletServe {
    public static let version = "0.1.0"

    public static func run(_ options: ServerOptions, log: @escaping @Sendable (String) -> Void) async throws {
        guard options.socket != nil || options.listen != nil else { throw ServeError("give --socket PATH and/or --listen HOST:PORT") }
        guard !options.models.isEmpty || options.ocr != nil else { throw ServeError("no models: give --model NAME=PATH, --models-dir DIR or --ocr") }
        if let path = options.socket { try UnixSocketPath.prepare(path) }
        let metrics = ServerMetrics()
        let registry = try ModelRegistry.load(options, log: log)
        for (name, seconds) in registry.loadSeconds { metrics.modelLoaded(name, seconds: seconds) }
        if let o = registry.ocr { metrics.modelLoaded(o.name, seconds: o.loadSeconds) }
        let scheduler = Scheduler(limits: .init(maxBatchTokens: options.maxBatchTokens, batchWindow: options.batchWindow,
                                                tenantInflight: options.tenantInflight, maxQueue: options.maxQueue), metrics: metrics)
        scheduler.start()
        defer { scheduler.stop() }
        let serving = Serving(options: options, registry: registry, scheduler: scheduler, metrics: metrics, version: version)

        let router = Router(context: ServeContext.self)
        router.add(middleware: ErrorMiddleware(serving: serving))
        SidecarRoutes.register(router, serving)
        OpenAIRoutes.register(router, serving)
        OllamaRoutes.register(router, serving)
        TEIRoutes.register(router, serving)
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        let responder = router.buildResponder()

        // Library logs (Hummingbird, ServiceLifecycle) go to stderr: stdout stays clean.
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        var logger = Logger(label: "swiftlet.serve")
        logger.logLevel = options.verbose ? .info : .warning
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let path = options.socket {
            // The socket is created by bind with the umask's mode: no window where others may connect.
            let old = umask(0o177)
            let app = Application(responder: responder, configuration: .init(address: .unixDomainSocket(path: path), serverName: nil),
                                  onServerRunning: { _ in
                                      umask(old)
                                      chmod(path, 0o600)
                                      log("listening on unix:\(path)")
                                  }, logger: logger)
            services.append(.init(service: app))
        }
        if let (host, port) = options.listen {
            let app = Application(responder: responder, configuration: .init(address: .hostname(host, port: port), serverName: nil),
                                  onServerRunning: { ch in log("listening on http://\(host):\(ch.localAddress?.port ?? port)") },
                                  logger: logger)
            services.append(.init(service: app))
        }
        // Last in the list, so the group's reverse-order shutdown runs it first: from the
        // signal on, new work gets 503 while queued work finishes.
        services.append(.init(service: DrainOnShutdown(scheduler: scheduler), successTerminationBehavior: .ignore))
        if options.exitWithParent {
            services.append(.init(service: ParentWatch(), successTerminationBehavior: .ignore))
        }
        var config = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        config.maximumGracefulShutdownDuration = options.drainTimeout
        let group = ServiceGroup(configuration: config)
        do {
            try await group.run()
        } catch {
            if let path = options.socket { unlink(path) }
            throw error
        }
        if let path = options.socket { unlink(path) }
        log("stopped")
    }
}

/// Flips the scheduler to draining when the service group starts its graceful shutdown.
struct DrainOnShutdown: Service {
    let scheduler: Scheduler
    func run() async throws {
        try? await gracefulShutdown()
        scheduler.beginDrain()
    }
}

/// `--exit-with-parent`: when the process that started the server goes away (the parent
/// id changes), shut down as on SIGTERM. Polling works on every platform, unlike
/// Linux's parent-death signal, and half a second is quick enough for a sidecar.
struct ParentWatch: Service {
    func run() async throws {
        let parent = getppid()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if getppid() != parent {
                kill(getpid(), SIGTERM)
                return
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
