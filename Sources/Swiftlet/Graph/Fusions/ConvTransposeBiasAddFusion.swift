import Foundation

/// ConvTranspose → Add(per-channel constant) becomes a ConvTranspose with that bias (the
/// DBNet heads of PP-OCR exports keep the bias as a separate [1, M, 1, 1] Add).
enum ConvTransposeBiasAddFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iCT, ct) in g.nodes.enumerated() where ct.op == "ConvTranspose" {
            guard let w = ct.input(1).flatMap({ g.constants[$0] }), w.dtype == .float32, w.rank >= 3,
                  let iAdd = single(r.readers(ct.outputs[0])), !r.isTaken(iCT), !r.isTaken(iAdd),
                  g.nodes[iAdd].op == "Add", r.isPrivate(ct.outputs[0], to: [iAdd]),
                  let cName = otherConst(g.nodes[iAdd], ct.outputs[0], g), let c = g.constants[cName],
                  c.dtype == .float32 else { continue }
            // W is [C, M/group, k…]: output channels are M = W.shape[1]·group.
            let m = w.shape[1] * max(ct.int("group") ?? 1, 1), rank = w.rank
            // Right-aligned against the output [N, M, spatial…]: only axis 1 may be non-1.
            guard c.rank <= rank, c.count == m || c.count == 1 else { continue }
            let padded = [Int](repeating: 1, count: rank - c.rank) + c.shape
            guard padded.enumerated().allSatisfy({ $0.offset == 1 || $0.element == 1 }) else { continue }
            let old = ct.input(2).flatMap { g.constants[$0] }
            if ct.input(2) != nil && (old == nil || old!.dtype != .float32 || old!.count != m) { continue }
            let b = Tensor(zeros: .float32, shape: [m])
            for o in 0..<m { b.f32[o] = (old?.f32[o] ?? 0) + c.f32[c.count == 1 ? 0 : o] }
            var fused = ct
            fused.inputs = [ct.inputs[0], ct.inputs[1], r.freshConstant(ct.name + "/add_B", b)]
            fused.outputs = g.nodes[iAdd].outputs
            r.replace([iCT, iAdd], with: fused)
        }
        return r.finish()
    }
}
