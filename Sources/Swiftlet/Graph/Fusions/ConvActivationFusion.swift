#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Conv → activation (any `Activation`; Clip only with constant bounds) becomes
/// Swiftlet.FusedConv: the activation runs in the conv kernels' epilogue on cache-hot
/// outputs instead of as a second pass over memory.
enum ConvActivationFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iConv, conv) in g.nodes.enumerated() where conv.op == "Conv" && conv.fused == nil {
            guard let iAct = single(r.readers(conv.outputs[0])), !r.isTaken(iConv), !r.isTaken(iAct),
                  r.isPrivate(conv.outputs[0], to: [iAct]) else { continue }
            let act = g.nodes[iAct]
            guard act.inputs.first == conv.outputs[0], let activation = EpilogueActivation.of(act, g) else { continue }
            var epilogue = Epilogue(act: activation)
            var pattern = [iConv, iAct]
            var out = act.outputs[0]
            // A scalar `· a` and/or `+ b` right after the activation joins the epilogue too.
            for op in ["Mul", "Add"] {
                guard let i = single(r.readers(out)), !r.isTaken(i), g.nodes[i].op == op, r.isPrivate(out, to: [i]),
                      let c = otherConst(g.nodes[i], out, g), let v = r.scalar(c),
                      g.constants[c]!.rank <= (g.constants[conv.inputs[1]]?.rank ?? 0) else { continue }
                if op == "Mul" { epilogue.scale = v } else { epilogue.shift = v }
                pattern.append(i)
                out = g.nodes[i].outputs[0]
            }
            var node = conv
            node.op = InternalOp.conv(epilogue).label
            node.fused = .conv(epilogue)
            node.outputs = [out]
            r.replace(pattern, with: node)
        }
        return r.finish()
    }
}
