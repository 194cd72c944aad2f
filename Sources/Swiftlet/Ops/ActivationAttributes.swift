import Foundation

/// Reads the epilogue a fusion attached to a node (see Graph/Fusions/EpilogueActivation.swift).
extension Activation {
    /// `.none` when the node carries no "activation" attribute.
    init(fusedNode n: Node) throws {
        let p = n.floats("activation_params") ?? []
        func param(_ i: Int) throws -> Float {
            guard i < p.count else { throw SwiftletError.invalidModel("node '\(n.name)': activation_params too short") }
            return p[i]
        }
        switch n.string("activation") {
        case nil: self = .none
        case "Relu": self = .relu
        case "Sigmoid": self = .sigmoid
        case "HardSwish": self = .hardSwish
        case "Gelu": self = .gelu
        case "HardSigmoid": self = .hardSigmoid(alpha: try param(0), beta: try param(1))
        case "LeakyRelu": self = .leakyRelu(alpha: try param(0))
        case "Clip": self = .clip(lo: try param(0), hi: try param(1))
        case let s?: throw SwiftletError.unsupportedOp(op: "\(n.op)(activation=\(s))", node: n.name)
        }
    }
}

extension Epilogue {
    /// Activation plus the scalar `· post_scale + post_shift` a conv fusion may add.
    init(fusedNode n: Node) throws {
        self.init(act: try Activation(fusedNode: n), scale: n.float("post_scale") ?? 1, shift: n.float("post_shift") ?? 0)
    }
}
