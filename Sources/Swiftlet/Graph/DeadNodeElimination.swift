#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Removes nodes whose outputs nobody reads (e.g. shape arithmetic orphaned by a fusion).
enum DeadNodeElimination {
    static func apply(_ g: GraphIR) -> GraphIR {
        var g = g
        var live = Set(g.outputs.map(\.name))
        var kept: [Node] = []
        for n in g.nodes.reversed() where n.outputs.contains(where: live.contains) {
            kept.append(n)
            live.formUnion(n.inputs)
        }
        g.nodes = kept.reversed()
        return g
    }
}
