import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// CLIP (both towers, one embedding space) against torch `CLIPModel` + CLIPTokenizer +
/// CLIPImageProcessor (golden/clip-reference/make_golden.py). The reference models have
/// RANDOM weights with a fixed seed (tools/build_clip.py): there are no CLIP weights to
/// download here, so these tests check the code paths (converter, tokenizer, preprocessing,
/// graph, pooling), not retrieval quality.
/// Contract: per vector cosine ≥ 0.99999 and max |diff| ≤ 1e-4 (unnormalised features, and
/// the normalised vectors), Pillow-bicubic crops byte-identical, text→image rankings in torch's
/// order (images torch scores within 1e-6 of each other may swap: see `checkModel`).
final class CLIPParityTests: XCTestCase {
    static let minCosine = 0.99999
    static let maxDiff: Float = 1e-4
    static let tiny = "clip-tiny-random"
    static let b32 = "clip-vit-b32-random"

    func embedder(_ name: String) throws -> ImageEmbedder {
        try ImageEmbedder(path: TestPaths.model(name), options: .init(threads: 2))
    }

    func reference(_ model: String, _ file: String) throws -> [[Float]] {
        let t = try NPY.read(TestPaths.goldenFile("\(model)/\(file)").path)
        XCTAssertEqual(t.rank, 2, file)
        let d = t.shape[1], v = t.floatArray()
        return (0..<t.shape[0]).map { Array(v[($0 * d)..<(($0 + 1) * d)]) }
    }

    /// golden/corpus/en.jsonl then multilingual.jsonl, as make_golden.py reads them.
    func corpus() throws -> [String] {
        let en = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        return try en + MultilingualCorpus.texts()
    }

    func goldenTexts(_ model: String) throws -> [String] {
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("\(model)/meta.json"))) as! [String: Any]
        return Array(try corpus().prefix(meta["texts"] as! Int))
    }

    func goldenImages(_ model: String) throws -> [String] {
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("\(model)/images.json"))) as! [[String: Any]]
        return try rows.map { row in
            let rel = row["path"] as! String
            return row["source"] as? String == "ocr-samples" ? try OCRSamples.path(rel) : TestPaths.root.appendingPathComponent(rel).path
        }
    }

    @discardableResult
    func compare(_ got: [[Float]], _ want: [[Float]], _ what: String) -> (Double, Float) {
        XCTAssertEqual(got.count, want.count, what)
        var worstCos = 1.0, worstDiff: Float = 0
        for (i, (g, w)) in zip(got, want).enumerated() {
            XCTAssertEqual(g.count, w.count, "\(what) #\(i) dimension")
            let c = cosine(g, w), d = maxAbsDiff(g, w)
            worstCos = min(worstCos, c)
            worstDiff = max(worstDiff, d)
            XCTAssertGreaterThanOrEqual(c, Self.minCosine, "\(what) #\(i) cosine \(c)")
            XCTAssertLessThanOrEqual(d, Self.maxDiff, "\(what) #\(i) max diff \(d)")
        }
        print("parity \(what): \(got.count) vectors, worst cosine \(worstCos), worst max|diff| \(worstDiff)")
        return (worstCos, worstDiff)
    }

    static func normalized(_ v: [Float]) -> [Float] {
        let n = max(Float(v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()), 1e-12)
        return v.map { $0 / n }
    }

    /// For each text, the images ordered by similarity (best first).
    static func rankings(texts: [[Float]], images: [[Float]]) -> [[Int]] {
        let imgs = images.map(normalized)
        return texts.map(normalized).map { t in
            let scores = imgs.map { img in zip(t, img).reduce(Float(0)) { acc, p in acc + p.0 * p.1 } }
            return scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        }
    }

    func checkModel(_ model: String, texts textLimit: Int? = nil, images imageLimit: Int? = nil) throws {
        let e = try embedder(model)
        var texts = try goldenTexts(model)
        var paths = try goldenImages(model)
        var wantText = try reference(model, "text_features.npy")
        var wantImage = try reference(model, "image_features.npy")
        if let n = textLimit { texts = Array(texts.prefix(n)); wantText = Array(wantText.prefix(n)) }
        if let n = imageLimit { paths = Array(paths.prefix(n)); wantImage = Array(wantImage.prefix(n)) }
        XCTAssertGreaterThanOrEqual(paths.count, imageLimit ?? 20, "images")

        let t0 = Date()
        let gotText = try e.embed(texts: texts, normalize: false)
        let t1 = Date()
        let gotImage = try e.embed(imageFiles: paths, normalize: false)
        let t2 = Date()
        print("\(model): \(texts.count) texts in \(String(format: "%.2f", t1.timeIntervalSince(t0))) s, "
              + "\(paths.count) images in \(String(format: "%.2f", t2.timeIntervalSince(t1))) s (2 threads)")
        compare(gotText, wantText, "\(model) text features")
        compare(gotImage, wantImage, "\(model) image features")
        compare(try e.embed(texts: Array(texts.prefix(32))), wantText.prefix(32).map(Self.normalized), "\(model) normalised text")
        compare(try e.embed(imageFiles: Array(paths.prefix(8))), wantImage.prefix(8).map(Self.normalized), "\(model) normalised image")

        // Text → image search: the same order as torch's. The random-weight models put many
        // images at nearly the same similarity (ViT-B/32: 31 adjacent pairs of 3328 within
        // 1e-6), closer than float32 can order them consistently, so the order may differ
        // only between images whose torch similarities are within `tieTolerance` (1e-6 in
        // cosine, ~16 float32 ulps; the 1e-4 vector contract would allow ~1e-4). Every
        // other pair must come in torch's order; the count of exactly identical rankings is printed.
        let got = Self.rankings(texts: gotText, images: gotImage), want = Self.rankings(texts: wantText, images: wantImage)
        let wantScores = Self.similarities(texts: wantText, images: wantImage)
        var same = 0, worstTie: Float = 0
        for (i, (g, w)) in zip(got, want).enumerated() {
            if g == w { same += 1; continue }
            for (a, b) in zip(g, g.dropFirst()) where wantScores[i][b] > wantScores[i][a] {
                let gap = wantScores[i][b] - wantScores[i][a]
                worstTie = max(worstTie, gap)
                XCTAssertLessThanOrEqual(gap, Self.tieTolerance,
                                         "\(model): text #\(i) ranks image \(a) above \(b), torch scores them \(gap) apart the other way")
            }
        }
        print("\(model): text→image rankings identical for \(same)/\(got.count) texts over \(paths.count) images; "
              + "the others only swap images torch scores within \(worstTie) of each other")
    }

    static let tieTolerance: Float = 1e-6

    static func similarities(texts: [[Float]], images: [[Float]]) -> [[Float]] {
        let imgs = images.map(normalized)
        return texts.map(normalized).map { t in imgs.map { img in zip(t, img).reduce(Float(0)) { acc, p in acc + p.0 * p.1 } } }
    }

    /// The tiny model (2 layers per tower, exact gelu): the whole golden corpus (1587 texts)
    /// and every image (the OCR samples and the rendered images under golden/ocr/synthetic).
    func testTinyRandomParity() throws {
        try checkModel(Self.tiny)
    }

    /// ViT-B/32 shape (quick_gelu), bounded for CI: 16 texts, 6 images.
    func testViTB32RandomParityBounded() throws {
        try checkModel(Self.b32, texts: 16, images: 6)
    }

    /// ViT-B/32 shape on every golden text (64) and image (≥ 20).
    func testViTB32RandomParityFull() throws {
        try checkModel(Self.b32)
    }

    /// Pillow's bicubic resize + center crop, byte for byte, on three images (a colour photo
    /// upscaled, a 1-bit scan, a rendered page downscaled).
    func testPreprocessingMatchesPillow() throws {
        let e = try embedder(Self.tiny)
        let paths = try goldenImages(Self.tiny)
        for stem in ["ch_en_num", "issue_170", "000"] {
            guard let path = paths.first(where: { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent == stem }) else {
                XCTFail("\(stem) not among the golden images"); continue
            }
            let want = try NPY.read(TestPaths.goldenFile("\(Self.tiny)/crops/\(stem).npy").path)
            XCTAssertEqual(want.shape, [224, 224, 3])
            let wantBytes = want.withUnsafeBytes { Array($0) }
            let got = try e.config.image.cropped(RGBImage(contentsOf: path, options: e.options.decode))
            var differing = 0, worst = 0
            for (a, b) in zip(got.pixels, wantBytes) where a != b {
                differing += 1
                worst = max(worst, abs(Int(a) - Int(b)))
            }
            print("preprocessing \(stem): \(differing) of \(wantBytes.count) bytes differ from Pillow, max |diff| \(worst)")
            XCTAssertEqual(differing, 0, "\(stem): crop differs from Pillow's in \(differing) bytes (max \(worst))")
        }
    }

    /// Each tower's session runs only its own tower and asks only for its own input.
    func testEntryPointsRunOneTowerEach() throws {
        let path = try TestPaths.model(Self.tiny)
        let full = try Session(path: path, options: SessionOptions(threads: 1))
        let e = try embedder(Self.tiny)
        XCTAssertEqual(e.textSession.inputs.map(\.name), ["input_ids"])
        XCTAssertEqual(e.imageSession.inputs.map(\.name), ["pixel_values"])
        XCTAssertEqual(e.textSession.outputs.map(\.name), ["text_features"])
        XCTAssertEqual(e.imageSession.outputs.map(\.name), ["image_features"])
        XCTAssertEqual(e.textSession.opCounts["Conv"], nil, "the text session holds the image tower's Conv")
        XCTAssertLessThan(e.textSession.nodeCount + e.imageSession.nodeCount, full.nodeCount + 5)
        XCTAssertEqual(e.dimension, 32)
    }

    func testBadInputsAreErrors() throws {
        expectError({ _ = try ImageEmbedder(path: TestPaths.model("all-MiniLM-L6-v2")) }, contains: "not a CLIP model")
        let e = try embedder(Self.tiny)
        expectError({ _ = try e.embed(imageFiles: ["/nonexistent/cat.png"]) }, contains: "/nonexistent/cat.png")
        expectError({ _ = try e.embed(encodedImage: [1, 2, 3], name: "junk") }, contains: "junk")
        let path = try TestPaths.model(Self.tiny)
        expectError({ _ = try Session(model: ModelFile(path: path), outputs: ["logits"]) }, contains: "no graph output named 'logits'")
        XCTAssertEqual(try e.embed(texts: []).count, 0)
        XCTAssertEqual(try e.embed(texts: [""]).first?.count, 32)
    }
}
