#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Sentence-transformers pooling over token vectors [B, S, H] with an attention mask,
/// then optional L2 normalization (torch F.normalize semantics, eps 1e-12).
enum Pooling {
    static func pool(_ t: Tensor, mask: [Int64], batch b: Int, seq s: Int,
                     mode: PipelineConfig.Pooling, normalize: Bool) throws -> [[Float]] {
        guard t.dtype == .float32 else { throw SwiftletError.invalidModel("embedder output must be float32, is \(t.dtype.rawValue)") }
        var out: [[Float]] = []
        if mode == .none && t.rank != 2 {
            throw SwiftletError.invalidModel("pooling 'none' needs a pooled [batch, hidden] output, the graph gave \(t.shape)")
        }
        if t.rank == 2 {
            // Already pooled by the graph.
            guard t.shape[0] == b else { throw SwiftletError.shapeMismatch("pooled output \(t.shape) for batch \(b)") }
            let h = t.shape[1]
            for r in 0..<b { out.append(Array(UnsafeBufferPointer(start: t.f32 + r * h, count: h))) }
        } else {
            guard t.rank == 3, t.shape[0] == b, t.shape[1] == s else {
                throw SwiftletError.shapeMismatch("embedder output \(t.shape) does not match batch \(b) × sequence \(s)")
            }
            let h = t.shape[2]
            for r in 0..<b {
                var v = [Float](repeating: 0, count: h)
                let base = t.f32 + r * s * h
                switch mode {
                case .none:
                    break  // rank 3 with .none was refused above
                case .cls:
                    for k in 0..<h { v[k] = base[k] }
                case .mean:
                    var n: Float = 0
                    for j in 0..<s where mask[r * s + j] != 0 {
                        n += 1
                        let row = base + j * h
                        for k in 0..<h { v[k] += row[k] }
                    }
                    let inv = 1 / max(n, 1e-9)
                    for k in 0..<h { v[k] *= inv }
                case .max:
                    // sentence-transformers sets padded positions to -1e9 before the max.
                    for k in 0..<h { v[k] = -1e9 }
                    for j in 0..<s where mask[r * s + j] != 0 {
                        let row = base + j * h
                        for k in 0..<h { v[k] = max(v[k], row[k]) }
                    }
                }
                out.append(v)
            }
        }
        if normalize {
            for r in out.indices {
                var ss: Float = 0
                for x in out[r] { ss += x * x }
                let inv = 1 / max(ss.squareRoot(), 1e-12)
                for k in out[r].indices { out[r][k] *= inv }
            }
        }
        return out
    }
}
