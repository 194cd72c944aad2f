#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Gather (axis 0) from a table kept in its file encoding — a token-embedding table of
/// 250k × 384 is 384 MB as float32 and 54 MB as Q4_0 — decoding only the rows asked for.
/// The table stays in the mapping, and the pages a run read are given back after it (a
/// corpus in many languages touches nearly every page of e5's table, 54 MB of RSS); a
/// later run faults in only the pages of its own rows, from the page cache.
struct EncodedGatherOp: Operator {
    let table: EncodedTensor

    static func make(_ node: Node, encoded: [String: EncodedTensor]) -> EncodedGatherOp? {
        guard node.op == "Gather", node.fused == nil, (node.int("axis") ?? 0) == 0, let name = node.inputs.first,
              let t = encoded[name], t.hasDecodableRows else { return nil }
        return EncodedGatherOp(table: t)
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let idx = try x.required(1, "indices")
        let indices = try idx.intValues()
        let rows = table.shape[0], width = table.shape[1]
        let out = try ctx.alloc(.float32, idx.shape + [width])
        let dst = out.f32
        for (j, i) in indices.enumerated() {
            let k = i < 0 ? i + rows : i
            guard k >= 0 && k < rows else { throw SwiftletError.invalidInput("Gather index \(i) out of range for axis of size \(rows)") }
            table.decodeRow(k, into: dst + j * width)
        }
        (table.owner as? PageReleasing)?.release(table.data, count: table.byteCount)
        return [out]
    }
}
