import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// The cross-encoder with RANDOMLY INITIALISED weights (tools/build_cross_encoder.py) through
/// the --onnx route: BertForSequenceClassification exported by torch
/// (tools/export_cross_encoder_onnx.py, opset 14, logits without sigmoid) and converted with
/// `--onnx model.onnx --config-dir DIR` (tools/setup.d/81-cross-encoder-onnx.sh). Same weights,
/// so the same torch golden (golden/cross-encoder-random-minilm) and contract as the --hf-dir
/// file: pair token ids identical, logits and sigmoid scores within 1e-4, rankings identical.
final class RandomWeightRerankerOnnxParityTests: XCTestCase {
    static let model = "cross-encoder-random-minilm-onnx"

    func testPairTokensScoresAndRankingsMatchTorch() throws {
        try RandomWeightRerankerParityTests.checkPairs(model: Self.model)
    }

    /// --config-dir gives the pipeline the hf-dir route gives: kind, length limit, sigmoid.
    func testPipelineMatchesTheHfDirFile() throws {
        let onnx = try Reranker(path: try TestPaths.model(Self.model), options: .init(threads: 1))
        let hf = try Reranker(path: try TestPaths.model("cross-encoder-random-minilm"), options: .init(threads: 1))
        XCTAssertEqual(onnx.config.kind, hf.config.kind)
        XCTAssertEqual(onnx.config.maxLength, hf.config.maxLength)
        XCTAssertEqual(onnx.config.sigmoid, hf.config.sigmoid)
        XCTAssertTrue(onnx.config.sigmoid)
    }
}
