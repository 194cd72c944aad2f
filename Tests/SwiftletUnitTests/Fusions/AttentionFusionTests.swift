import Foundation
import XCTest
@testable import Swiftlet

/// Multi-head self-attention as BERT exports spell it (head split by Reshape/Transpose,
/// Q·Kᵀ, scale, additive mask, Softmax, ·V, heads merged) becomes one Swiftlet.Attention.
/// The fused kernel sums the same products in another order and skips the masked key:
/// max |diff| ≤ 1e-5 on outputs of magnitude ~1.
final class AttentionFusionTests: XCTestCase {
    static let (s, heads, size) = (5, 2, 4)

    func selfAttention() throws -> GraphIR {
        let (s, h, d) = (Self.s, Self.heads, Self.size)
        var nodes: [Node] = []
        for (x, perm) in [("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])] {
            nodes.append(node("Reshape", [x, "split"], x + "Heads"))
            nodes.append(node("Transpose", [x + "Heads"], x + "T", ["perm": .ints(perm)]))
        }
        nodes += [
            node("MatMul", ["qT", "kT"], "scores"),
            node("Div", ["scores", "sqrtD"], "scaled"),
            node("Add", ["scaled", "mask"], "masked"),
            node("Softmax", ["masked"], "probs", ["axis": .int(-1)]),
            node("MatMul", ["probs", "vT"], "context"),
            node("Transpose", ["context"], "contextT", ["perm": .ints([0, 2, 1, 3])]),
            node("Reshape", ["contextT", "merge"], "y"),
        ]
        return testGraph(inputs: [("q", [1, s, h * d]), ("k", [1, s, h * d]), ("v", [1, s, h * d]), ("mask", [1, 1, 1, s])],
                         outputs: ["y"], nodes: nodes, constants: [
                            "split": try Tensor(int64s: [1, Int64(s), Int64(h), Int64(d)], shape: [4]),
                            "merge": try Tensor(int64s: [1, Int64(s), Int64(h * d)], shape: [3]),
                            "sqrtD": scalar(2),
                         ])
    }

    func testSelfAttentionBecomesOneNode() throws {
        let g = try selfAttention()
        var feeds = try randomFeeds(g)
        // The last key is padding, as BERT's extended attention mask marks it.
        feeds["mask"] = try Tensor(floats: [0, 0, 0, 0, -10000], shape: [1, 1, 1, Self.s])
        try assertFusion(g, fused: ["Swiftlet.Attention": 1], tolerance: 1e-5, feeds: feeds)
    }

    func testSharedProbabilitiesBlockIt() throws {
        try assertBlocked(try selfAttention(), sharing: "probs")
    }
}
