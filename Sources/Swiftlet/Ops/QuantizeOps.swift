#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

// ONNX quantization ops with the spec's semantics (onnx/docs/Operators.md):
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger, QLinearMatMul.
//
// Rounding is to nearest, ties to even; saturation clamps to the output type's range.
// Where the spec leaves a value undefined, Swiftlet does what onnxruntime's MLAS kernels do
// (and never traps on a float-to-integer conversion):
// - NaN quantizes to the type's minimum (MLAS clamps with MAXPS/MINPS, which return the
//   bound for a NaN); ±infinity saturates;
// - DynamicQuantizeLinear of an input whose range is {0} (all zeros) has scale 1 and zero
//   point 0 (the spec's formula divides 0 by 0; the ONNX reference gives 1/255, MLAS 1; the
//   quantized values are 0 either way).
// Integer products are exact int32 (Kernels/Int16Gemm.swift), wrapping past 2^31 as the
// spec allows.

private func quantError(_ op: String, _ m: String) -> SwiftletError { .invalidInput("\(op): \(m)") }

/// The saturation range of an 8-bit quantized type.
private func range8(_ dt: DType) -> (lo: Float, hi: Float) { dt == .int8 ? (-128, 127) : (0, 255) }

/// round(v) + zp saturated to lo...hi, NaN to lo, as an integer; never traps.
@inline(__always)
private func saturateRounded(_ v: Float, zero: Float, lo: Float, hi: Float) -> Int32 {
    let r = v.rounded(.toNearestOrEven) + zero
    if !(r >= lo) { return Int32(lo) }
    if r > hi { return Int32(hi) }
    return Int32(r)
}

/// Integer values of a uint8/int8/int32 tensor (small parameter tensors).
private func int32Values(_ t: Tensor) -> [Int32] {
    switch t.dtype {
    case .int8: return (0..<t.count).map { Int32(Int8(bitPattern: t.u8[$0])) }
    case .uint8: return (0..<t.count).map { Int32(t.u8[$0]) }
    case .int32: return Array(UnsafeBufferPointer(start: t.i32, count: t.count))
    default: return []
    }
}

private func shapeText(_ s: [Int]) -> String { "[\(s.map { "\($0)" }.joined(separator: ", "))]" }

/// How a scale / zero-point tensor maps onto the elements of x (QuantizeLinear and
/// DequantizeLinear): one value for all (a scalar or 1-element tensor), one per index
/// along `axis` (1-D, length x.shape[axis]), or one per block of `blockSize` consecutive
/// indices along `axis` (opset 21: same rank as x, ceil(x.shape[axis] / blockSize) there).
private struct QuantLayout {
    let outer: Int, dim: Int, inner: Int
    let blockSize: Int
    let perTensor: Bool

    init(op: String, x: [Int], param: [Int], name: String, axis: Int, blockSize: Int) throws {
        let count = param.reduce(1, *)
        var outer = 1, dim = 1, inner = 1
        if blockSize == 0 && count == 1 && param.count <= 1 {
            perTensor = true
            self.blockSize = 0
            dim = x.reduce(1, *)
        } else {
            perTensor = false
            let rank = x.count
            let a = axis < 0 ? axis + rank : axis
            guard a >= 0 && a < rank else {
                throw quantError(op, "axis \(axis) is out of range for input \(shapeText(x)) (per-axis \(name) \(shapeText(param)))")
            }
            outer = x[..<a].reduce(1, *)
            dim = x[a]
            inner = x[(a + 1)...].reduce(1, *)
            if blockSize > 0 {
                var want = x
                want[a] = (x[a] + blockSize - 1) / blockSize
                guard param == want else {
                    throw quantError(op, "\(name) \(shapeText(param)) does not fit input \(shapeText(x)) with block_size \(blockSize) on axis \(a) (expected \(shapeText(want)))")
                }
            } else {
                guard param.count == 1 && param[0] == dim else {
                    throw quantError(op, "\(name) \(shapeText(param)) must be a scalar or a 1-D tensor of \(dim) values (input \(shapeText(x)), axis \(a))")
                }
            }
            self.blockSize = blockSize
        }
        self.outer = outer
        self.dim = dim
        self.inner = inner
    }

    /// Calls body(range of element indices, parameter index) over every run of elements
    /// sharing a parameter.
    func forEachRun(_ body: (Range<Int>, Int) -> Void) {
        if perTensor { body(0..<dim, 0); return }
        if blockSize == 0 {
            for o in 0..<outer {
                for d in 0..<dim { let e = (o * dim + d) * inner; body(e..<(e + inner), d) }
            }
            return
        }
        let nb = (dim + blockSize - 1) / blockSize
        for o in 0..<outer {
            for d in 0..<dim {
                let e = (o * dim + d) * inner, p = (o * nb + d / blockSize) * inner
                for i in 0..<inner { body((e + i)..<(e + i + 1), p + i) }
            }
        }
    }
}

/// ONNX QuantizeLinear: y = saturate(round(x / y_scale) + y_zero_point), per tensor, per axis
/// or per block; the output type is the zero point's (uint8 or int8), else `output_dtype`,
/// else uint8.
struct QuantizeLinearOp: Operator {
    var axis = 1
    var blockSize = 0
    /// The `output_dtype` attribute (opset 21), when given.
    var outputType: DType? = nil

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let op = "QuantizeLinear"
        let input = try x.required(0, "x"), scale = try x.required(1, "y_scale")
        let zero = x.optional(2)
        guard input.dtype == .float32 || input.dtype == .int32 else {
            throw quantError(op, "x must be float32 or int32, got \(input.dtype.rawValue)")
        }
        guard scale.dtype == .float32 else { throw quantError(op, "y_scale must be float32, got \(scale.dtype.rawValue)") }
        guard blockSize >= 0 else { throw quantError(op, "block_size \(blockSize) is negative") }
        let out: DType
        if let zero {
            guard zero.dtype == .uint8 || zero.dtype == .int8 else {
                throw quantError(op, "y_zero_point must be uint8 or int8, got \(zero.dtype.rawValue)")
            }
            if let outputType, outputType != zero.dtype {
                throw quantError(op, "output_dtype \(outputType.rawValue) differs from y_zero_point's \(zero.dtype.rawValue)")
            }
            guard zero.shape == scale.shape else {
                throw quantError(op, "y_zero_point \(shapeText(zero.shape)) and y_scale \(shapeText(scale.shape)) must have the same shape")
            }
            out = zero.dtype
        } else {
            out = outputType ?? .uint8
            guard out == .uint8 || out == .int8 else { throw quantError(op, "output_dtype \(out.rawValue) is not uint8 or int8") }
        }
        let layout = try QuantLayout(op: op, x: input.shape, param: scale.shape, name: "y_scale", axis: axis, blockSize: blockSize)
        let zeros = zero.map(int32Values) ?? [Int32](repeating: 0, count: scale.count)
        let (lo, hi) = range8(out)
        let y = try ctx.alloc(out, input.shape)
        let dst = y.u8, sp = scale.f32, isInt = input.dtype == .int32, fp = input.f32, ip = input.i32
        layout.forEachRun { run, p in
            let s = sp[p], z = Float(zeros[p])
            for e in run {
                let v = isInt ? Float(ip[e]) : fp[e]
                dst[e] = UInt8(truncatingIfNeeded: saturateRounded(v / s, zero: z, lo: lo, hi: hi))
            }
        }
        return [y]
    }
}

/// ONNX DequantizeLinear: y = (x − x_zero_point) · x_scale in float32, per tensor, per axis or
/// per block; x is uint8, int8 or int32 (int32 with a zero point of 0 or none).
struct DequantizeLinearOp: Operator {
    var axis = 1
    var blockSize = 0

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let op = "DequantizeLinear"
        let input = try x.required(0, "x"), scale = try x.required(1, "x_scale")
        let zero = x.optional(2)
        guard [.uint8, .int8, .int32].contains(input.dtype) else {
            throw quantError(op, "x must be uint8, int8 or int32, got \(input.dtype.rawValue)")
        }
        guard scale.dtype == .float32 else { throw quantError(op, "x_scale must be float32, got \(scale.dtype.rawValue)") }
        guard blockSize >= 0 else { throw quantError(op, "block_size \(blockSize) is negative") }
        if let zero {
            guard zero.dtype == input.dtype else {
                throw quantError(op, "x_zero_point is \(zero.dtype.rawValue) but x is \(input.dtype.rawValue); they must match")
            }
            guard zero.shape == scale.shape else {
                throw quantError(op, "x_zero_point \(shapeText(zero.shape)) and x_scale \(shapeText(scale.shape)) must have the same shape")
            }
        }
        let layout = try QuantLayout(op: op, x: input.shape, param: scale.shape, name: "x_scale", axis: axis, blockSize: blockSize)
        let zeros = zero.map(int32Values) ?? [Int32](repeating: 0, count: scale.count)
        if input.dtype == .int32, zeros.contains(where: { $0 != 0 }) {
            throw quantError(op, "an int32 x needs a zero point of 0")
        }
        let y = try ctx.alloc(.float32, input.shape)
        let dst = y.f32, sp = scale.f32, src = input.u8, ip = input.i32
        switch input.dtype {
        case .uint8:
            layout.forEachRun { run, p in
                let s = sp[p], z = zeros[p]
                for e in run { dst[e] = Float(Int32(src[e]) - z) * s }
            }
        case .int8:
            layout.forEachRun { run, p in
                let s = sp[p], z = zeros[p]
                for e in run { dst[e] = Float(Int32(Int8(bitPattern: src[e])) - z) * s }
            }
        default:
            layout.forEachRun { run, p in
                let s = sp[p]
                for e in run { dst[e] = Float(ip[e]) * s }
            }
        }
        return [y]
    }
}

/// ONNX DynamicQuantizeLinear (uint8): y_scale = (max(0, max x) − min(0, min x)) / 255,
/// y_zero_point = round(saturate(0 − min(0, min x) / y_scale)), y = saturate(round(x / y_scale)
/// + y_zero_point); all in float32 as written, ties to even.
struct DynamicQuantizeLinearOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let input = try x.required(0, "x")
        guard input.dtype == .float32 else {
            throw quantError("DynamicQuantizeLinear", "x must be float32, got \(input.dtype.rawValue)")
        }
        let n = input.count, src = input.f32
        var lo: Float = 0, hi: Float = 0, nan = false
        for i in 0..<n {
            let v = src[i]
            if v < lo { lo = v } else if v > hi { hi = v } else if v != v { nan = true }
        }
        let scale: Float = nan ? .nan : hi == lo ? 1 : (hi - lo) / 255
        let zp = Float(saturateRounded(0 - lo / scale, zero: 0, lo: 0, hi: 255))
        let y = try ctx.alloc(.uint8, input.shape), dst = y.u8
        parallelChunks(n, threads: ctx.threads, minChunk: 1 << 16) { range in
            for i in range { dst[i] = UInt8(truncatingIfNeeded: saturateRounded(src[i] / scale, zero: zp, lo: 0, hi: 255)) }
        }
        let s = try ctx.alloc(.float32, []), z = try ctx.alloc(.uint8, [])
        s.f32[0] = scale
        z.u8[0] = UInt8(zp)
        return [y, s, z]
    }
}

/// A per-row (for A) or per-column (for B) parameter of an integer matmul: a scalar, a 1-D
/// vector over the rows/columns shared by every batch, or the N-D form [..., M, 1] /
/// [..., 1, N] whose leading dims are the operand's batch dims (or all 1).
private struct LineParam<T> {
    let values: [T]
    /// Values per batch: 0 for a scalar, else the number of rows/columns.
    let stride: Int
    /// Whether the values differ per batch of the operand.
    let perBatch: Bool

    static func make(_ op: String, _ name: String, _ t: Tensor, operand: [Int], isA: Bool, values: [T]) throws -> LineParam<T> {
        let rank = operand.count, m = operand[rank - 2], n = operand[rank - 1]
        let len = isA ? m : n
        let s = t.shape
        if t.count == 1 && s.allSatisfy({ $0 == 1 }) {
            return LineParam(values: values, stride: 0, perBatch: false)
        }
        if s.count <= 1 && t.count == len {
            return LineParam(values: values, stride: len, perBatch: false)
        }
        let want = isA ? [m, 1] : [1, n]
        if s.count == rank && Array(s.suffix(2)) == want {
            let lead = Array(s.dropLast(2)), batch = Array(operand.dropLast(2))
            if lead.allSatisfy({ $0 == 1 }) { return LineParam(values: values, stride: len, perBatch: false) }
            if lead == batch { return LineParam(values: values, stride: len, perBatch: true) }
        }
        let form = isA ? "[\(m)] (per row) or [..., \(m), 1]" : "[\(n)] (per column) or [..., 1, \(n)]"
        throw quantError(op, "\(name) \(shapeText(s)) does not fit \(isA ? "A" : "B") \(shapeText(operand)): expected a scalar, \(form)")
    }

    @inline(__always) func value(batch: Int, _ i: Int) -> T {
        stride == 0 ? values[0] : values[(perBatch ? batch * stride : 0) + i]
    }
}

/// Operands of an integer matmul after numpy-style promotion of 1-D inputs.
private struct IntegerMatMulShape {
    let a: [Int], b: [Int]
    let m: Int, k: Int, n: Int
    let aBatch: [Int], bBatch: [Int], outBatch: [Int]
    let outShape: [Int]

    init(_ op: String, _ aIn: Tensor, _ bIn: Tensor) throws {
        guard aIn.rank >= 1, bIn.rank >= 1 else { throw quantError(op, "A and B must have rank ≥ 1, got \(shapeText(aIn.shape)) and \(shapeText(bIn.shape))") }
        a = aIn.rank == 1 ? [1, aIn.shape[0]] : aIn.shape
        b = bIn.rank == 1 ? [bIn.shape[0], 1] : bIn.shape
        m = a[a.count - 2]; k = a[a.count - 1]; n = b[b.count - 1]
        guard k == b[b.count - 2] else {
            throw quantError(op, "inner dimensions differ: A \(shapeText(aIn.shape)) × B \(shapeText(bIn.shape))")
        }
        aBatch = Array(a.dropLast(2)); bBatch = Array(b.dropLast(2))
        let rank = max(aBatch.count, bBatch.count)
        var out = [Int](repeating: 1, count: rank)
        for (s, name) in [(aBatch, "A"), (bBatch, "B")] {
            for (i, d) in s.enumerated() {
                let j = rank - s.count + i
                if out[j] == 1 { out[j] = d } else if d != 1 && d != out[j] {
                    throw quantError(op, "batch dimensions of A \(shapeText(aIn.shape)) and B \(shapeText(bIn.shape)) do not broadcast (\(name))")
                }
            }
        }
        outBatch = out
        var shape = out + [m, n]
        if aIn.rank == 1 { shape.remove(at: shape.count - 2) }
        if bIn.rank == 1 { shape.removeLast() }
        outShape = shape
    }

    /// The operand's batch index for output batch `o` (broadcast dims of 1 repeat).
    static func batchIndex(_ o: Int, out: [Int], operand: [Int]) -> Int {
        var rest = o, idx = 0, mul = 1
        for j in stride(from: out.count - 1, through: 0, by: -1) {
            let d = rest % out[j]; rest /= out[j]
            let oj = j - (out.count - operand.count)
            if oj >= 0 {
                if operand[oj] != 1 { idx += d * mul }
                mul *= operand[oj]
            }
        }
        return idx
    }
}

/// Σ_k (A[i,k] − a_zero[i]) · (B[k,j] − b_zero[j]) in exact int32 for 8-bit A and B of either
/// signedness, numpy-matmul batching; the result as [outBatch..., m, n] int32 (1-D operands'
/// added dims kept; the caller reshapes).
private func integerProduct(a: Tensor, b: Tensor, aZero: LineParam<Int32>, bZero: LineParam<Int32>,
                            shape s: IntegerMatMulShape, ctx: ExecContext, packed: PackedIntegerWeight? = nil) throws -> Tensor {
    let m = s.m, k = s.k, n = s.n
    let aBatches = s.aBatch.reduce(1, *), bBatches = s.bBatch.reduce(1, *), outBatches = s.outBatch.reduce(1, *)
    // Rows padded so that a 4-row tile starting in any batch stays inside the buffer.
    let kp = Int16Gemm.paddedK(k), aRows = aBatches * m, aRowsPadded = aRows + Int16Gemm.mr
    let out = try ctx.alloc(.int32, s.outBatch + [m, n])
    if out.count == 0 { return out }
    // A widened to int16 with its zero point subtracted (rows padded to the tile height).
    let aw = Storage.alignedAlloc(max(1, aRowsPadded * kp) * 2).assumingMemoryBound(to: Int16.self)
    let packedCount = Int16Gemm.packedCount(k: k, n: n)
    let owned: UnsafeMutablePointer<Int16>? = packed == nil ? Storage.alignedAlloc(max(1, bBatches * packedCount) * 2).assumingMemoryBound(to: Int16.self) : nil
    let bw = UnsafePointer(packed?.data ?? owned!)
    defer {
        free(aw)
        if let owned { free(owned) }
    }
    let ap = a.u8, aSigned = a.dtype == .int8
    parallelChunks(aRowsPadded, threads: ctx.threads, minChunk: 64) { rows in
        for r in rows {
            let dst = aw + r * kp
            guard r < aRows else { dst.initialize(repeating: 0, count: kp); continue }
            let z = aZero.value(batch: r / m, r % m), src = ap + r * k
            if aSigned {
                for kk in 0..<k { dst[kk] = Int16(truncatingIfNeeded: Int32(Int8(bitPattern: src[kk])) - z) }
            } else {
                for kk in 0..<k { dst[kk] = Int16(truncatingIfNeeded: Int32(src[kk]) - z) }
            }
            if kp > k { dst[k] = 0 }
        }
    }
    if let owned {
        parallelChunks(bBatches, threads: ctx.threads) { batches in
            for ib in batches { packWeight(b, batch: ib, k: k, n: n, zero: bZero, into: owned + ib * packedCount) }
        }
    }
    if bBatches == 1 && (aBatches == 1 || s.aBatch == s.outBatch) {
        // Shared B: one product over every row of A.
        Int16Gemm.gemm(m: aRows, n: n, k: k, a: aw, b: bw, c: out.i32, ldc: n, threads: ctx.threads)
    } else {
        let cp = out.i32
        parallelChunks(outBatches, threads: ctx.threads) { range in
            for o in range {
                let ia = IntegerMatMulShape.batchIndex(o, out: s.outBatch, operand: s.aBatch)
                let ib = IntegerMatMulShape.batchIndex(o, out: s.outBatch, operand: s.bBatch)
                Int16Gemm.gemm(m: m, n: n, k: k, a: aw + ia * m * kp, b: bw + ib * packedCount, c: cp + o * m * n, ldc: n, threads: 1)
            }
        }
    }
    return out
}

/// Packs batch `ib` of an 8-bit B [.., K, N] for Int16Gemm with its zero points subtracted.
private func packWeight(_ b: Tensor, batch ib: Int, k: Int, n: Int, zero: LineParam<Int32>, into dst: UnsafeMutablePointer<Int16>) {
    let src = b.u8 + ib * k * n, signed = b.dtype == .int8
    let zeros = (0..<n).map { zero.value(batch: ib, $0) }
    zeros.withUnsafeBufferPointer { z in
        Int16Gemm.packB(k: k, n: n, into: dst) { kk, j in
            let v = signed ? Int32(Int8(bitPattern: src[kk * n + j])) : Int32(src[kk * n + j])
            return Int16(truncatingIfNeeded: v - z[j])
        }
    }
}

/// A constant 2-D MatMulInteger weight (and its constant or absent zero point) packed once at
/// load, so a call only widens A.
final class PackedIntegerWeight: @unchecked Sendable {
    let k: Int, n: Int
    let dtype: DType
    let data: UnsafeMutablePointer<Int16>

    fileprivate init(_ b: Tensor, zero: LineParam<Int32>) {
        k = b.shape[0]; n = b.shape[1]; dtype = b.dtype
        data = Storage.alignedAlloc(max(1, Int16Gemm.packedCount(k: k, n: n)) * 2).assumingMemoryBound(to: Int16.self)
        packWeight(b, batch: 0, k: k, n: n, zero: zero, into: data)
    }

    deinit { free(data) }
}

private func check8(_ op: String, _ t: Tensor, _ name: String) throws {
    guard t.dtype == .uint8 || t.dtype == .int8 else { throw quantError(op, "\(name) must be uint8 or int8, got \(t.dtype.rawValue)") }
}

/// A zero point: same type as its operand; absent means 0.
private func zeroParam(_ op: String, _ name: String, _ t: Tensor?, operand: Tensor, shape: [Int], isA: Bool) throws -> LineParam<Int32> {
    guard let t else { return LineParam(values: [0], stride: 0, perBatch: false) }
    guard t.dtype == operand.dtype else {
        throw quantError(op, "\(name) is \(t.dtype.rawValue) but \(isA ? "A" : "B") is \(operand.dtype.rawValue); they must match")
    }
    return try LineParam.make(op, name, t, operand: shape, isA: isA, values: int32Values(t))
}

/// ONNX MatMulInteger: int32 Y = (A − a_zero_point) · (B − b_zero_point), A and B uint8 or
/// int8, a_zero_point per tensor or per row of A, b_zero_point per tensor or per column of B.
struct MatMulIntegerOp: Operator {
    /// B packed at load (`prepacked`); the B and b_zero_point inputs are then the constants it was made from.
    var packed: PackedIntegerWeight? = nil

    /// The node's operator with B packed once, when B is a constant 2-D uint8/int8 weight and
    /// b_zero_point is constant or absent; nil otherwise (or when they are invalid: the
    /// unpacked operator then reports it at run time).
    static func prepacked(_ node: Node, constants: [String: Tensor]) -> MatMulIntegerOp? {
        guard node.op == "MatMulInteger", node.fused == nil, node.inputs.count >= 2, let b = constants[node.inputs[1]],
              b.rank == 2, b.dtype == .uint8 || b.dtype == .int8 else { return nil }
        var zero: Tensor? = nil
        if node.inputs.count > 3 && !node.inputs[3].isEmpty {
            guard let z = constants[node.inputs[3]] else { return nil }
            zero = z
        }
        guard let bz = try? zeroParam("MatMulInteger", "b_zero_point", zero, operand: b, shape: b.shape, isA: false) else { return nil }
        return MatMulIntegerOp(packed: PackedIntegerWeight(b, zero: bz))
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let op = "MatMulInteger"
        let a = try x.required(0, "A"), b = try x.required(1, "B")
        try check8(op, a, "A")
        try check8(op, b, "B")
        let s = try IntegerMatMulShape(op, a, b)
        let az = try zeroParam(op, "a_zero_point", x.optional(2), operand: a, shape: s.a, isA: true)
        let bz = try zeroParam(op, "b_zero_point", x.optional(3), operand: b, shape: s.b, isA: false)
        let usable = packed.map { $0.k == s.k && $0.n == s.n && $0.dtype == b.dtype && s.bBatch.isEmpty } ?? false
        return [try integerProduct(a: a, b: b, aZero: az, bZero: bz, shape: s, ctx: ctx, packed: usable ? packed : nil).reshaped(s.outShape)]
    }
}

/// ONNX QLinearMatMul: y = saturate(round(Σ (a − a_zero)(b − b_zero) · a_scale · b_scale / y_scale)
/// + y_zero_point), with the multiplier a_scale · b_scale / y_scale formed in float32 and the
/// int32 sum converted to float32 (as onnxruntime does); a's scale/zero point per tensor or
/// per row, b's per tensor or per column, y's per tensor. The output type is y_zero_point's.
struct QLinearMatMulOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let op = "QLinearMatMul"
        let a = try x.required(0, "a"), aScale = try x.required(1, "a_scale"), aZeroT = try x.required(2, "a_zero_point")
        let b = try x.required(3, "b"), bScale = try x.required(4, "b_scale"), bZeroT = try x.required(5, "b_zero_point")
        let yScale = try x.required(6, "y_scale"), yZero = try x.required(7, "y_zero_point")
        try check8(op, a, "a")
        try check8(op, b, "b")
        try check8(op, yZero, "y_zero_point")
        for (t, name) in [(aScale, "a_scale"), (bScale, "b_scale"), (yScale, "y_scale")] where t.dtype != .float32 {
            throw quantError(op, "\(name) must be float32, got \(t.dtype.rawValue)")
        }
        guard aScale.shape == aZeroT.shape else { throw quantError(op, "a_scale \(shapeText(aScale.shape)) and a_zero_point \(shapeText(aZeroT.shape)) must have the same shape") }
        guard bScale.shape == bZeroT.shape else { throw quantError(op, "b_scale \(shapeText(bScale.shape)) and b_zero_point \(shapeText(bZeroT.shape)) must have the same shape") }
        guard yScale.count == 1, yZero.count == 1, yScale.shape == yZero.shape else {
            throw quantError(op, "y_scale \(shapeText(yScale.shape)) and y_zero_point \(shapeText(yZero.shape)) must be scalars (per-tensor output quantization)")
        }
        let s = try IntegerMatMulShape(op, a, b)
        let az = try zeroParam(op, "a_zero_point", aZeroT, operand: a, shape: s.a, isA: true)
        let bz = try zeroParam(op, "b_zero_point", bZeroT, operand: b, shape: s.b, isA: false)
        let asc = try LineParam.make(op, "a_scale", aScale, operand: s.a, isA: true, values: Array(UnsafeBufferPointer(start: aScale.f32, count: aScale.count)))
        let bsc = try LineParam.make(op, "b_scale", bScale, operand: s.b, isA: false, values: Array(UnsafeBufferPointer(start: bScale.f32, count: bScale.count)))
        let acc = try integerProduct(a: a, b: b, aZero: az, bZero: bz, shape: s, ctx: ctx)
        let ys = yScale.f32[0], yz = Float(int32Values(yZero)[0]), (lo, hi) = range8(yZero.dtype)
        let m = s.m, n = s.n, outBatches = s.outBatch.reduce(1, *)
        let y = try ctx.alloc(yZero.dtype, s.outShape)
        let src = acc.i32, dst = y.u8
        parallelChunks(outBatches * m, threads: ctx.threads, minChunk: max(1, 16384 / max(n, 1))) { rows in
            var mult = [Float](repeating: 0, count: n)
            for r in rows {
                let o = r / m, i = r % m
                let ia = IntegerMatMulShape.batchIndex(o, out: s.outBatch, operand: s.aBatch)
                let ib = IntegerMatMulShape.batchIndex(o, out: s.outBatch, operand: s.bBatch)
                let sa = asc.value(batch: ia, i)
                for j in 0..<n { mult[j] = sa * bsc.value(batch: ib, j) / ys }
                let c = src + r * n, d = dst + r * n
                for j in 0..<n { d[j] = UInt8(truncatingIfNeeded: saturateRounded(Float(c[j]) * mult[j], zero: yz, lo: lo, hi: hi)) }
            }
        }
        return [y]
    }
}
