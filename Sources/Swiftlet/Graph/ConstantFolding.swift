#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Runs, once at load, every node whose inputs are all constants (weight transposes,
/// shape arithmetic on fixed shapes, `Constant` nodes) and keeps the results as constants.
enum ConstantFolding {
    /// A node whose result would take the folded constants past `memoryLimit` stays in the
    /// graph (its run then reports the limit).
    static func apply(_ g: GraphIR, memoryLimit: Int? = nil) throws -> GraphIR {
        var g = g
        let ctx = ExecContext(pool: BufferPool(limit: memoryLimit, cachesBlocks: false), threads: 1)
        var kept: [Node] = []
        let outputNames = Set(g.outputs.map(\.name))
        for n in g.nodes {
            if n.op == "Constant" {
                guard let t = constantValue(n) else { throw SwiftletError.unsupportedOp(op: "Constant (attribute form)", node: n.name) }
                g.constants[n.outputs[0]] = t
                continue
            }
            let foldable = !n.inputs.isEmpty && n.inputs.allSatisfy { $0.isEmpty || g.constants[$0] != nil }
                && !n.outputs.contains(where: outputNames.contains)
            if foldable, let op = try? OpRegistry.make(n, opset: g.opset),
               let outs = try? op.run(n.inputs.map { $0.isEmpty ? nil : g.constants[$0] }, ctx), outs.count >= n.outputs.count {
                for (name, t) in zip(n.outputs, outs) where !name.isEmpty { g.constants[name] = t }
                continue
            }
            kept.append(n)
        }
        g.nodes = kept
        return g
    }

    private static func constantValue(_ n: Node) -> Tensor? {
        if let t = n.tensor("value") { return t }
        if let f = n.float("value_float"), case .float? = n.attrs["value_float"] { return try? Tensor(floats: [f], shape: []) }
        if let i = n.int("value_int") { return try? Tensor(int64s: [Int64(i)], shape: []) }
        if let fs = n.floats("value_floats") { return try? Tensor(floats: fs, shape: [fs.count]) }
        if case .ints(let v)? = n.attrs["value_ints"] { return try? Tensor(int64s: v.map { Int64($0) }, shape: [v.count]) }
        return nil
    }
}
