#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Prometheus

/// The server's Prometheus metrics (names prefixed `swiftlet_`), served at GET /metrics.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let secondsBuckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                              .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                              .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    private func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "swiftlet", metricName: metric, unitName: unit, helpText: help)
    }

    func request(route: String, status: Int) {
        registry.makeCounter(descriptor: name("requests", "total", "HTTP requests by route and status"),
                             labels: [("route", route), ("status", String(status))]).increment()
    }

    /// reason: validation, too_large, overloaded, deadline, dropped, inference, draining, not_found.
    func failure(reason: String) {
        registry.makeCounter(descriptor: name("failures", "total", "Requests that did not get a result, by reason"),
                             labels: [("reason", reason)]).increment()
    }

    /// Requests received and not yet answered (any route): what a drain still owes.
    func inFlight(_ delta: Double) {
        registry.makeGauge(descriptor: name("requests_in_flight", "", "Requests received and not yet answered"), labels: []).increment(by: delta)
    }

    func setQueue(lane: String, size: Int) {
        registry.makeGauge(descriptor: name("queue", "size", "Requests waiting per lane"), labels: [("lane", lane)]).set(Double(size))
    }

    func observeBatch(lane: String, size: Int, tokens: Int, since start: ContinuousClock.Instant) {
        registry.makeValueHistogram(descriptor: name("batch", "size", "Texts (or images) per batch run"), labels: [("lane", lane)],
                                    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]).record(Double(size))
        if lane == "embed" {
            registry.makeValueHistogram(descriptor: name("batch", "tokens", "Real tokens per embedding batch"), labels: [],
                                        buckets: [16, 64, 256, 1024, 2048, 4096, 8192, 16384, 65536]).record(Double(tokens))
        }
        registry.makeDurationHistogram(descriptor: name("inference_duration", "seconds", "Compute time per batch"), labels: [("lane", lane)],
                                       buckets: secondsBuckets).record(ContinuousClock.now - start)
    }

    func observeQueueWait(_ enqueued: ContinuousClock.Instant) {
        registry.makeDurationHistogram(descriptor: name("queue_duration", "seconds", "Time from queued to batch start"), labels: [],
                                       buckets: secondsBuckets).record(ContinuousClock.now - enqueued)
    }

    func observeRequest(route: String, since start: ContinuousClock.Instant) {
        registry.makeDurationHistogram(descriptor: name("request_duration", "seconds", "Time from request to response"),
                                       labels: [("route", route)], buckets: secondsBuckets).record(ContinuousClock.now - start)
    }

    func modelLoaded(_ model: String, seconds: Double) {
        registry.makeGauge(descriptor: name("model_load", "seconds", "Load and warm-up time per model"), labels: [("model", model)]).set(seconds)
    }

    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
