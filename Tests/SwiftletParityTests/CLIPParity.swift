import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The CLIP parity contract, shared by every route that makes a CLIP file from the same
/// checkpoint (--hf-dir: CLIPParityTests; --onnx with two tower files: CLIPOnnxParityTests):
/// both are held to the torch goldens of that checkpoint (golden/clip-reference/make_golden.py).
/// Per vector cosine ≥ 0.99999 and max |diff| ≤ 1e-4 (unnormalised features, and the normalised
/// vectors); text→image rankings in torch's order (images torch scores within 1e-6 of each
/// other may swap: see `check`).
enum CLIPParity {
    static let minCosine = 0.99999
    static let maxDiff: Float = 1e-4
    static let tieTolerance: Float = 1e-6

    static func embedder(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> ImageEmbedder {
        try ImageEmbedder(path: TestPaths.model(name, file: file, line: line), options: .init(threads: 2))
    }

    static func reference(_ golden: String, _ file: String) throws -> [[Float]] {
        let t = try NPY.read(TestPaths.goldenFile("\(golden)/\(file)").path)
        XCTAssertEqual(t.rank, 2, file)
        let d = t.shape[1], v = t.floatArray()
        return (0..<t.shape[0]).map { Array(v[($0 * d)..<(($0 + 1) * d)]) }
    }

    /// golden/corpus/en.jsonl then multilingual.jsonl, as make_golden.py reads them.
    static func corpus() throws -> [String] {
        let en = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        return try en + MultilingualCorpus.texts()
    }

    static func goldenTexts(_ golden: String) throws -> [String] {
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("\(golden)/meta.json"))) as! [String: Any]
        return Array(try corpus().prefix(meta["texts"] as! Int))
    }

    static func goldenImages(_ golden: String) throws -> [String] {
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("\(golden)/images.json"))) as! [[String: Any]]
        return try rows.map { row in
            let rel = row["path"] as! String
            return row["source"] as? String == "ocr-samples" ? try OCRSamples.path(rel) : TestPaths.root.appendingPathComponent(rel).path
        }
    }

    @discardableResult
    static func compare(_ got: [[Float]], _ want: [[Float]], _ what: String) -> (Double, Float) {
        XCTAssertEqual(got.count, want.count, what)
        var worstCos = 1.0, worstDiff: Float = 0
        for (i, (g, w)) in zip(got, want).enumerated() {
            XCTAssertEqual(g.count, w.count, "\(what) #\(i) dimension")
            let c = cosine(g, w), d = maxAbsDiff(g, w)
            worstCos = min(worstCos, c)
            worstDiff = max(worstDiff, d)
            XCTAssertGreaterThanOrEqual(c, minCosine, "\(what) #\(i) cosine \(c)")
            XCTAssertLessThanOrEqual(d, maxDiff, "\(what) #\(i) max diff \(d)")
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
        similarities(texts: texts, images: images).map { scores in
            scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        }
    }

    static func similarities(texts: [[Float]], images: [[Float]]) -> [[Float]] {
        let imgs = images.map(normalized)
        return texts.map(normalized).map { t in imgs.map { img in zip(t, img).reduce(Float(0)) { acc, p in acc + p.0 * p.1 } } }
    }

    /// The model file `model` against the goldens in golden/`golden` (by default the same
    /// name), on the first `texts`/`images` of them (all by default).
    static func check(_ model: String, golden: String? = nil, texts textLimit: Int? = nil, images imageLimit: Int? = nil) throws {
        let golden = golden ?? model
        let e = try embedder(model)
        var texts = try goldenTexts(golden)
        var paths = try goldenImages(golden)
        var wantText = try reference(golden, "text_features.npy")
        var wantImage = try reference(golden, "image_features.npy")
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
        compare(try e.embed(texts: Array(texts.prefix(32))), wantText.prefix(32).map(normalized), "\(model) normalised text")
        compare(try e.embed(imageFiles: Array(paths.prefix(8))), wantImage.prefix(8).map(normalized), "\(model) normalised image")

        // Text → image search: the same order as torch's. The random-weight models put many
        // images at nearly the same similarity (ViT-B/32: 31 adjacent pairs of 3328 within
        // 1e-6), closer than float32 can order them consistently, so the order may differ
        // only between images whose torch similarities are within `tieTolerance` (1e-6 in
        // cosine, ~16 float32 ulps; the 1e-4 vector contract would allow ~1e-4). Every
        // other pair must come in torch's order; the count of exactly identical rankings is printed.
        let got = rankings(texts: gotText, images: gotImage), want = rankings(texts: wantText, images: wantImage)
        let wantScores = similarities(texts: wantText, images: wantImage)
        var same = 0, worstTie: Float = 0
        for (i, (g, w)) in zip(got, want).enumerated() {
            if g == w { same += 1; continue }
            for (a, b) in zip(g, g.dropFirst()) where wantScores[i][b] > wantScores[i][a] {
                let gap = wantScores[i][b] - wantScores[i][a]
                worstTie = max(worstTie, gap)
                XCTAssertLessThanOrEqual(gap, tieTolerance,
                                         "\(model): text #\(i) ranks image \(a) above \(b), torch scores them \(gap) apart the other way")
            }
        }
        print("\(model): text→image rankings identical for \(same)/\(got.count) texts over \(paths.count) images; "
              + "the others only swap images torch scores within \(worstTie) of each other")
    }
}
