import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// CLIP through the --onnx route: the text and image towers of the RANDOM-weight reference
/// checkpoints (tools/build_clip.py, seed 0) exported separately by torch
/// (tools/export_clip_onnx.py: CLIPTextModelWithProjection / CLIPVisionModelWithProjection,
/// opset 14) and converted with `--onnx text.onnx --onnx-vision vision.onnx --config-dir DIR`
/// (tools/setup.d/66-clip-onnx.sh). Same weights, so the same torch goldens and the same
/// contract (`CLIPParity`) as the --hf-dir files in CLIPParityTests; the file must also offer
/// the same two entry points and pipeline, so ImageEmbedder, the CLI and the C ABI take it alike.
final class CLIPOnnxParityTests: XCTestCase {
    static let tiny = "clip-tiny-random-onnx"
    static let b32 = "clip-vit-b32-random-onnx"

    /// The tiny model: the whole golden corpus (1587 texts) and every image.
    func testTinyRandomOnnxParity() throws {
        try CLIPParity.check(Self.tiny, golden: CLIPParityTests.tiny)
    }

    /// ViT-B/32 shape (quick_gelu), bounded for CI like the hf-dir test: 16 texts, 6 images.
    func testViTB32RandomOnnxParityBounded() throws {
        try CLIPParity.check(Self.b32, golden: CLIPParityTests.b32, texts: 16, images: 6)
    }

    /// ViT-B/32 shape on every golden text (64) and image (≥ 20).
    func testViTB32RandomOnnxParityFull() throws {
        try CLIPParity.check(Self.b32, golden: CLIPParityTests.b32)
    }

    /// One input per tower, named as the hf-dir graph's (the exported text tower had no
    /// attention_mask; the converter would make one in the graph if it had), and the pipeline
    /// the hf-dir route writes for the same directory.
    func testEntryPointsAndPipelineMatchTheHfDirFile() throws {
        let onnx = try CLIPParity.embedder(Self.tiny), hf = try CLIPParity.embedder(CLIPParityTests.tiny)
        XCTAssertEqual(onnx.textSession.inputs.map(\.name), ["input_ids"])
        XCTAssertEqual(onnx.imageSession.inputs.map(\.name), ["pixel_values"])
        XCTAssertEqual(onnx.textSession.outputs.map(\.name), ["text_features"])
        XCTAssertEqual(onnx.imageSession.outputs.map(\.name), ["image_features"])
        XCTAssertEqual(onnx.textSession.opCounts["Conv"], nil, "the text session holds the image tower's Conv")
        XCTAssertEqual(onnx.dimension, hf.dimension)
        XCTAssertEqual(onnx.config.maxLength, hf.config.maxLength)
        XCTAssertEqual(onnx.config.normalize, hf.config.normalize)
        let a = onnx.config.image, b = hf.config.image
        XCTAssertEqual([a.shortestEdge, a.cropHeight, a.cropWidth], [b.shortestEdge, b.cropHeight, b.cropWidth])
        XCTAssertEqual(a.mean, b.mean)
        XCTAssertEqual(a.std, b.std)
        XCTAssertEqual(a.rescale, b.rescale)
        // Same text, same image: the two routes agree with each other as they do with torch.
        let text = "a photo of a cat", image = try CLIPParity.goldenImages(CLIPParityTests.tiny)[0]
        XCTAssertLessThanOrEqual(maxAbsDiff(try onnx.embed(texts: [text])[0], try hf.embed(texts: [text])[0]), CLIPParity.maxDiff)
        XCTAssertLessThanOrEqual(maxAbsDiff(try onnx.embed(imageFiles: [image])[0], try hf.embed(imageFiles: [image])[0]),
                                 CLIPParity.maxDiff)
    }
}
