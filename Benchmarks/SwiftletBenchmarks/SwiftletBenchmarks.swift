import Benchmark
import Foundation
import Swiftlet
import SwiftletTestSupport
import SwiftletTokenizers

// Regression guard for `swift package benchmark` (docs/BENCHMARKS.md#regression-guard):
// kernels through the same public path models take (a Session over a one-MatMul graph, so
// weights are packed at load exactly as in a model), tokenization, and the whole embedder.
// Ratios against onnxruntime are tools/bench_speed.py's job, not this file's.

/// Threads for every case; SWIFTLET_BENCH_THREADS overrides (names carry it as a tag, so
/// baselines recorded with different counts never compare against each other).
let threads = Int(ProcessInfo.processInfo.environment["SWIFTLET_BENCH_THREADS"] ?? "") ?? 2

/// Wall clock is the guarded metric: a median 20% slower than the baseline is a regression.
/// Malloc counts are exact, so any change there is shown (and checked) too.
func config(_ tags: [String: String] = [:], maxSeconds: Int = 3) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .mallocCountTotal],
        tags: tags.merging(["threads": "\(threads)"]) { a, _ in a },
        warmupIterations: 2,
        maxDuration: .seconds(maxSeconds),
        maxIterations: 200,
        thresholds: [
            .wallClock: .init(relative: [.p50: 20.0]),
            .mallocCountTotal: .init(relative: [.p50: 5.0]),
        ]
    )
}

/// The models directory the test tiers use: SWIFTLET_MODELS, else ./models.
func modelPath(_ name: String) -> String {
    requiredFile("\(name).swl", in: "SWIFTLET_MODELS", else: "models", missing: "run `bash tools/setup.sh` or set SWIFTLET_MODELS")
}

/// A shared OCR sample image (SWIFTLET_OCR_SAMPLES, else ../shared/ocr-samples).
func samplePath(_ name: String) -> String {
    requiredFile(name, in: "SWIFTLET_OCR_SAMPLES", else: "../shared/ocr-samples",
                 missing: "set SWIFTLET_OCR_SAMPLES to the shared OCR samples")
}

/// `name` in the directory an environment variable names (else `fallback`); a benchmark
/// without its input stops with what to do rather than timing an error path.
func requiredFile(_ name: String, in variable: String, else fallback: String, missing hint: String) -> String {
    let dir = ProcessInfo.processInfo.environment[variable] ?? fallback
    let path = "\(dir)/\(name)"
    guard FileManager.default.fileExists(atPath: path) else { fatalError("\(path) is missing: \(hint)") }
    return path
}

/// The fixed English corpus (golden/corpus/en.jsonl): 414 search-style queries.
func corpus() -> [String] {
    let url = URL(fileURLWithPath: "golden/corpus/en.jsonl")
    guard let data = try? Data(contentsOf: url) else {
        fatalError("\(url.path) is missing: run `swift package benchmark` from the repository root")
    }
    return data.split(separator: UInt8(ascii: "\n")).map { line in
        guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let t = o["text"] as? String else {
            fatalError("golden/corpus/en.jsonl: a line without a \"text\" string")
        }
        return t
    }
}

/// A Session over y = x · W, W [k, n] fp32 or int8 (per-column scales, as the converter
/// writes them), x [m, k]: timing `run` times the packed GEMM plus one small dispatch.
struct MatMulCase {
    let session: Session
    let feeds: [String: Tensor]

    init(m: Int, n: Int, k: Int, int8: Bool) throws {
        var b = SWLBuilder()
        b.inputs = [["name": "x", "dtype": "float32", "shape": ["rows", k]]]
        b.outputs = [["name": "y", "dtype": "float32", "shape": ["rows", n]]]
        b.nodes = [["name": "mm", "op": "MatMul", "inputs": ["x", "W"], "outputs": ["y"]]]
        if int8 {
            let q = (0..<(k * n)).map { UInt8(bitPattern: Int8(truncatingIfNeeded: ($0 * 37) % 255 - 127)) }
            b.tensors.append(("W", "float32", [k, n], q))
            let scales = (0..<n).map { Float($0 % 7 + 1) * 0.001 }
            b.encodings["W"] = (["type": "int8", "axis": 1], scales.withUnsafeBytes { Array($0) })
        } else {
            b.floatTensor("W", (0..<(k * n)).map { Float($0 % 13) * 0.01 - 0.06 }, [k, n])
        }
        let path = try b.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        session = try Session(path: path, options: SessionOptions(threads: threads))
        feeds = ["x": try Tensor(floats: (0..<(m * k)).map { Float($0 % 17) * 0.01 - 0.08 }, shape: [m, k])]
    }
}

/// 32 texts of at least 128 tokens (consecutive corpus lines joined), cut to 128: the
/// "batch × 128 tokens" shape tools/bench_speed.py reports.
func longEncodings(_ tokenizer: Tokenizer, count: Int) -> [Encoding] {
    let lines = corpus()
    var out: [Encoding] = []
    var i = 0
    while out.count < count {
        var text = ""
        while tokenizer.encodeIds(text, maxLength: 256).count < 128 {
            text += lines[i % lines.count] + ". "
            i += 1
        }
        out.append(tokenizer.encode(text, maxLength: 128))
    }
    return out
}

let benchmarks: @Sendable () -> Void = {
    // MiniLM's GEMMs at batch 1 × 128 tokens (QKV/output projection, FFN up, FFN down) and
    // one at batch 32 (4096 rows).
    let shapes = [(128, 384, 384), (128, 1536, 384), (128, 384, 1536), (4096, 384, 384)]
    for (m, n, k) in shapes {
        for int8 in [false, true] where !int8 || m == 128 {
            let kind = int8 ? "int8" : "fp32"
            nonisolated(unsafe) var mm: MatMulCase?
            Benchmark("GEMM \(kind) packed \(m)x\(n)x\(k)", configuration: config(["isa": int8 ? Int8ISA.best.rawValue : GemmISA.best.rawValue]), closure: { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try mm!.session.run(mm!.feeds)) }
            }, setup: { mm = try MatMulCase(m: m, n: n, k: k, int8: int8) }, teardown: { mm = nil })
        }
    }

    nonisolated(unsafe) var tokenizer: Tokenizer?
    nonisolated(unsafe) var texts: [String] = []
    Benchmark("WordPiece encode en.jsonl (414 texts)", configuration: config(), closure: { benchmark in
        for _ in benchmark.scaledIterations {
            for t in texts { blackHole(tokenizer!.encode(t)) }
        }
    }, setup: {
        let model = try ModelFile(path: modelPath("all-MiniLM-L6-v2"))
        guard let json = model.blob("tokenizer.json") else { fatalError("all-MiniLM-L6-v2.swl has no tokenizer.json") }
        tokenizer = try Tokenizer(json: json)
        texts = corpus()
    }, teardown: { tokenizer = nil })

    for batch in [1, 32] {
        nonisolated(unsafe) var embedder: Embedder?
        nonisolated(unsafe) var encodings: [Encoding] = []
        Benchmark("all-MiniLM-L6-v2 embed batch \(batch) x 128 tokens", configuration: config(maxSeconds: batch == 1 ? 3 : 10), closure: { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try embedder!.embed(encodings: encodings)) }
        }, setup: {
            embedder = try Embedder(path: modelPath("all-MiniLM-L6-v2"), options: .init(threads: threads, batchSize: 32))
            encodings = longEncodings(embedder!.tokenizer, count: batch)
        }, teardown: { embedder = nil })
    }

    // Image decoding (libjpeg / libpng into RGB) and the whole OCR pipeline on the same
    // images: detection, DB post-processing (contours, min-area boxes, unclip), perspective
    // crops, angle classifier and CTC recognition.
    for name in ["ch_en_num.jpg", "ch_doc_server.png"] {
        nonisolated(unsafe) var bytes: [UInt8] = []
        Benchmark("decode \(name)", configuration: config(), closure: { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try RGBImage(encoded: bytes, name: name)) }
        }, setup: {
            guard let data = FileManager.default.contents(atPath: samplePath(name)) else { fatalError("cannot read \(name)") }
            bytes = [UInt8](data)
        })

        nonisolated(unsafe) var ocr: OCR?
        nonisolated(unsafe) var image: RGBImage?
        Benchmark("PP-OCRv5 OCR \(name)", configuration: config(maxSeconds: 10), closure: { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try ocr!.recognize(image!)) }
        }, setup: {
            ocr = try OCR(detModel: modelPath("ppocrv5-det"), recModel: modelPath("ppocrv5-rec"), clsModel: modelPath("ppocrv5-cls"),
                          options: OCROptions(threads: threads))
            image = try RGBImage(contentsOf: samplePath(name))
        }, teardown: { ocr = nil; image = nil })
    }
}
