import Foundation

/// Conv → activation (Relu, Sigmoid, HardSigmoid, HardSwish, Clip with constant bounds,
/// LeakyRelu) becomes Swiftlet.FusedConv: the activation runs in the conv kernels'
/// epilogue on cache-hot outputs instead of as a second pass over memory.
enum ConvActivationFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iConv, conv) in g.nodes.enumerated() where conv.op == "Conv" {
            guard let iAct = single(r.readers(conv.outputs[0])), !r.isTaken(iConv), !r.isTaken(iAct),
                  r.isPrivate(conv.outputs[0], to: [iAct]) else { continue }
            let act = g.nodes[iAct]
            guard act.inputs.first == conv.outputs[0], let (name, params) = EpilogueActivation.describe(act, g) else { continue }
            var fused = conv
            fused.op = "Swiftlet.FusedConv"
            fused.attrs["activation"] = .string(name)
            fused.attrs["activation_params"] = .floats(params)
            var pattern = [iConv, iAct]
            var out = act.outputs[0]
            // A scalar `· a` and/or `+ b` right after the activation joins the epilogue too.
            for (op, attr) in [("Mul", "post_scale"), ("Add", "post_shift")] {
                guard let i = single(r.readers(out)), !r.isTaken(i), g.nodes[i].op == op, r.isPrivate(out, to: [i]),
                      let c = otherConst(g.nodes[i], out, g), let v = r.scalar(c),
                      g.constants[c]!.rank <= (g.constants[conv.inputs[1]]?.rank ?? 0) else { continue }
                fused.attrs[attr] = .float(v)
                pattern.append(i)
                out = g.nodes[i].outputs[0]
            }
            fused.outputs = [out]
            r.replace(pattern, with: fused)
        }
        return r.finish()
    }
}
