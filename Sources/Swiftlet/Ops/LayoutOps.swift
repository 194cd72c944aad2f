#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Ops that only rearrange or mask elements: Tile, Trilu, DepthToSpace, SpaceToDepth.
/// They move bytes, so every dtype works.

/// Tile: each axis repeated `repeats[i]` times.
struct TileOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input"), r = try x.required(1, "repeats")
        let repeats = try r.intValues()
        guard repeats.count == a.rank else {
            throw SwiftletError.shapeMismatch("Tile repeats has \(repeats.count) values for an input of rank \(a.rank)")
        }
        guard repeats.allSatisfy({ $0 >= 0 }) else { throw SwiftletError.invalidInput("Tile repeats \(repeats) must not be negative") }
        let outShape = try BroadcastPlan.outputShape([zip(a.shape, repeats).map { $0 * $1 }])
        let out = try ctx.alloc(a.dtype, outShape)
        if out.count == 0 { return [out] }
        if a.rank == 0 {
            memcpy(out.raw, a.raw, a.dtype.byteSize)
            return [out]
        }
        // Copy each input row (last axis) into its repeats along the last axis, for every
        // output row; output row coordinates map back to input rows by modulo.
        let es = a.dtype.byteSize, rank = a.rank
        let rowIn = a.shape[rank - 1] * es, reps = repeats[rank - 1]
        let outRows = out.count / outShape[rank - 1]
        let inStrides = contiguousStrides(a.shape)
        for row in 0..<outRows {
            var rem = row, src = 0
            for k in stride(from: rank - 2, through: 0, by: -1) {
                let c = rem % outShape[k]
                rem /= outShape[k]
                src += (c % a.shape[k]) * inStrides[k]
            }
            let dst = out.raw + row * rowIn * reps
            for t in 0..<reps { memcpy(dst + t * rowIn, a.raw + src * es, rowIn) }
        }
        return [out]
    }
}

/// Trilu: keeps the upper (j − i ≥ k) or lower (j − i ≤ k) triangle of each matrix in the
/// last two axes and zeroes the rest.
struct TriluOp: Operator {
    let upper: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input")
        guard a.rank >= 2 else { throw SwiftletError.shapeMismatch("Trilu needs rank ≥ 2, got \(a.shape)") }
        let k = try x.optional(1).map { Int(try $0.scalarInt64()) } ?? 0
        let out = try ctx.alloc(a.dtype, a.shape)
        memcpy(out.raw, a.raw, a.byteCount)
        let rows = a.shape[a.rank - 2], cols = a.shape[a.rank - 1], es = a.dtype.byteSize
        let mats = rows * cols == 0 ? 0 : a.count / (rows * cols)
        for m in 0..<mats {
            for i in 0..<rows {
                // Zero the columns outside the kept triangle: [0, i+k) for upper, (i+k, cols) for lower.
                let lo = upper ? 0 : Swift.max(0, Swift.min(cols, i + k + 1))
                let hi = upper ? Swift.max(0, Swift.min(cols, i + k)) : cols
                if hi > lo { memset(out.raw + ((m * rows + i) * cols + lo) * es, 0, (hi - lo) * es) }
            }
        }
        return [out]
    }
}

/// DepthToSpace and SpaceToDepth: a 4-D reshape, a fixed transpose and a reshape back,
/// done as one strided copy.
struct SpaceDepthOp: Operator {
    enum Mode { case depthToSpaceDCR, depthToSpaceCRD, spaceToDepthDCR, spaceToDepthCRD }
    let mode: Mode
    let block: Int

    init(_ n: Node) throws {
        guard let b = n.int("blocksize"), b >= 1 else {
            throw SwiftletError.unsupportedOp(op: "\(n.op)(blocksize=\(n.int("blocksize").map(String.init) ?? "missing"))", node: n.name)
        }
        block = b
        // SpaceToDepth takes a mode too from opset 24 (DCR before, and by default).
        let toSpace = n.op == "DepthToSpace"
        switch n.string("mode") ?? "DCR" {
        case "DCR": mode = toSpace ? .depthToSpaceDCR : .spaceToDepthDCR
        case "CRD": mode = toSpace ? .depthToSpaceCRD : .spaceToDepthCRD
        case let m: throw SwiftletError.unsupportedOp(op: "\(n.op)(mode=\(m))", node: n.name)
        }
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input")
        let toDepth = mode == .spaceToDepthDCR || mode == .spaceToDepthCRD
        guard a.rank == 4 else { throw SwiftletError.shapeMismatch("\(toDepth ? "SpaceToDepth" : "DepthToSpace") needs a 4-D input, got \(a.shape)") }
        let (n, c, h, w) = (a.shape[0], a.shape[1], a.shape[2], a.shape[3]), b = block
        let view: [Int], perm: [Int], outShape: [Int]
        switch mode {
        case .depthToSpaceDCR, .depthToSpaceCRD:
            guard c % (b * b) == 0 else { throw SwiftletError.shapeMismatch("DepthToSpace channels \(c) not divisible by blocksize² \(b * b)") }
            let cc = c / (b * b)
            if mode == .depthToSpaceDCR {
                view = [n, b, b, cc, h, w]; perm = [0, 3, 4, 1, 5, 2]
            } else {
                view = [n, cc, b, b, h, w]; perm = [0, 1, 4, 2, 5, 3]
            }
            outShape = [n, cc, h * b, w * b]
        case .spaceToDepthDCR, .spaceToDepthCRD:
            guard h % b == 0, w % b == 0 else { throw SwiftletError.shapeMismatch("SpaceToDepth spatial size \(h)×\(w) not divisible by blocksize \(b)") }
            view = [n, c, h / b, b, w / b, b]
            perm = mode == .spaceToDepthDCR ? [0, 3, 5, 1, 2, 4] : [0, 1, 3, 5, 2, 4]
            outShape = [n, c * b * b, h / b, w / b]
        }
        let strides = contiguousStrides(view)
        let out = try ctx.alloc(a.dtype, perm.map { view[$0] })
        if out.count > 0 { try stridedCopy(src: a, srcStrides: perm.map { strides[$0] }, dst: out, threads: ctx.threads) }
        return [out.reshaped(outShape)]
    }
}

/// Size: the element count of the input, as an int64 scalar.
struct SizeOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        let out = try ctx.alloc(.int64, [])
        out.i64[0] = Int64(a.count)
        return [out]
    }
}
