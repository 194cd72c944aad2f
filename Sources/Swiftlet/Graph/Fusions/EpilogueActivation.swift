import Foundation

/// Which activations a fused node can take into its kernel epilogue, and how the fusion
/// writes them down: attribute "activation" (the ONNX op name) and "activation_params".
/// `Activation(fusedNode:)` (Ops/ActivationAttributes.swift) reads them back.
enum EpilogueActivation {
    /// The activation an op computes, as (name, parameters), or nil when it cannot be fused.
    static func describe(_ n: Node, _ g: GraphIR) -> (String, [Float])? {
        switch n.op {
        case "Relu": return ("Relu", [])
        case "Gelu" where (n.string("approximate") ?? "none") == "none": return ("Gelu", [])
        case "Sigmoid": return ("Sigmoid", [])
        case "HardSwish": return ("HardSwish", [])
        case "HardSigmoid": return ("HardSigmoid", [n.float("alpha") ?? 0.2, n.float("beta") ?? 0.5])
        case "LeakyRelu": return ("LeakyRelu", [n.float("alpha") ?? 0.01])
        case "Clip":
            var lo = n.float("min") ?? -Float.greatestFiniteMagnitude, hi = n.float("max") ?? Float.greatestFiniteMagnitude
            for (i, isLo) in [(1, true), (2, false)] {
                guard let name = n.input(i) else { continue }
                guard let t = g.constants[name], t.count == 1, t.dtype == .float32 else { return nil }
                if isLo { lo = t.f32[0] } else { hi = t.f32[0] }
            }
            return ("Clip", [lo, hi])
        default: return nil
        }
    }
}
