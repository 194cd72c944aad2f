/// Numpy-style broadcasting reduced to the fewest dimensions: adjacent dimensions that
/// broadcast the same way for every input are merged, so the common cases (same shape,
/// scalar, bias over the last axis) become one flat inner loop over contiguous memory.
struct BroadcastPlan {
    let outShape: [Int]
    /// Collapsed output dims; the last one is the inner loop.
    private(set) var dims: [Int] = []
    /// Per input, element strides over `dims` (0 where broadcast).
    private(set) var strides: [[Int]] = []

    static func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            let off = rank - s.count
            for (i, d) in s.enumerated() {
                let o = out[off + i]
                if o == 1 { out[off + i] = d } else if d != 1 && d != o {
                    throw SwiftletError.shapeMismatch("cannot broadcast shapes \(shapes.map { "\($0)" }.joined(separator: " and "))")
                }
            }
        }
        // Expand takes its target shape from data: negative or overflowing sizes must be
        // errors here, before any stride or element count is multiplied out.
        for s in shapes + [out] {
            var n = 1
            for d in s {
                guard d >= 0 else { throw SwiftletError.shapeMismatch("shape \(s) has a negative dimension") }
                let (p, overflow) = n.multipliedReportingOverflow(by: max(d, 1))
                guard !overflow else { throw SwiftletError.shapeMismatch("shape \(s) has more elements than an Int can count") }
                n = p
            }
        }
        return out
    }

    init(_ shapes: [[Int]]) throws {
        outShape = try BroadcastPlan.outputShape(shapes)
        let rank = outShape.count
        // Full-rank strides, 0 on broadcast dims.
        var full: [[Int]] = shapes.map { s in
            var st = [Int](repeating: 0, count: rank)
            var acc = 1
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                st[rank - s.count + i] = s[i] == 1 ? 0 : acc
                acc *= s[i]
            }
            return st
        }
        // Merge dim i into the previous one when every input is contiguous across them.
        var d: [Int] = []
        var st: [[Int]] = Array(repeating: [], count: shapes.count)
        for i in 0..<rank where outShape[i] != 1 {
            if let last = d.last {
                let mergeable = (0..<shapes.count).allSatisfy { k in
                    let prev = st[k].last!
                    return prev == full[k][i] * outShape[i] && (prev == 0) == (full[k][i] == 0)
                }
                if mergeable {
                    d[d.count - 1] = last * outShape[i]
                    for k in 0..<shapes.count { st[k][st[k].count - 1] = full[k][i] }
                    continue
                }
            }
            d.append(outShape[i])
            for k in 0..<shapes.count { st[k].append(full[k][i]) }
        }
        if d.isEmpty {
            d = [1]
            st = Array(repeating: [0], count: shapes.count)
        }
        full.removeAll()
        dims = d
        strides = st
    }

    var count: Int { dims.reduce(1, *) }
    var inner: Int { dims.last! }
    /// 0 when any output dim is 0 (the inner one included: no rows to run).
    var outerCount: Int { inner == 0 ? 0 : count / inner }
    func innerStride(_ k: Int) -> Int { strides[k].last! }

    /// Start offsets of each input for outer row `row` (rows enumerate all dims but the last).
    @inline(__always)
    func offsets(row: Int, into offs: inout [Int]) {
        for k in 0..<offs.count { offs[k] = 0 }
        var r = row
        var i = dims.count - 2
        while i >= 0 {
            let idx = r % dims[i]
            r /= dims[i]
            for k in 0..<offs.count { offs[k] += idx * strides[k][i] }
            i -= 1
        }
    }
}
