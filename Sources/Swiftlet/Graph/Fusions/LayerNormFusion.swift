#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Rewrites the decomposed LayerNorm of opset < 17 exports:
///   m = ReduceMean(x); d = Sub(x, m); v = ReduceMean(Pow(d, 2)); n = Div(d, Sqrt(Add(v, eps)))
///   y = Add(Mul(n, gamma), beta)
/// into one LayerNormalization node: nine passes over the activations become one.
enum LayerNormFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iDiv, div) in g.nodes.enumerated() where div.op == "Div" && div.inputs.count == 2 {
            guard let iSqrt = r.index(producing: div.inputs[1]), g.nodes[iSqrt].op == "Sqrt",
                  let iAddEps = r.index(producing: g.nodes[iSqrt].inputs[0]), g.nodes[iAddEps].op == "Add" else { continue }
            let addEps = g.nodes[iAddEps]
            guard let (varName, eps) = constOperand(addEps, r),
                  let iVar = r.index(producing: varName), g.nodes[iVar].op == "ReduceMean",
                  let iPow = r.index(producing: g.nodes[iVar].inputs[0]), g.nodes[iPow].op == "Pow",
                  r.scalar(g.nodes[iPow].inputs[1]) == 2,
                  g.nodes[iPow].inputs[0] == div.inputs[0],
                  let iSub = r.index(producing: div.inputs[0]), g.nodes[iSub].op == "Sub",
                  let iMean = r.index(producing: g.nodes[iSub].inputs[1]), g.nodes[iMean].op == "ReduceMean",
                  g.nodes[iMean].inputs[0] == g.nodes[iSub].inputs[0] else { continue }
            let x = g.nodes[iSub].inputs[0]
            guard let axes1 = g.nodes[iMean].ints("axes"), let axes2 = g.nodes[iVar].ints("axes"),
                  axes1.count == 1, axes1 == axes2 else { continue }
            var pattern = [iMean, iSub, iPow, iVar, iAddEps, iSqrt, iDiv]
            var output = div.outputs[0]
            var inputs = [x]
            // Optional affine tail: Mul by a constant gamma, then Add a constant beta.
            if let iMul = single(r.readers(output)), g.nodes[iMul].op == "Mul",
               let gamma = otherConst(g.nodes[iMul], output, g) {
                pattern.append(iMul)
                output = g.nodes[iMul].outputs[0]
                inputs.append(gamma)
                if let iAdd = single(r.readers(output)), g.nodes[iAdd].op == "Add",
                   let beta = otherConst(g.nodes[iAdd], output, g) {
                    pattern.append(iAdd)
                    output = g.nodes[iAdd].outputs[0]
                    inputs.append(beta)
                }
            } else { continue }  // scale-less LayerNorm needs a ones tensor; rare, leave unfused
            let set = Set(pattern)
            guard !pattern.contains(where: r.isTaken) else { continue }
            let internals = pattern.dropLast().flatMap { g.nodes[$0].outputs }
            guard internals.allSatisfy({ r.isPrivate($0, to: set) }) else { continue }
            r.replace(pattern, with: Node(name: div.name + "/fused_layernorm", op: "LayerNormalization",
                                          inputs: inputs, outputs: [output],
                                          attrs: ["axis": .int(axes1[0]), "epsilon": .float(eps)]))
        }
        return r.finish()
    }

    private static func constOperand(_ n: Node, _ r: GraphRewriter) -> (String, Float)? {
        if let e = r.scalar(n.inputs[1]) { return (n.inputs[0], e) }
        if let e = r.scalar(n.inputs[0]) { return (n.inputs[1], e) }
        return nil
    }
}
