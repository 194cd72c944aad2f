#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Which nodes a conv or GEMM can take into its epilogue: any op `Activation` knows, read
/// from the node as the element-wise op reads it; Clip only when its bounds are constants.
enum EpilogueActivation {
    static func of(_ n: Node, _ g: GraphIR) -> Activation? {
        guard let act = Activation(onnx: n) else { return nil }
        guard case .clip(var lo, var hi) = act else { return act }
        for i in [1, 2] {
            guard let name = n.input(i) else { continue }
            guard let t = g.constants[name], t.count == 1, t.dtype == .float32 else { return nil }
            if i == 1 { lo = t.f32[0] } else { hi = t.f32[0] }
        }
        return .clip(lo: lo, hi: hi)
    }
}
