#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ONNX Pad (opset 2–19): constant, reflect, edge and wrap modes; negative pads crop.
/// Pads come from the attribute (opset < 11) or the second input, optionally restricted
/// to `axes` (opset 18). Each output element maps back to one input element per axis, so
/// all modes share one index map per axis.
struct PadOp: Operator {
    enum Mode: String { case constant, reflect, edge, wrap }
    let mode: Mode
    let attrPads: [Int]?
    let attrValue: Float

    init(_ n: Node, opset: Int) throws {
        let m = n.string("mode") ?? "constant"
        guard let mv = Mode(rawValue: m) else { throw SwiftletError.unsupportedOp(op: "Pad(mode=\(m))", node: n.name) }
        mode = mv
        attrPads = opset < 11 ? (n.ints("pads") ?? n.ints("paddings")) : nil
        attrValue = n.float("value") ?? 0
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let input = try x.required(0, "data")
        let r = input.rank
        guard r >= 1 else { throw SwiftletError.shapeMismatch("Pad needs a tensor of rank >= 1") }
        var pads: [Int]
        if let attrPads { pads = attrPads } else {
            let p = try x.required(1, "pads").intValues()
            if let axesT = x.optional(3) {
                let axes = try axesT.intValues().map { try normalizeAxis($0, rank: r) }
                guard p.count == 2 * axes.count else { throw SwiftletError.shapeMismatch("Pad has \(p.count) pads for \(axes.count) axes") }
                pads = [Int](repeating: 0, count: 2 * r)
                for (k, a) in axes.enumerated() { pads[a] = p[k]; pads[r + a] = p[axes.count + k] }
            } else {
                pads = p
            }
        }
        guard pads.count == 2 * r else { throw SwiftletError.shapeMismatch("Pad needs \(2 * r) pads for shape \(input.shape), got \(pads.count)") }
        var value = attrValue
        if attrPads == nil, let v = x.optional(2), v.count > 0 { value = Float(try v.scalarDouble()) }
        let outShape = (0..<r).map { input.shape[$0] + pads[$0] + pads[r + $0] }
        guard outShape.allSatisfy({ $0 >= 0 }) else { throw SwiftletError.shapeMismatch("Pad \(pads) crops \(input.shape) below zero") }
        if mode != .constant {
            for a in 0..<r where input.shape[a] == 0 && outShape[a] > 0 {
                throw SwiftletError.invalidInput("Pad mode \(mode.rawValue) cannot pad an empty axis \(a)")
            }
        }
        let out = try ctx.alloc(input.dtype, outShape)
        if out.count == 0 { return [out] }
        var inStride = [Int](repeating: 1, count: r)
        for a in stride(from: r - 2, through: 0, by: -1) { inStride[a] = inStride[a + 1] * input.shape[a + 1] }
        // Per axis: source offset of each output index, -1 = the constant.
        let maps: [[Int]] = (0..<r).map { a in
            let n = input.shape[a]
            return (0..<outShape[a]).map { o in
                var i = o - pads[a]
                if i >= 0 && i < n { return i * inStride[a] }
                switch mode {
                case .constant: return -1
                case .edge: i = min(max(i, 0), n - 1)
                case .wrap: i = ((i % n) + n) % n
                case .reflect:
                    if n == 1 { i = 0 } else {
                        let period = 2 * (n - 1)
                        i = ((i % period) + period) % period
                        if i >= n { i = period - i }
                    }
                }
                return i * inStride[a]
            }
        }
        let es = input.dtype.byteSize
        let inner = outShape[r - 1], rows = out.count / inner
        let src = input.raw, dst = out.raw
        var fill = [UInt8](repeating: 0, count: es)
        switch input.dtype {
        case .float32: withUnsafeBytes(of: value) { fill = Array($0) }
        case .float16: withUnsafeBytes(of: Float16(value)) { fill = Array($0) }
        case .int64: withUnsafeBytes(of: Int64(value)) { fill = Array($0) }
        case .int32: withUnsafeBytes(of: Int32(value)) { fill = Array($0) }
        default: fill = [UInt8(truncatingIfNeeded: Int(value))]
        }
        let last = maps[r - 1]
        var idx = [Int](repeating: 0, count: r)
        for row in 0..<rows {
            var rem = row, base = 0, valid = true
            for a in stride(from: r - 2, through: 0, by: -1) {
                idx[a] = rem % outShape[a]; rem /= outShape[a]
                let o = maps[a][idx[a]]
                if o < 0 { valid = false } else { base += o }
            }
            let d = dst + row * inner * es
            for j in 0..<inner {
                let o = last[j]
                if !valid || o < 0 {
                    fill.withUnsafeBytes { (d + j * es).copyMemory(from: $0.baseAddress!, byteCount: es) }
                } else {
                    (d + j * es).copyMemory(from: src + (base + o) * es, byteCount: es)
                }
            }
        }
        return [out]
    }
}
