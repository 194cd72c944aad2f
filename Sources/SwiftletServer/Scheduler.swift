#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Swiftlet
import SwiftletServeAPI
import SwiftletTokenizers

/// Work a lane runs on the compute thread.
enum Work: Sendable {
    /// The texts tokenized (prefix included) by `Embedder.tokenize`, so they are tokenized
    /// once; `tokens` is their real token count (the batch budget).
    case embed(EmbedModel, encodings: [Encoding], normalize: Bool?, tokens: Int)
    /// SPLADE: batched over requests like `embed`.
    case sparse(SparseModel, encodings: [Encoding], tokens: Int)
    /// One request's documents against its query; the reranker batches them itself.
    case rerank(RerankModel, query: String, documents: [String], raw: Bool)
    /// CLIP: one request's images, or its texts (the text tower), run as one job.
    case clipImages(ImageModel, [RGBImage])
    case clipTexts(ImageModel, [String])
    case ocr(OCRModel, RGBImage)
}

enum WorkResult: Sendable {
    case vectors([[Float]])
    case sparse([SparseVector])
    case ranks([RerankResult])
    case lines([OCRLine])
}

/// The dynamic batcher: requests queue per lane (one lane per embedding model and
/// normalization, one per sparse embedder, one per reranker, one for OCR); a single compute thread takes the next batch round-robin
/// over the lanes that have work, so an OCR flood costs an embedding request at most one
/// OCR job of waiting, and the process never runs more than `threads` compute threads.
/// A batch is formed from the oldest requests of a lane up to `maxBatchTokens` real tokens
/// (the embedder then sorts by length and pads within that budget); a request larger than
/// that runs alone and the embedder splits it. Vectors do not depend on batch-mates (the
/// embedder's guarantee), so batching never changes a result.
final class Scheduler: @unchecked Sendable {
    struct Limits: Sendable {
        var maxBatchTokens: Int
        var batchWindow: Duration
        var tenantInflight: Int
        var maxQueue: Int
    }

    private final class Job {
        let work: Work
        let meta: RequestMeta
        let enqueued: ContinuousClock.Instant
        let continuation: CheckedContinuation<WorkResult, any Error>
        init(work: Work, meta: RequestMeta, continuation: CheckedContinuation<WorkResult, any Error>) {
            self.work = work
            self.meta = meta
            self.enqueued = .now
            self.continuation = continuation
        }
        var tenant: String? { meta.tenant }
        var deadline: Double? { meta.deadline }
        var tokens: Int {
            switch work {
            case .embed(_, _, _, let t), .sparse(_, _, let t): return t
            default: return 0
            }
        }
    }

    let limits: Limits
    let metrics: ServerMetrics
    private let cond = Condition()
    private var lanes: [String: [Job]] = [:]
    private var laneOrder: [String] = []
    private var nextLane = 0
    private var inflight: [String: Int] = [:]
    private var queued = 0
    private var running = 0
    private var draining = false
    private var stopped = false

    init(limits: Limits, metrics: ServerMetrics) {
        self.limits = limits
        self.metrics = metrics
    }

    func start() {
        // Models run here; 8 MB of stack as the main thread has.
        startThread(stackSize: 8 << 20) { [self] in loop() }
    }

    /// Queues `work` and waits for its result. Throws 429 when the tenant or the queue is
    /// full, 503 while draining, 504 when the deadline (unix ms) passes before it runs.
    func submit(_ work: Work, lane: String, meta: RequestMeta) async throws -> WorkResult {
        let tenant = meta.tenant
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<WorkResult, any Error>) in
            cond.lock()
            defer { cond.unlock() }
            if draining || stopped { c.resume(throwing: APIError.draining()); return }
            if let tenant, inflight[tenant, default: 0] >= limits.tenantInflight {
                c.resume(throwing: APIError.overloaded("tenant '\(tenant)' has \(limits.tenantInflight) requests in flight (--tenant-inflight)"))
                return
            }
            if queued >= limits.maxQueue {
                c.resume(throwing: APIError.overloaded("queue is full (\(limits.maxQueue) requests waiting, --max-queue)"))
                return
            }
            if lanes[lane] == nil { lanes[lane] = []; laneOrder.append(lane) }
            lanes[lane]!.append(Job(work: work, meta: meta, continuation: c))
            if let tenant { inflight[tenant, default: 0] += 1 }
            queued += 1
            metrics.setQueue(lane: laneKind(lane), size: queuedIn(kind: laneKind(lane)))
            cond.signal()
        }
    }

    /// Refuse new work; what is queued still runs.
    func beginDrain() {
        cond.lock(); draining = true; cond.broadcast(); cond.unlock()
    }

    /// Requests queued or running.
    var pending: Int {
        cond.lock(); defer { cond.unlock() }
        return queued + running
    }

    var isDraining: Bool {
        cond.lock(); defer { cond.unlock() }
        return draining
    }

    /// Ends the compute thread once the queue is empty.
    func stop() {
        cond.lock(); stopped = true; cond.broadcast(); cond.unlock()
    }

    /// The lane's kind (its name up to the first colon): embed, sparse, rerank or ocr.
    private func laneKind(_ lane: String) -> String { String(lane.prefix { $0 != ":" }) }

    /// Lanes whose jobs are merged into one batch up to the token budget.
    private func batches(_ lane: String) -> Bool { lane.hasPrefix("embed:") || lane.hasPrefix("sparse:") }

    private func queuedIn(kind: String) -> Int {
        lanes.filter { laneKind($0.key) == kind }.reduce(0) { $0 + $1.value.count }
    }

    private func loop() {
        while true {
            cond.lock()
            var batch: [Job] = []
            var laneName = ""
            while batch.isEmpty {
                if stopped && queued == 0 { cond.unlock(); return }
                let (picked, name, wakeAt) = takeBatch()
                if !picked.isEmpty { batch = picked; laneName = name; break }
                if let wakeAt {
                    let d = (wakeAt - .now).components
                    cond.wait(seconds: max(0, Double(d.seconds) + Double(d.attoseconds) / 1e18))
                } else {
                    cond.wait()
                }
            }
            queued -= batch.count
            running += batch.count
            metrics.setQueue(lane: laneKind(laneName), size: queuedIn(kind: laneKind(laneName)))
            cond.unlock()

            let now = Date().timeIntervalSince1970 * 1000
            var live: [Job] = []
            for j in batch {
                if let d = j.deadline, d <= now {
                    metrics.failure(reason: "deadline")
                    finish(j, .failure(APIError.deadline()))
                } else if !j.meta.isConnected() {
                    // Nobody is waiting for this answer any more.
                    metrics.failure(reason: "dropped")
                    finish(j, .failure(APIError.dropped()))
                } else {
                    metrics.observeQueueWait(j.enqueued)
                    live.append(j)
                }
            }
            if !live.isEmpty { run(live) }
        }
    }

    /// Next lane with work, round-robin. A lane whose oldest job is younger than the
    /// batch window and whose queue holds less than a full batch waits (returns its wake-up
    /// time) unless the server is draining.
    private func takeBatch() -> ([Job], String, ContinuousClock.Instant?) {
        guard !laneOrder.isEmpty else { return ([], "", nil) }
        var wakeAt: ContinuousClock.Instant?
        for step in 0..<laneOrder.count {
            let name = laneOrder[(nextLane + step) % laneOrder.count]
            guard let q = lanes[name], let first = q.first else { continue }
            let budget = limits.maxBatchTokens
            if limits.batchWindow > .zero && !draining && !stopped, batches(name) {
                let total = q.reduce(0) { $0 + $1.tokens }
                let due = first.enqueued + limits.batchWindow
                if total < budget && due > .now {
                    wakeAt = min(wakeAt ?? due, due)
                    continue
                }
            }
            var take = 1
            if batches(name) {
                var tokens = first.tokens
                while take < q.count, tokens + q[take].tokens <= budget { tokens += q[take].tokens; take += 1 }
            }
            lanes[name] = Array(q.dropFirst(take))
            nextLane = (nextLane + step + 1) % laneOrder.count
            return (Array(q.prefix(take)), name, nil)
        }
        return ([], "", wakeAt)
    }

    private func run(_ jobs: [Job]) {
        switch jobs[0].work {
        case .embed(let model, _, let normalize, _):
            var texts: [Encoding] = []
            var tokens = 0
            for j in jobs { if case .embed(_, let t, _, let n) = j.work { texts += t; tokens += n } }
            let t0 = ContinuousClock.now
            do {
                let vectors = try model.embedder.embed(encodings: texts, normalize: normalize)
                metrics.observeBatch(lane: "embed", size: texts.count, tokens: tokens, since: t0)
                var at = 0
                for j in jobs {
                    guard case .embed(_, let t, _, _) = j.work else { continue }
                    finish(j, .success(.vectors(Array(vectors[at..<(at + t.count)]))))
                    at += t.count
                }
            } catch {
                metrics.failure(reason: "inference")
                for j in jobs { finish(j, .failure(error)) }
            }
        case .sparse(let model, _, _):
            var texts: [Encoding] = []
            var tokens = 0
            for j in jobs { if case .sparse(_, let t, let n) = j.work { texts += t; tokens += n } }
            let t0 = ContinuousClock.now
            do {
                let vectors = try model.embedder.embed(encodings: texts)
                metrics.observeBatch(lane: "sparse", size: texts.count, tokens: tokens, since: t0)
                var at = 0
                for j in jobs {
                    guard case .sparse(_, let t, _) = j.work else { continue }
                    finish(j, .success(.sparse(Array(vectors[at..<(at + t.count)]))))
                    at += t.count
                }
            } catch {
                metrics.failure(reason: "inference")
                for j in jobs { finish(j, .failure(error)) }
            }
        case .rerank(let model, let query, let documents, let raw):
            let t0 = ContinuousClock.now
            do {
                let ranks = try model.reranker.rerank(query: query, documents: documents, raw: raw)
                metrics.observeBatch(lane: "rerank", size: documents.count, tokens: 0, since: t0)
                finish(jobs[0], .success(.ranks(ranks)))
            } catch {
                metrics.failure(reason: "inference")
                finish(jobs[0], .failure(error))
            }
        case .clipImages(let model, let images):
            clip(jobs[0], size: images.count) { try model.embedder.embed(images: images) }
        case .clipTexts(let model, let texts):
            clip(jobs[0], size: texts.count) { try model.embedder.embed(texts: texts) }
        case .ocr(let model, let image):
            let t0 = ContinuousClock.now
            do {
                let lines = try model.ocr.recognize(image)
                metrics.observeBatch(lane: "ocr", size: 1, tokens: 0, since: t0)
                finish(jobs[0], .success(.lines(lines)))
            } catch {
                metrics.failure(reason: "inference")
                finish(jobs[0], .failure(error))
            }
        }
    }

    private func clip(_ job: Job, size: Int, _ body: () throws -> [[Float]]) {
        let t0 = ContinuousClock.now
        do {
            let vectors = try body()
            metrics.observeBatch(lane: "clip", size: size, tokens: 0, since: t0)
            finish(job, .success(.vectors(vectors)))
        } catch {
            metrics.failure(reason: "inference")
            finish(job, .failure(error))
        }
    }

    private func finish(_ j: Job, _ r: Result<WorkResult, any Error>) {
        cond.lock()
        running -= 1
        if let t = j.tenant {
            inflight[t, default: 1] -= 1
            if inflight[t] == 0 { inflight[t] = nil }
        }
        cond.unlock()
        j.continuation.resume(with: r)
    }
}
