import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// CLIP (both towers, one embedding space) against torch `CLIPModel` + CLIPTokenizer +
/// CLIPImageProcessor (golden/clip-reference/make_golden.py). The reference models have
/// RANDOM weights with a fixed seed (tools/build_clip.py): there are no CLIP weights to
/// download here, so these tests check the code paths (converter, tokenizer, preprocessing,
/// graph, pooling), not retrieval quality.
/// Contract (`CLIPParity`): per vector cosine ≥ 0.99999 and max |diff| ≤ 1e-4 (unnormalised
/// features, and the normalised vectors), Pillow-bicubic crops byte-identical, text→image
/// rankings in torch's order (images torch scores within 1e-6 of each other may swap).
final class CLIPParityTests: XCTestCase {
    static let tiny = "clip-tiny-random"
    static let b32 = "clip-vit-b32-random"

    func embedder(_ name: String) throws -> ImageEmbedder {
        try CLIPParity.embedder(name)
    }

    /// The tiny model (2 layers per tower, exact gelu): the whole golden corpus (1587 texts)
    /// and every image (the OCR samples and the rendered images under golden/ocr/synthetic).
    func testTinyRandomParity() throws {
        try CLIPParity.check(Self.tiny)
    }

    /// ViT-B/32 shape (quick_gelu), bounded for CI: 16 texts, 6 images.
    func testViTB32RandomParityBounded() throws {
        try CLIPParity.check(Self.b32, texts: 16, images: 6)
    }

    /// ViT-B/32 shape on every golden text (64) and image (≥ 20).
    func testViTB32RandomParityFull() throws {
        try CLIPParity.check(Self.b32)
    }

    /// Pillow's bicubic resize + center crop, byte for byte, on three images (a colour photo
    /// upscaled, a 1-bit scan, a rendered page downscaled).
    func testPreprocessingMatchesPillow() throws {
        let e = try embedder(Self.tiny)
        let paths = try CLIPParity.goldenImages(Self.tiny)
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
