#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Conv (or ConvTranspose) → Add(per-channel constant) becomes the conv with that bias
/// (exports that keep the bias as a separate broadcast Add, e.g. shape [1, M, 1, 1]; the
/// DBNet heads of PP-OCR exports do it after their ConvTranspose).
enum ConvBiasAddFusion {
    static func apply(_ g: GraphIR, op: String = "Conv") -> GraphIR {
        var r = GraphRewriter(g)
        for (iConv, conv) in g.nodes.enumerated() where conv.op == op {
            guard let w = conv.input(1).flatMap({ g.constants[$0] }), w.dtype == .float32, w.rank >= 3,
                  let iAdd = single(r.readers(conv.outputs[0])), !r.isTaken(iConv), !r.isTaken(iAdd),
                  g.nodes[iAdd].op == "Add", r.isPrivate(conv.outputs[0], to: [iAdd]),
                  let cName = otherConst(g.nodes[iAdd], conv.outputs[0], g), let c = g.constants[cName],
                  c.dtype == .float32 else { continue }
            // Conv W is [M, C/group, k…]; ConvTranspose W is [C, M/group, k…].
            let m = op == "ConvTranspose" ? w.shape[1] * max(conv.int("group") ?? 1, 1) : w.shape[0], rank = w.rank
            // Right-aligned against the conv output [N, M, spatial…]: only axis 1 may be non-1.
            guard c.rank <= rank, c.count == m || c.count == 1 else { continue }
            let padded = [Int](repeating: 1, count: rank - c.rank) + c.shape
            guard padded.enumerated().allSatisfy({ $0.offset == 1 || $0.element == 1 }) else { continue }
            let old = conv.input(2).flatMap { g.constants[$0] }
            if conv.input(2) != nil && (old == nil || old!.dtype != .float32 || old!.count != m) { continue }
            let b = Tensor(zeros: .float32, shape: [m])
            for o in 0..<m { b.f32[o] = (old?.f32[o] ?? 0) + c.f32[c.count == 1 ? 0 : o] }
            var fused = conv
            fused.inputs = [conv.inputs[0], conv.inputs[1], r.freshConstant(conv.name + "/add_B", b)]
            fused.outputs = g.nodes[iAdd].outputs
            r.replace([iConv, iAdd], with: fused)
        }
        return r.finish()
    }
}
