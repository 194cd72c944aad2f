import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// torch's exact GELU export, x·0.5·(1 + erf(x/√2)), in both orders of the 0.5, becomes
/// one Gelu. The fused kernel evaluates the same erf polynomial on x/√2 rounded the same
/// way; only the order of the final products differs: max |diff| ≤ 1e-6 on |x| ≤ 4.
final class GeluFusionTests: XCTestCase {
    /// `halfFirst`: (x·0.5)·(1+erf); otherwise (x·(1+erf))·0.5. `divide`: x/√2 or x·(1/√2).
    func decomposed(halfFirst: Bool, divide: Bool, sqrt2: Float = 1.4142135, rsqrt2: Float = 0.70710678) -> GraphIR {
        var nodes = [
            divide ? node("Div", ["x", "sqrt2"], "scaled") : node("Mul", ["x", "rsqrt2"], "scaled"),
            node("Erf", ["scaled"], "erf"),
            node("Add", ["erf", "one"], "onePlus"),
        ]
        if halfFirst {
            nodes.insert(node("Mul", ["x", "half"], "halfX"), at: 0)
            nodes.append(node("Mul", ["halfX", "onePlus"], "y"))
        } else {
            nodes.append(node("Mul", ["x", "onePlus"], "product"))
            nodes.append(node("Mul", ["product", "half"], "y"))
        }
        return testGraph(inputs: [("x", [4, 37])], outputs: ["y"], nodes: nodes, constants: [
            "sqrt2": scalar(sqrt2), "rsqrt2": scalar(rsqrt2), "one": scalar(1), "half": scalar(0.5),
        ])
    }

    func testBothSpellingsBecomeOneGelu() throws {
        for (halfFirst, divide) in [(false, true), (true, false)] {
            let g = decomposed(halfFirst: halfFirst, divide: divide)
            let x = try Tensor(floats: testRandoms(4 * 37, seed: 5).map { $0 * 4 }, shape: [4, 37])
            try assertFusion(g, fused: ["Gelu": 1], tolerance: 1e-6, feeds: ["x": x])
        }
    }

    /// A `model.half()` export's constants are √2 and 1/√2 rounded to float16 (1.4140625,
    /// 0.70703125): fused as GELU, which moves x/√2 by 1.1e-4 relative — max |diff| ≤ 1e-4 on
    /// |x| ≤ 4, under that graph's own float16 rounding; a constant further off is not GELU.
    func testFloat16ExportConstantsBecomeOneGelu() throws {
        let x = try Tensor(floats: testRandoms(4 * 37, seed: 6).map { $0 * 4 }, shape: [4, 37])
        for divide in [true, false] {
            let g = decomposed(halfFirst: false, divide: divide, sqrt2: 1.4140625, rsqrt2: 0.70703125)
            try assertFusion(g, fused: ["Gelu": 1], tolerance: 1e-4, feeds: ["x": x])
        }
        let off = decomposed(halfFirst: false, divide: true, sqrt2: 1.4150)
        let session = try GraphFile.session(off, options: SessionOptions(threads: 1))
        XCTAssertNil(session.opCounts["Gelu"], "1.415 is not √2 in any precision")
    }

    func testSharedIntermediateBlocksIt() throws {
        try assertBlocked(decomposed(halfFirst: false, divide: true), sharing: "erf")
    }
}
