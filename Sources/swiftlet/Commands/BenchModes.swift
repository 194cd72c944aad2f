import Swiftlet

/// What one `bench` mode measured, and the JSON line tools/bench*.py parse.
struct Timings {
    var wallMs: [Double] = []
    /// Process CPU time per run (corpus mode).
    var cpuMs: [Double] = []
    var items = 0
    /// Per-text latency fields (corpus mode at batch 1), already JSON.
    var itemStats = ""

    func json(runs: Int, threads: Int) -> String {
        let times = wallMs.sorted()
        let median = times[times.count / 2]
        let cpu = cpuMs.min().map { ",\"cpu_min_ms\":\($0),\"items_per_cpu_s\":\(Double(items) / $0 * 1000)" } ?? ""
        return "{\"cpu\":\(JSONOut.string(KernelPaths.cpu)),\"isa\":\(JSONOut.string(KernelPaths.isa)),\"gemm\":\(JSONOut.string(KernelPaths.gemm)),\"int8_gemm\":\(JSONOut.string(KernelPaths.int8Gemm)),\"median_ms\":\(median),\"min_ms\":\(times[0]),\"runs\":\(runs),\"threads\":\(threads),\"items\":\(items),\"items_per_s\":\(Double(items) / median * 1000)\(cpu)\(itemStats)}"
    }
}

extension BenchCommand {
    /// The raw graph, or the part of it `--output` names.
    func graphSession(threads: Int) throws -> Session {
        try Session(model: ModelFile(path: ModelPath.resolve(model)), options: SessionOptions(threads: threads, fusions: !noFusions, prepackWeights: !noPrepack),
                    outputs: output.isEmpty ? nil : output)
    }

    /// The raw graph on given tensors (`--input`), e.g. OCR images.
    func timeGraph(feeds: [String: Tensor], threads: Int) throws -> Timings {
        let s = try graphSession(threads: threads)
        var t = Timings(items: feeds.values.first?.shape.first ?? 1)
        for i in 0..<(runs.value + warmup.value) {
            let ms = try Stopwatch.ms { _ = try s.run(feeds) }
            if i >= warmup.value { t.wallMs.append(ms) }
        }
        if profile { try Profile.report(s, feeds, runs: runs.value) }
        return t
    }

    /// The whole embed pipeline over a corpus.
    func timeCorpus(_ texts: [String], threads: Int) throws -> Timings {
        let e = try Embedder(path: ModelPath.resolve(model), options: .init(threads: threads, batchSize: batch?.value ?? 32, fusions: !noFusions))
        var t = Timings(items: texts.count)
        // At batch 1 each text is also timed on its own (last run), so a stream of
        // different texts gets its latency distribution, not just one text's.
        let single = e.options.batchSize == 1
        var perText: [Double] = []
        for i in 0..<(runs.value + warmup.value) {
            let c0 = Stopwatch.processCPUms()
            let ms = try Stopwatch.ms {
                if single && i == runs.value + warmup.value - 1 {
                    perText = try texts.map { text in try Stopwatch.ms { _ = try e.embed([text]) } }
                } else {
                    _ = try e.embed(texts)
                }
            }
            if i >= warmup.value {
                t.wallMs.append(ms)
                t.cpuMs.append(Stopwatch.processCPUms() - c0)
            }
        }
        if !perText.isEmpty {
            perText.sort()
            t.itemStats = ",\"item_p50_ms\":\(perText[perText.count / 2]),\"item_p99_ms\":\(perText[min(perText.count - 1, perText.count * 99 / 100)])"
        }
        return t
    }

    /// Fixed [batch, seq] token ids through the raw graph.
    func timeSynthetic(threads: Int) throws -> Timings {
        let s = try graphSession(threads: threads)
        let b = batch?.value ?? 1, n = seq.value
        // Same deterministic ids as tools/bench.py: 101, then (i*7919 % 20000) + 1000, then 102.
        var ids = [Int64](repeating: 0, count: b * n)
        for r in 0..<b { for j in 0..<n { ids[r * n + j] = j == 0 ? 101 : j == n - 1 ? 102 : Int64((r * n + j) * 7919 % 20000 + 1000) } }
        var feeds: [String: Tensor] = [:]
        for input in s.inputs {
            switch input.name {
            case "input_ids": feeds[input.name] = try Tensor(int64s: ids, shape: [b, n])
            case "attention_mask": feeds[input.name] = try Tensor(int64s: [Int64](repeating: 1, count: b * n), shape: [b, n])
            default: feeds[input.name] = try Tensor(int64s: [Int64](repeating: 0, count: b * n), shape: [b, n])
            }
        }
        var t = Timings(items: b)
        for i in 0..<(runs.value + warmup.value) {
            let ms = try Stopwatch.ms { _ = try s.run(feeds) }
            if i >= warmup.value { t.wallMs.append(ms) }
        }
        if profile { try Profile.report(s, feeds, runs: runs.value) }
        return t
    }

    /// `--gemm MxNxK`: GFLOP/s of each GEMM path on that shape (weights packed once).
    static func timeGemm(_ d: [Int], threads: Int, runs: Int) {
        for r in GemmBenchmark.run(m: d[0], n: d[1], k: d[2], threads: threads, runs: runs) {
            Output.line("{\"m\":\(d[0]),\"n\":\(d[1]),\"k\":\(d[2]),\"threads\":\(threads),\"path\":\(JSONOut.string(r.path)),\"best_ms\":\(r.bestSeconds * 1000),\"gflops\":\(r.gflops)}")
        }
    }
}
