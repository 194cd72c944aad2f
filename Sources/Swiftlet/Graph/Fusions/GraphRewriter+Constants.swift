import Foundation

extension GraphRewriter {
    /// Adds a tensor computed by a fusion (folded weights) under an unused name.
    mutating func freshConstant(_ base: String, _ t: Tensor) -> String {
        var name = base, k = 1
        while g.constants[name] != nil || producer[name] != nil { name = "\(base)_\(k)"; k += 1 }
        g.constants[name] = t
        return name
    }
}
