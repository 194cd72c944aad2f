#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Swiftlet.MatMulBias → activation (GELU in BERT feed-forward layers, or any activation
/// `EpilogueActivation` accepts) becomes one Swiftlet.MatMulBias carrying the activation: the
/// GEMM applies it to each register tile as it is stored, instead of a second pass over
/// [tokens, 1536] floats.
enum MatMulActivationFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iMM, mm) in g.nodes.enumerated() where mm.fused == .matMulBias(.none) {
            guard let iAct = single(r.readers(mm.outputs[0])), !r.isTaken(iMM), !r.isTaken(iAct),
                  r.isPrivate(mm.outputs[0], to: [iAct]) else { continue }
            let act = g.nodes[iAct]
            guard act.inputs.first == mm.outputs[0], let activation = EpilogueActivation.of(act, g) else { continue }
            var node = mm
            node.fused = .matMulBias(activation)
            node.outputs = act.outputs
            r.replace([iMM, iAct], with: node)
        }
        return r.finish()
    }
}
