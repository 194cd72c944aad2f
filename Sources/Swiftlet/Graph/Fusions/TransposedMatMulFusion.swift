#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// MatMul(A, Transpose(B, swap last two axes)) → MatMulTransB(A, B): BLAS reads B
/// transposed for free, so the attention Kᵀ copy disappears. A following Div/Mul by a
/// scalar constant (the 1/√d attention scale) becomes the GEMM's alpha.
enum TransposedMatMulFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iMM, mm) in g.nodes.enumerated() where mm.op == "MatMul" {
            guard let iT = r.index(producing: mm.inputs[1]), g.nodes[iT].op == "Transpose",
                  let perm = g.nodes[iT].ints("perm"), perm.count >= 2,
                  perm == Array(0..<(perm.count - 2)) + [perm.count - 1, perm.count - 2],
                  single(r.readers(mm.inputs[1])) == iMM, !r.isGraphOutput(mm.inputs[1]), !r.isTaken(iT), !r.isTaken(iMM) else { continue }
            var pattern = [iT, iMM]
            var alpha: Float = 1
            var output = mm.outputs[0]
            if let iS = single(r.readers(output)), !r.isTaken(iS), g.nodes[iS].inputs.count == 2, g.nodes[iS].inputs[0] == output,
               let c = r.scalar(g.nodes[iS].inputs[1]), g.nodes[iS].op == "Div" || g.nodes[iS].op == "Mul",
               r.isPrivate(output, to: [iS]) {
                alpha = g.nodes[iS].op == "Div" ? 1 / c : c
                pattern.append(iS)
                output = g.nodes[iS].outputs[0]
            }
            r.replace(pattern, with: Node(name: mm.name + "/transB", fused: .matMulTransB(alpha: alpha),
                                          inputs: [mm.inputs[0], g.nodes[iT].inputs[0]], outputs: [output]))
        }
        return r.finish()
    }
}
