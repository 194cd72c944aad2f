#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Graph rewrites applied before planning, each in its own file. They only replace
/// patterns whose intermediate values have no readers outside the pattern, so a fused
/// graph computes the same function as the original.
enum Fusions {
    static func apply(_ g: GraphIR) -> GraphIR {
        var g = g
        // First: it turns dequantized constant weights into constants the MatMul fusions need.
        g = DequantizeMatMulFusion.apply(g)
        g = LayerNormFusion.apply(g)
        g = GeluFusion.apply(g)
        g = AttentionFusion.apply(g)
        g = TransposedMatMulFusion.apply(g)
        g = MatMulBiasFusion.apply(g)
        g = MatMulActivationFusion.apply(g)
        g = SmoothedInt8MatMulFusion.apply(g)
        g = SkipLayerNormFusion.apply(g)
        g = ConvBatchNormFusion.apply(g)
        g = ConvBiasAddFusion.apply(g, op: "ConvTranspose")
        g = ConvTransposeBatchNormFusion.apply(g)
        // Exports chain bias, scale and shift in either order: fold until nothing changes.
        var before = -1
        while g.nodes.count != before {
            before = g.nodes.count
            g = ConvScaleFusion.apply(g)
            g = ConvBiasAddFusion.apply(g)
        }
        g = HardSwishFusion.apply(g)
        g = MaskedLogMaxFusion.apply(g)
        g = ConvActivationFusion.apply(g)
        g = CommonSubexpressions.apply(g)
        return g
    }
}
