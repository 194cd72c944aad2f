#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// TopK: the k largest (or smallest) elements along an axis and their int64 indices,
/// ordered by value with ties broken by the lower index (the reference's stable order).
struct TopKOp: Operator {
    let axis: Int
    let largest: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X"), kt = try x.required(1, "K")
        let ax = try normalizeAxis(axis, rank: a.rank)
        guard a.rank > 0 else { throw SwiftletError.shapeMismatch("TopK needs rank ≥ 1, got a scalar") }
        let k64 = try kt.scalarInt64()
        guard k64 >= 0, k64 <= Int64(a.shape[ax]) else {
            throw SwiftletError.invalidInput("TopK k=\(k64) out of range for an axis of size \(a.shape[ax])")
        }
        let k = Int(k64)
        var outShape = a.shape
        outShape[ax] = k
        let values = try ctx.alloc(a.dtype, outShape), indices = try ctx.alloc(.int64, outShape)
        let v = AxisView(a.shape, ax)
        switch try OrderKeys(a, op: "TopK") {
        case .float(let keys): select(keys, v, k, indices)
        case .int(let keys): select(keys, v, k, indices)
        }
        // Values are copied from the input by index, so every dtype keeps its exact bits.
        let es = a.dtype.byteSize
        for o in 0..<v.outer {
            for j in 0..<k {
                for i in 0..<v.inner {
                    let oi = (o * k + j) * v.inner + i
                    let src = (o * v.size + Int(indices.i64[oi])) * v.inner + i
                    memcpy(values.raw + oi * es, a.raw + src * es, es)
                }
            }
        }
        return [values, indices]
    }

    private func select<T: Comparable>(_ keys: [T], _ v: AxisView, _ k: Int, _ indices: Tensor) {
        var lane = [Int](repeating: 0, count: v.size)
        for o in 0..<v.outer {
            for i in 0..<v.inner {
                let base = o * v.size * v.inner + i
                for j in 0..<v.size { lane[j] = j }
                let key = { (j: Int) in keys[base + j * v.inner] }
                let largest = self.largest
                lane.sort { p, q in
                    let a = key(p), b = key(q)
                    if a == b { return p < q }
                    return largest ? a > b : a < b
                }
                for j in 0..<k { indices.i64[(o * k + j) * v.inner + i] = Int64(lane[j]) }
            }
        }
    }
}
