#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Recognizes multi-head self-attention as BERT exports spell it and replaces it with one
/// `Swiftlet.Attention` node working on the [B, S, H·D] projections directly:
///
///   Q/K/V = Reshape(x, [B, S, H, D]) → Transpose (K: to [B,H,D,S], in one or two steps)
///   scores = MatMul(Q·c₁, K·c₂) (· or ÷ scale)  [+ additive mask]
///   P = Softmax(scores)  [→ Where(IsNaN(P), 0, P)]
///   out = Reshape(Transpose(MatMul(P, V), [0,2,1,3]), [B, S, H·D])
///
/// The fused kernel reads Q, K and V through strided GEMMs, so the four transposes, the
/// [B,H,S,S] score tensor and the separate mask/softmax/NaN passes all disappear.
enum AttentionFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iSm, sm) in g.nodes.enumerated() where sm.op == "Softmax" {
            guard var m = match(iSm, sm, r), !m.pattern.contains(where: r.isTaken) else { continue }
            // Exports compute reshape targets from Shape() of the intermediates; those
            // side computations only feed the pattern's Reshapes and go with it.
            guard let extra = shapeOnlyClosure(m.pattern, output: m.output, r), !extra.contains(where: r.isTaken) else { continue }
            m.pattern += extra
            var inputs = [m.q, m.k, m.v]
            if let mask = m.mask { inputs.append(mask) }
            let op = InternalOp.attention(heads: m.heads.h ?? 0, headSize: m.heads.d ?? 0, scale: m.scale, zeroNaNRows: m.zeroNaNRows)
            r.replace(m.pattern, with: Node(name: sm.name + "/fused_attention", fused: op, inputs: inputs, outputs: [m.output]))
        }
        return DeadNodeElimination.apply(r.finish())
    }

    struct Match {
        var pattern: [Int]
        var q: String, k: String, v: String
        var mask: String?
        var heads: HeadSplit
        var scale: Float
        var zeroNaNRows: Bool
        var output: String
    }

    private static func match(_ iSm: Int, _ sm: Node, _ r: GraphRewriter) -> Match? {
        let g = r.g
        guard (sm.int("axis") ?? -1) == -1 || sm.int("axis") == 3, g.opset >= 13 || sm.int("axis") == 3 else { return nil }
        var pattern = [iSm]
        var scale: Float = 1
        // Softmax input: scores, or scores + mask.
        var scoresName = sm.inputs[0]
        var mask: String? = nil
        if let iAdd = r.index(producing: scoresName), g.nodes[iAdd].op == "Add" {
            let add = g.nodes[iAdd]
            for (s, mk) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] where leadsToMatMul(s, r) {
                scoresName = s
                mask = mk
                break
            }
            guard mask != nil else { return nil }
            pattern.append(iAdd)
        }
        // Scale after the product.
        var cur = scoresName
        while let i = r.index(producing: cur), ["Mul", "Div"].contains(g.nodes[i].op), let c = scalarOperand(g.nodes[i], cur: &cur, r) {
            scale *= g.nodes[i].op == "Div" ? 1 / c : c
            pattern.append(i)
        }
        guard let iQK = r.index(producing: cur), g.nodes[iQK].op == "MatMul" else { return nil }
        pattern.append(iQK)
        // Q side.
        var qName = g.nodes[iQK].inputs[0]
        while let i = r.index(producing: qName), g.nodes[i].op == "Mul", let c = scalarOperand(g.nodes[i], cur: &qName, r) {
            scale *= c
            pattern.append(i)
        }
        guard let (q, qHeads, qNodes) = headsSplit(qName, finalPerm: [0, 2, 1, 3], r) else { return nil }
        pattern += qNodes
        // K side: [B,H,D,S] via perm [0,2,3,1], or [0,2,1,3] then [0,1,3,2].
        var kName = g.nodes[iQK].inputs[1]
        while let i = r.index(producing: kName), g.nodes[i].op == "Mul", let c = scalarOperand(g.nodes[i], cur: &kName, r) {
            scale *= c
            pattern.append(i)
        }
        var kSplit = headsSplit(kName, finalPerm: [0, 2, 3, 1], r)
        if kSplit == nil, let iT = r.index(producing: kName), g.nodes[iT].op == "Transpose", g.nodes[iT].ints("perm") == [0, 1, 3, 2],
           let inner = headsSplit(g.nodes[iT].inputs[0], finalPerm: [0, 2, 1, 3], r) {
            kSplit = (inner.0, inner.1, inner.2 + [iT])
        }
        guard let (k, kHeads, kNodes) = kSplit, kHeads == qHeads else { return nil }
        pattern += kNodes
        // Softmax output, optionally through Where(IsNaN(P), 0, P).
        var pName = sm.outputs[0]
        var zeroNaN = false
        let readers = r.readers(pName)
        if readers.count == 2,
           let iNaN = readers.first(where: { g.nodes[$0].op == "IsNaN" }),
           let iWhere = readers.first(where: { g.nodes[$0].op == "Where" }),
           g.nodes[iWhere].inputs[0] == g.nodes[iNaN].outputs[0], g.nodes[iWhere].inputs[2] == pName,
           let z = r.g.constants[g.nodes[iWhere].inputs[1]], z.count == 1, z.dtype == .float32, z.f32[0] == 0 {
            pattern += [iNaN, iWhere]
            pName = g.nodes[iWhere].outputs[0]
            zeroNaN = true
        }
        guard let iPV = single(r.readers(pName)), g.nodes[iPV].op == "MatMul", g.nodes[iPV].inputs[0] == pName,
              let (v, vHeads, vNodes) = headsSplit(g.nodes[iPV].inputs[1], finalPerm: [0, 2, 1, 3], r), vHeads == qHeads else { return nil }
        pattern.append(iPV)
        pattern += vNodes
        // Merge heads back: [no-op Reshape to [B,H,S,D]], Transpose [0,2,1,3], Reshape to rank 3.
        var ctxName = g.nodes[iPV].outputs[0]
        if let iR4 = r.readers(ctxName).first(where: { g.nodes[$0].op == "Reshape" }),
           let dims = shapeConstants(g.nodes[iR4].input(1), r), dims.count == 4,
           dims[1] == nil || dims[1] == qHeads.h || dims[1] == -1 {
            pattern.append(iR4)
            ctxName = g.nodes[iR4].outputs[0]
        }
        guard let iTo = r.readers(ctxName).first(where: { g.nodes[$0].op == "Transpose" }), g.nodes[iTo].ints("perm") == [0, 2, 1, 3],
              let iRo = single(r.readers(g.nodes[iTo].outputs[0])), g.nodes[iRo].op == "Reshape",
              let dims = shapeConstants(g.nodes[iRo].input(1), r), dims.count == 3 else { return nil }
        pattern += [iTo, iRo]
        return Match(pattern: pattern, q: q, k: k, v: v, mask: mask, heads: qHeads, scale: scale,
                     zeroNaNRows: zeroNaN, output: g.nodes[iRo].outputs[0])
    }

    /// Nodes outside `pattern` that read its intermediates must be Shape() computations
    /// whose results flow only back into the pattern; returns them (nil if any other reader).
    private static func shapeOnlyClosure(_ pattern: [Int], output: String, _ r: GraphRewriter) -> [Int]? {
        let set = Set(pattern)
        var closure = Set<Int>()
        var queue: [Int] = []
        for i in pattern {
            for o in r.g.nodes[i].outputs where o != output {
                for rd in r.readers(o) where !set.contains(rd) {
                    guard r.g.nodes[rd].op == "Shape" else { return nil }
                    if closure.insert(rd).inserted { queue.append(rd) }
                }
                if r.isGraphOutput(o) { return nil }
            }
        }
        let shapeOps: Set<String> = ["Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Slice", "Mul", "Add", "Sub", "Div", "Reshape"]
        while let i = queue.popLast() {
            for o in r.g.nodes[i].outputs {
                if r.isGraphOutput(o) { return nil }
                for rd in r.readers(o) where !set.contains(rd) && !closure.contains(rd) {
                    guard shapeOps.contains(r.g.nodes[rd].op) else { return nil }
                    closure.insert(rd)
                    queue.append(rd)
                }
            }
        }
        // Every closure node must feed only closure or pattern nodes (checked above) and
        // read nothing else from outside that we would orphan — reading outside values is fine.
        return Array(closure)
    }

    private static func leadsToMatMul(_ v: String, _ r: GraphRewriter) -> Bool {
        var cur = v
        while let i = r.index(producing: cur) {
            let n = r.g.nodes[i]
            if n.op == "MatMul" { return true }
            guard ["Mul", "Div"].contains(n.op), scalarOperand(n, cur: &cur, r) != nil else { return false }
        }
        return false
    }

    /// For a binary node with one scalar-constant operand: returns it and moves `cur` to the other operand.
    private static func scalarOperand(_ n: Node, cur: inout String, _ r: GraphRewriter) -> Float? {
        guard n.inputs.count == 2 else { return nil }
        if let c = r.scalar(n.inputs[1]) { cur = n.inputs[0]; return c }
        if n.op == "Mul", let c = r.scalar(n.inputs[0]) { cur = n.inputs[1]; return c }
        return nil
    }

    /// Heads and head size as the Reshape states them; either may be inferred (-1) at run time.
    struct HeadSplit: Equatable {
        var h: Int?
        var d: Int?
    }

    /// `v` = Transpose(Reshape(x, [B, S, H, D]), finalPerm): returns x, H/D and the two nodes.
    private static func headsSplit(_ v: String, finalPerm: [Int], _ r: GraphRewriter) -> (String, HeadSplit, [Int])? {
        guard let iT = r.index(producing: v), r.g.nodes[iT].op == "Transpose", r.g.nodes[iT].ints("perm") == finalPerm,
              let iR = r.index(producing: r.g.nodes[iT].inputs[0]), r.g.nodes[iR].op == "Reshape",
              let dims = shapeConstants(r.g.nodes[iR].input(1), r), dims.count == 4 else { return nil }
        let h = dims[2].flatMap { $0 > 0 ? $0 : nil }, d = dims[3].flatMap { $0 > 0 ? $0 : nil }
        guard h != nil || d != nil else { return nil }
        return (r.g.nodes[iR].inputs[0], HeadSplit(h: h, d: d), [iT, iR])
    }

    /// The target shape of a Reshape with unknown entries as nil: a constant, or a Concat
    /// of pieces (dynamic batch/sequence from Shape, constant head sizes).
    private static func shapeConstants(_ v: String?, _ r: GraphRewriter) -> [Int?]? {
        guard let v else { return nil }
        if let t = r.g.constants[v], t.dtype == .int64 { return (0..<t.count).map { Int(t.i64[$0]) } }
        guard let i = r.index(producing: v), r.g.nodes[i].op == "Concat" else { return nil }
        var out: [Int?] = []
        for part in r.g.nodes[i].inputs {
            if let t = r.g.constants[part], t.dtype == .int64 {
                out += (0..<t.count).map { Int(t.i64[$0]) }
            } else {
                out.append(nil)  // one dynamic entry (Unsqueeze of a Gather of Shape)
            }
        }
        return out
    }
}
