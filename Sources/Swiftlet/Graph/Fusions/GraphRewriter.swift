#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Producer/consumer look-ups over a node list, plus batched removal and replacement.
struct GraphRewriter {
    var g: GraphIR
    private(set) var producer: [String: Int] = [:]
    private(set) var consumers: [String: [Int]] = [:]
    private var removed = Set<Int>()
    private var replacements: [Int: Node] = [:]
    private let outputs: Set<String>

    init(_ g: GraphIR) {
        self.g = g
        outputs = Set(g.outputs.map(\.name))
        for (i, n) in g.nodes.enumerated() {
            for o in n.outputs { producer[o] = i }
            for v in n.inputs where !v.isEmpty { consumers[v, default: []].append(i) }
        }
    }

    func isGraphOutput(_ v: String) -> Bool { outputs.contains(v) }
    func node(producing v: String) -> Node? { producer[v].map { g.nodes[$0] } }
    func index(producing v: String) -> Int? { producer[v] }
    func readers(_ v: String) -> [Int] { consumers[v] ?? [] }
    func isTaken(_ i: Int) -> Bool { removed.contains(i) || replacements[i] != nil }

    /// True when `v` is read only by nodes in `allowed` and is not a graph output.
    func isPrivate(_ v: String, to allowed: Set<Int>) -> Bool {
        !outputs.contains(v) && readers(v).allSatisfy(allowed.contains)
    }

    func scalar(_ v: String) -> Float? {
        guard let t = g.constants[v], t.count == 1, t.dtype == .float32 else { return nil }
        return t.f32[0]
    }

    /// Replaces the nodes `pattern` by `node`, placed where the last of them stood.
    mutating func replace(_ pattern: [Int], with node: Node) {
        let last = pattern.max()!
        for i in pattern where i != last { removed.insert(i) }
        replacements[last] = node
    }

    func finish() -> GraphIR {
        var out = g
        out.nodes = g.nodes.enumerated().compactMap { i, n in
            if removed.contains(i) { return nil }
            return replacements[i] ?? n
        }
        return out
    }
}
extension GraphRewriter {
    /// Adds a tensor computed by a fusion (folded weights) under an unused name.
    mutating func freshConstant(_ base: String, _ t: Tensor) -> String {
        var name = base, k = 1
        while g.constants[name] != nil || producer[name] != nil { name = "\(base)_\(k)"; k += 1 }
        g.constants[name] = t
        return name
    }
}
