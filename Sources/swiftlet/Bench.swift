import Foundation
import Swiftlet

/// `swiftlet bench`: in-process timings for tools/bench.py, which runs onnxruntime on the
/// same inputs and prints ratios. Synthetic mode feeds fixed [batch, seq] token ids to the
/// raw graph; corpus mode times the whole embed pipeline over a JSONL file; `--input
/// NAME=FILE.npy` times the raw graph on given tensors (tools/bench_ocr.py).
enum Bench {
    static func run(_ a: Args) throws {
        try a.rejectUnknown(["model", "batch", "seq", "threads", "runs", "warmup", "jsonl", "no-fusions", "prepack", "no-prepack", "input", "profile", "gemm"])
        let threads = try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount)
        let runs = try a.int("runs", default: 10), warmup = try a.int("warmup", default: 2)
        if let shape = a.value("gemm") { return try gemm(shape, threads: threads, runs: runs) }
        let prepack = !a.flag("no-prepack")
        let path = resolveModel(a.value("model"))
        var times: [Double] = []
        // Process CPU time per run (corpus mode): steadier than wall time on a shared machine.
        var cpuTimes: [Double] = []
        var itemStats = ""
        var items = 0
        if !a.all("input").isEmpty {
            // Raw graph on given tensors (--input NAME=FILE.npy), e.g. OCR images.
            let s = try Session(path: path, options: SessionOptions(threads: threads, fusions: !a.flag("no-fusions"), prepackWeights: prepack))
            var feeds: [String: Tensor] = [:]
            for spec in a.all("input") {
                guard let eq = spec.firstIndex(of: "=") else { throw CLIError("--input takes NAME=FILE.npy, got '\(spec)'") }
                feeds[String(spec[..<eq])] = try NPY.read(String(spec[spec.index(after: eq)...]))
            }
            items = feeds.values.first?.shape.first ?? 1
            for i in 0..<(runs + warmup) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try s.run(feeds)
                if i >= warmup { times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6) }
            }
            if a.flag("profile") { try Profile.report(s, feeds, runs: runs) }
        } else if a.value("jsonl") != nil {
            let e = try Embedder(path: path, options: .init(threads: threads, batchSize: try a.int("batch", default: 32), fusions: !a.flag("no-fusions")))
            let texts = try TextInput.load(a)
            items = texts.count
            // At batch 1 each text is also timed on its own (last run), so a stream of
            // different texts gets its latency distribution, not just one text's.
            let single = e.options.batchSize == 1
            var perText: [Double] = []
            for i in 0..<(runs + warmup) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let c0 = processCPUms()
                if single && i == runs + warmup - 1 {
                    perText = []
                    for t in texts {
                        let s0 = DispatchTime.now().uptimeNanoseconds
                        _ = try e.embed([t])
                        perText.append(Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e6)
                    }
                } else {
                    _ = try e.embed(texts)
                }
                if i >= warmup {
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    cpuTimes.append(processCPUms() - c0)
                }
            }
            if !perText.isEmpty {
                perText.sort()
                itemStats = ",\"item_p50_ms\":\(perText[perText.count / 2]),\"item_p99_ms\":\(perText[min(perText.count - 1, perText.count * 99 / 100)])"
            }
        } else {
            let s = try Session(path: path, options: SessionOptions(threads: threads, fusions: !a.flag("no-fusions"), prepackWeights: prepack))
            let b = try a.int("batch", default: 1), n = try a.int("seq", default: 128)
            items = b
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
            for i in 0..<(runs + warmup) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try s.run(feeds)
                if i >= warmup { times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6) }
            }
            if a.flag("profile") { try Profile.report(s, feeds, runs: runs) }
        }
        times.sort()
        let median = times[times.count / 2]
        let cpu = cpuTimes.min().map { ",\"cpu_min_ms\":\($0),\"items_per_cpu_s\":\(Double(items) / $0 * 1000)" } ?? ""
        emit("{\"cpu\":\(JSONOut.string(KernelPaths.cpu)),\"isa\":\(JSONOut.string(KernelPaths.isa)),\"gemm\":\(JSONOut.string(KernelPaths.gemm)),\"int8_gemm\":\(JSONOut.string(KernelPaths.int8Gemm)),\"median_ms\":\(median),\"min_ms\":\(times[0]),\"runs\":\(runs),\"threads\":\(threads),\"items\":\(items),\"items_per_s\":\(Double(items) / median * 1000)\(cpu)\(itemStats)}")
    }

    /// `--gemm MxNxK`: GFLOP/s of each GEMM path on that shape (weights packed once).
    private static func gemm(_ shape: String, threads: Int, runs: Int) throws {
        let d = shape.split(separator: "x").compactMap { Int($0) }
        guard d.count == 3, d.allSatisfy({ $0 > 0 && $0 <= 1 << 16 }) else { throw CLIError("--gemm takes MxNxK, e.g. 4096x384x384, got '\(shape)'") }
        for r in GemmBenchmark.run(m: d[0], n: d[1], k: d[2], threads: threads, runs: runs) {
            emit("{\"m\":\(d[0]),\"n\":\(d[1]),\"k\":\(d[2]),\"threads\":\(threads),\"path\":\(JSONOut.string(r.path)),\"best_ms\":\(r.bestSeconds * 1000),\"gflops\":\(r.gflops)}")
        }
    }

    private static func processCPUms() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
    }
}
