#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Merges nodes that compute the same op on the same inputs with the same attributes
/// (exports often rebuild the attention mask once per layer). All ops here are pure.
enum CommonSubexpressions {
    static func apply(_ g: GraphIR) -> GraphIR {
        var g = g
        var rename: [String: String] = [:]
        var seen: [String: [String]] = [:]
        var kept: [Node] = []
        let graphOutputs = Set(g.outputs.map(\.name))
        // Small constants compare by value: exports repeat the same scalar under many names.
        func identity(_ v: String) -> String {
            guard let t = g.constants[v], t.count <= 64 else { return v }
            let bytes = t.withUnsafeBytes { Array($0) }
            return "const:\(t.dtype.rawValue):\(t.shape):\(bytes)"
        }
        for var n in g.nodes {
            n.inputs = n.inputs.map { rename[$0] ?? $0 }
            // A fused node's payload is part of what it computes (same conv, other epilogue).
            let key = n.op + "|" + n.inputs.map(identity).joined(separator: ",") + "|" +
                n.attrs.keys.sorted().map { "\($0)=\(n.attrs[$0]!)" }.joined(separator: ";") + "|" + String(describing: n.fused)
            if let prior = seen[key], prior.count == n.outputs.count, !n.outputs.contains(where: graphOutputs.contains) {
                for (o, p) in zip(n.outputs, prior) { rename[o] = p }
                continue
            }
            seen[key] = n.outputs
            kept.append(n)
        }
        g.nodes = kept
        return g
    }
}
