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
            guard act.inputs.first == conv.outputs[0], let (name, params) = describe(act, g) else { continue }
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

    /// The activation an op computes, as (name, parameters), or nil when it cannot be fused.
    private static func describe(_ n: Node, _ g: GraphIR) -> (String, [Float])? {
        switch n.op {
        case "Relu": return ("Relu", [])
        case "Sigmoid": return ("Sigmoid", [])
        case "HardSwish": return ("HardSwish", [])
        case "HardSigmoid": return ("HardSigmoid", [n.float("alpha") ?? 0.2, n.float("beta") ?? 0.5])
        case "LeakyRelu": return ("LeakyRelu", [n.float("alpha") ?? 0.01])
        case "Clip":
            var lo = n.float("min") ?? -Float.greatestFiniteMagnitude, hi = n.float("max") ?? Float.greatestFiniteMagnitude
            for (i, isLo) in [(1, true), (2, false)] {
                guard let name = n.input(i) else { continue }
                guard let t = g.constants[name], t.count == 1, t.dtype == .float32 else { return nil }
                if isLo { lo = t.f32[0] } else { hi = t.f32[0] }
            }
            return ("Clip", [lo, hi])
        default: return nil
        }
    }

    /// Rebuilds the epilogue from a Swiftlet.FusedConv node's attributes.
    static func epilogue(of n: Node) throws -> Epilogue {
        Epilogue(act: try activation(of: n), scale: n.float("post_scale") ?? 1, shift: n.float("post_shift") ?? 0)
    }

    private static func activation(of n: Node) throws -> Activation {
        let p = n.floats("activation_params") ?? []
        func param(_ i: Int) throws -> Float {
            guard i < p.count else { throw SwiftletError.invalidModel("node '\(n.name)': activation_params too short") }
            return p[i]
        }
        switch n.string("activation") ?? "" {
        case "Relu": return .relu
        case "Sigmoid": return .sigmoid
        case "HardSwish": return .hardSwish
        case "HardSigmoid": return .hardSigmoid(alpha: try param(0), beta: try param(1))
        case "LeakyRelu": return .leakyRelu(alpha: try param(0))
        case "Clip": return .clip(lo: try param(0), hi: try param(1))
        case let s: throw SwiftletError.unsupportedOp(op: "Swiftlet.FusedConv(activation=\(s))", node: n.name)
        }
    }
}
