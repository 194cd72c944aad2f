import Foundation
import Swiftlet

/// A recogniser output stored sparsely by the golden generators (`<dir>_shape.npy`,
/// `<dir>_index.npy`, `<dir>_value.npy`: the entries above a floor), and how an output
/// compares with it.
package struct SparseReference {
    package let shape: [Int]
    package let index: [Int]
    package let value: [Float]

    package init(golden dir: String) throws {
        shape = try NPY.read(TestPaths.goldenFile("\(dir)_shape.npy").path).int64Array().map(Int.init)
        index = try NPY.read(TestPaths.goldenFile("\(dir)_index.npy").path).int64Array().map(Int.init)
        value = try NPY.read(TestPaths.goldenFile("\(dir)_value.npy").path).floatArray()
    }

    /// Max |diff| over the stored entries, and the largest |value| of `got` elsewhere (where
    /// the reference is below its floor).
    package func compare(_ got: [Float]) -> (stored: Float, elsewhere: Float) {
        var isStored = [Bool](repeating: false, count: got.count)
        var d: Float = 0
        for (i, v) in zip(index, value) { isStored[i] = true; d = max(d, abs(got[i] - v)) }
        var rest: Float = 0
        for i in got.indices where !isStored[i] { rest = max(rest, abs(got[i])) }
        return (d, rest)
    }
}
