#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// One output row of a nearest-neighbour Resize: dst[j] = src[offsets[j]], or the
/// extrapolation value where the offset is -1. Recognises the exact 2× repeat
/// (offsets 0,0,1,1,…) of FPN upsampling, which becomes a vector interleave.
struct NearestRowGather {
    private let offsets: [Int]
    private let anyOutside: Bool
    private let doubling: Bool

    init(_ offsets: [Int]) {
        self.offsets = offsets
        anyOutside = offsets.contains { $0 < 0 }
        doubling = offsets.enumerated().allSatisfy { $0.element == $0.offset / 2 }
    }

    @inline(__always)
    func run(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ extra: Float) {
        let n = offsets.count
        if doubling {
            let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
            var j = 0
            while j + 16 <= n {
                let v = s.loadUnaligned(fromByteOffset: j * 2, as: SIMD8<Float>.self)
                var w = SIMD16<Float>()
                w.evenHalf = v
                w.oddHalf = v
                d.storeBytes(of: w, toByteOffset: j * 4, as: SIMD16<Float>.self)
                j += 16
            }
            while j < n { dst[j] = src[j / 2]; j += 1 }
            return
        }
        offsets.withUnsafeBufferPointer { o in
            if anyOutside {
                for j in 0..<n { dst[j] = o[j] < 0 ? extra : src[o[j]] }
            } else {
                for j in 0..<n { dst[j] = src[o[j]] }
            }
        }
    }
}
