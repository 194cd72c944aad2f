#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A resolved 2-D window geometry for one input shape: what the conv, pool and col2im
/// kernels index with. Ops/SpatialAttributes.swift resolves it from node attributes.
struct Window2D {
    var kH = 1, kW = 1, sH = 1, sW = 1, dH = 1, dW = 1
    var padT = 0, padL = 0, padB = 0, padR = 0
    var inH = 1, inW = 1, outH = 1, outW = 1

    var isPointwise: Bool { kH == 1 && kW == 1 && sH == 1 && sW == 1 && padT == 0 && padL == 0 && padB == 0 && padR == 0 }

    init() {}

    /// The output's spatial shape in the op's own rank (1-D ops drop H).
    func outputSpatial(rank1D: Bool) -> [Int] { rank1D ? [outW] : [outH, outW] }
}
