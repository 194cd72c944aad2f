#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// x · Clip(x + 3, 0, 6) / 6 (or · 1/6), the decomposed HardSwish of older Paddle exports,
/// becomes one HardSwish node, which ConvActivationFusion can then move into a conv epilogue.
enum HardSwishFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iAdd, add) in g.nodes.enumerated() where add.op == "Add" {
            guard add.inputs.count == 2 else { continue }
            let (a0, a1) = (add.inputs[0], add.inputs[1])
            let x: String
            if r.scalar(a1) == 3, g.constants[a0] == nil { x = a0 } else if r.scalar(a0) == 3, g.constants[a1] == nil { x = a1 } else { continue }
            guard let iClip = single(r.readers(add.outputs[0])), g.nodes[iClip].op == "Clip" else { continue }
            let clip = g.nodes[iClip]
            guard EpilogueActivation.of(clip, g) == .clip(lo: 0, hi: 6),
                  let iMul = single(r.readers(clip.outputs[0])), g.nodes[iMul].op == "Mul" else { continue }
            let mul = g.nodes[iMul]
            guard Set(mul.inputs) == Set([x, clip.outputs[0]]), mul.inputs.count == 2,
                  let iLast = single(r.readers(mul.outputs[0])) else { continue }
            let last = g.nodes[iLast]
            let byDiv = last.op == "Div" && last.inputs.first == mul.outputs[0] && last.inputs.count == 2 && r.scalar(last.inputs[1]) == 6
            let byMul = last.op == "Mul" && otherConst(last, mul.outputs[0], g).flatMap(r.scalar).map { abs($0 - 1.0 / 6.0) < 1e-7 } == true
            let pattern = [iAdd, iClip, iMul, iLast]
            guard byDiv || byMul, !pattern.contains(where: r.isTaken),
                  r.isPrivate(add.outputs[0], to: [iClip]), r.isPrivate(clip.outputs[0], to: [iMul]),
                  r.isPrivate(mul.outputs[0], to: [iLast]) else { continue }
            r.replace(pattern, with: Node(name: last.name + "/hardswish", op: "HardSwish", inputs: [x], outputs: last.outputs, attrs: [:]))
        }
        return r.finish()
    }
}
