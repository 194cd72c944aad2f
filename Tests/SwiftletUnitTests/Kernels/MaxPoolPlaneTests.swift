import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// MaxPool without its Indices output takes maxPoolPlane (branch-free interior, vectorized
/// at column stride 1); with Indices it takes the clipped scalar loop. Both must give the
/// same bits on every geometry: kernels, strides, dilations, pads, SAME padding, ceil_mode,
/// NaN and −∞ taps, rows both longer and shorter than one 16-wide vector.
final class MaxPoolPlaneTests: XCTestCase {
    func pool(_ x: Tensor, _ attrs: [String: Attribute], indices: Bool) throws -> Tensor {
        let n = Node(name: "p", op: "MaxPool", inputs: ["X"], outputs: indices ? ["Y", "I"] : ["Y"], attrs: attrs)
        return try OpRegistry.make(n, opset: 12).run([x], ExecContext(pool: BufferPool(), threads: 2))[0]
    }

    func testFastPathEqualsScalarPath() throws {
        var cases = 0
        for (h, w) in [(7, 9), (20, 37), (5, 70)] {
            var values = testRandoms(2 * 3 * h * w, seed: UInt64(h * 100 + w))
            values[5] = .nan
            values[17] = -.infinity
            values[h * w + 3] = .nan
            let x = try Tensor(floats: values, shape: [2, 3, h, w])
            for k in [[1, 1], [2, 2], [3, 3], [2, 3]] {
                for s in [[1, 1], [2, 2], [1, 2]] {
                    for d in [[1, 1], [2, 1]] {
                        for pads in [[0, 0, 0, 0], [1, 1, 1, 1], [0, 2, 1, 0]] {
                            for ceil in [0, 1] {
                                var attrs: [String: Attribute] = ["kernel_shape": .ints(k), "strides": .ints(s), "dilations": .ints(d),
                                                                  "pads": .ints(pads), "ceil_mode": .int(ceil)]
                                if pads == [0, 2, 1, 0] && ceil == 1 { attrs["pads"] = nil; attrs["auto_pad"] = .string("SAME_UPPER"); attrs["ceil_mode"] = nil }
                                let fast = try pool(x, attrs, indices: false), scalar = try pool(x, attrs, indices: true)
                                XCTAssertEqual(fast.shape, scalar.shape)
                                XCTAssertEqual(fast.floatArray().map(\.bitPattern), scalar.floatArray().map(\.bitPattern),
                                               "\(h)x\(w) k\(k) s\(s) d\(d) pads\(pads) ceil\(ceil)")
                                cases += 1
                            }
                        }
                    }
                }
            }
        }
        XCTAssertEqual(cases, 432)
    }
}
