import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// LSTM/GRU behaviour the ONNX node tests leave out: per-batch `sequence_lens` (the
/// reference ignores it) and bad shapes. The spec defines a sequence of length L as if
/// the input stopped at L: outputs past L are zero and Y_h is the state after the last
/// valid step (the first one, for the reverse direction). So a padded batch row must equal
/// the same row run alone on its truncated input, which is what these check.
final class RecurrentTests: XCTestCase {
    func run(_ op: String, _ inputs: [Tensor?], _ attrs: [String: Attribute]) throws -> [Tensor] {
        let n = Node(name: "r0", op: op, inputs: inputs.indices.map { "i\($0)" }, outputs: ["Y", "Y_h", "Y_c"], attrs: attrs)
        return try OpRegistry.make(n, opset: 14).run(inputs, ExecContext(pool: BufferPool(), threads: 1))
    }

    func tensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var s = seed
        let v: [Float] = (0..<shape.reduce(1, *)).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(s >> 40) / Double(1 << 24) - 0.5)
        }
        return try! Tensor(floats: v, shape: shape)
    }

    /// Row `b` of a [S, B, I] input, first `len` steps, as [len, 1, I].
    func slice(_ x: Tensor, batch b: Int, len: Int) -> Tensor {
        let (bn, i) = (x.shape[1], x.shape[2]), v = x.floatArray()
        var out: [Float] = []
        for t in 0..<len { out += v[((t * bn + b) * i)..<((t * bn + b + 1) * i)] }
        return try! Tensor(floats: out, shape: [len, 1, i])
    }

    func checkSequenceLengths(_ op: String, gates: Int) throws {
        let (S, B, I, H) = (4, 2, 3, 5)
        for direction in ["forward", "reverse", "bidirectional"] {
            let D = direction == "bidirectional" ? 2 : 1
            let x = tensor([S, B, I], seed: 1), w = tensor([D, gates * H, I], seed: 2), r = tensor([D, gates * H, H], seed: 3)
            let bias = tensor([D, 2 * gates * H], seed: 4)
            let lens = try Tensor(int64s: [4, 2], shape: [2]).int64Array()
            let attrs: [String: Attribute] = ["hidden_size": .int(H), "direction": .string(direction)]
            let full = try run(op, [x, w, r, bias, try Tensor(int64s: lens, shape: [2])], attrs)
            let y = full[0].floatArray(), yh = full[1].floatArray()
            for b in 0..<B {
                let len = Int(lens[b])
                let alone = try run(op, [slice(x, batch: b, len: len), w, r, bias], attrs)
                let ya = alone[0].floatArray(), yha = alone[1].floatArray()
                for t in 0..<S {
                    for d in 0..<D {
                        for k in 0..<H {
                            let got = y[((t * D + d) * B + b) * H + k]
                            let want: Float = t < len ? ya[(t * D + d) * H + k] : 0
                            XCTAssertEqual(got, want, accuracy: 1e-6, "\(op) \(direction) b\(b) t\(t) d\(d)")
                        }
                    }
                }
                for d in 0..<D {
                    for k in 0..<H { XCTAssertEqual(yh[(d * B + b) * H + k], yha[d * H + k], accuracy: 1e-6, "\(op) \(direction) Y_h") }
                }
            }
        }
    }

    func testLSTMSequenceLengths() throws { try checkSequenceLengths("LSTM", gates: 4) }
    func testGRUSequenceLengths() throws { try checkSequenceLengths("GRU", gates: 3) }

    func testShapeErrorsNameTheOpAndTheTensor() {
        let x = tensor([2, 1, 3], seed: 1)
        XCTAssertThrowsError(try run("LSTM", [x, tensor([1, 8, 3], seed: 2), tensor([1, 8, 2], seed: 3)], ["hidden_size": .int(3)])) { e in
            XCTAssertTrue(String(describing: e).contains("LSTM W"), String(describing: e))
        }
        XCTAssertThrowsError(try run("GRU", [x, tensor([1, 6, 3], seed: 2), tensor([1, 6, 2], seed: 3), nil, try! Tensor(int64s: [3], shape: [1])], [:])) { e in
            XCTAssertTrue(String(describing: e).contains("GRU sequence_lens"), String(describing: e))
        }
    }
}
