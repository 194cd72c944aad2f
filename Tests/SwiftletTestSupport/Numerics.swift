import Foundation

package func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var d = 0.0, na = 0.0, nb = 0.0
    for i in a.indices { d += Double(a[i]) * Double(b[i]); na += Double(a[i]) * Double(a[i]); nb += Double(b[i]) * Double(b[i]) }
    return d / max((na * nb).squareRoot(), 1e-30)
}

package func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Deterministic uniform(-1, 1) floats (SplitMix64), so kernel-test failures reproduce.
package func testRandoms(_ n: Int, seed: UInt64) -> [Float] {
    var s = seed
    return (0..<n).map { _ in
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 24) * 2 - 1
    }
}

/// How each embedding agrees with its row of a flat row-major reference (texts × dim): the
/// per-text figures parity tests assert on, and the summary they print.
package struct RowAgreement {
    package let cosines: [Double]
    package let maxDiffs: [Float]
    /// Rows equal to the reference bit for bit.
    package let identical: Int

    package init(_ got: [[Float]], reference: [Float], dim: Int) {
        var cosines: [Double] = [], maxDiffs: [Float] = [], identical = 0
        for (i, v) in got.enumerated() {
            let r = Array(reference[(i * dim)..<((i + 1) * dim)])
            cosines.append(cosine(v, r))
            maxDiffs.append(maxAbsDiff(v, r))
            if v == r { identical += 1 }
        }
        self.cosines = cosines
        self.maxDiffs = maxDiffs
        self.identical = identical
    }

    package var worstCosine: Double { cosines.min() ?? 1 }
    package var worstIndex: Int { cosines.indices.min { cosines[$0] < cosines[$1] } ?? 0 }
    package var maxDiff: Float { maxDiffs.max() ?? 0 }
    package var meanCosine: Double { cosines.reduce(0, +) / Double(max(cosines.count, 1)) }
    package var medianCosine: Double { cosines.isEmpty ? 1 : cosines.sorted()[cosines.count / 2] }
}
