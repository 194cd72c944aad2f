#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// RotaryEmbedding (opset 23): rotates the first `rotary_embedding_dim` features of each
/// head by the cos/sin caches at each token's position. The input is
/// [batch, heads, seq, head_size], or [batch, seq, heads · head_size] with `num_heads`;
/// the caches are [max_position, dim/2] indexed by position_ids [batch, seq], or
/// [batch, seq, dim/2] when position_ids is omitted. Pairs are the two halves of the
/// rotated features, or adjacent features with `interleaved`.
struct RotaryEmbeddingOp: Operator {
    let interleaved: Bool
    let rotaryDim: Int
    let numHeads: Int

    init(_ n: Node) throws {
        interleaved = (n.int("interleaved") ?? 0) != 0
        rotaryDim = n.int("rotary_embedding_dim") ?? 0
        numHeads = n.int("num_heads") ?? 0
        guard rotaryDim >= 0, rotaryDim % 2 == 0 else {
            throw SwiftletError.unsupportedOp(op: "RotaryEmbedding(rotary_embedding_dim=\(rotaryDim))", node: n.name)
        }
        guard numHeads >= 0 else { throw SwiftletError.unsupportedOp(op: "RotaryEmbedding(num_heads=\(numHeads))", node: n.name) }
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input"), cosT = try x.required(1, "cos_cache"), sinT = try x.required(2, "sin_cache")
        guard a.dtype == .float32, cosT.dtype == .float32, sinT.dtype == .float32 else {
            throw SwiftletError.invalidInput("RotaryEmbedding needs float32 input and caches")
        }
        // (batch, seq, heads, head size) and the element strides of batch, seq and head.
        let b: Int, s: Int, h: Int, d: Int, sb: Int, ss: Int, sh: Int
        switch a.rank {
        case 4:
            (b, h, s, d) = (a.shape[0], a.shape[1], a.shape[2], a.shape[3])
            (sb, sh, ss) = (h * s * d, s * d, d)
        case 3:
            guard numHeads > 0, a.shape[2] % numHeads == 0 else {
                throw SwiftletError.shapeMismatch("RotaryEmbedding 3-D input \(a.shape) needs num_heads dividing its last dim (num_heads=\(numHeads))")
            }
            (b, s, h, d) = (a.shape[0], a.shape[1], numHeads, a.shape[2] / numHeads)
            (sb, ss, sh) = (s * h * d, h * d, d)
        default:
            throw SwiftletError.shapeMismatch("RotaryEmbedding needs a 3-D or 4-D input, got \(a.shape)")
        }
        let rd = rotaryDim == 0 ? d : rotaryDim
        guard rd <= d else { throw SwiftletError.shapeMismatch("RotaryEmbedding rotary_embedding_dim \(rd) exceeds head size \(d)") }
        let half = rd / 2
        guard cosT.shape == sinT.shape, cosT.shape.last == half else {
            throw SwiftletError.shapeMismatch("RotaryEmbedding caches \(cosT.shape) and \(sinT.shape) must end in rotary_dim/2 = \(half)")
        }
        // The cache row of each (batch, seq) token.
        var rows = [Int](repeating: 0, count: b * s)
        if let p = x.optional(3) {
            guard p.shape == [b, s] else { throw SwiftletError.shapeMismatch("RotaryEmbedding position_ids \(p.shape) must be [\(b), \(s)]") }
            guard cosT.rank == 2 else { throw SwiftletError.shapeMismatch("RotaryEmbedding caches must be [max_position, \(half)] with position_ids, got \(cosT.shape)") }
            let ids = p.int64Array()
            for i in 0..<rows.count { rows[i] = try resolvePosition(ids[i], cosT.shape[0]) }
        } else {
            guard cosT.shape == [b, s, half] else {
                throw SwiftletError.shapeMismatch("RotaryEmbedding caches must be [\(b), \(s), \(half)] without position_ids, got \(cosT.shape)")
            }
            for i in 0..<rows.count { rows[i] = i }
        }
        let out = try ctx.alloc(.float32, a.shape)
        memcpy(out.raw, a.raw, a.byteCount)
        let src = a.f32, dst = out.f32, cp = cosT.f32, sp = sinT.f32, inter = interleaved
        for bi in 0..<b {
            for si in 0..<s {
                let row = rows[bi * s + si] * half
                for hi in 0..<h {
                    let base = bi * sb + si * ss + hi * sh
                    for j in 0..<half {
                        let (i1, i2) = inter ? (base + 2 * j, base + 2 * j + 1) : (base + j, base + j + half)
                        let x1 = src[i1], x2 = src[i2], c = cp[row + j], sn = sp[row + j]
                        dst[i1] = c * x1 - sn * x2
                        dst[i2] = sn * x1 + c * x2
                    }
                }
            }
        }
        return [out]
    }

    private func resolvePosition(_ p: Int64, _ n: Int) throws -> Int {
        guard p >= 0, p < Int64(n) else {
            throw SwiftletError.invalidInput("RotaryEmbedding position id \(p) out of range for a cache of \(n) positions")
        }
        return Int(p)
    }
}
