/// A graph cut down to the outputs one caller reads: the other outputs, the nodes only they
/// need and the inputs no kept node reads are gone. A model with several entry points (CLIP:
/// a text tower and an image tower in one graph) is compiled once per entry point, and each
/// session neither runs nor asks for the other tower.
extension GraphIR {
    func restricted(to names: [String]) throws -> GraphIR {
        for name in names where !outputs.contains(where: { $0.name == name }) {
            throw SwiftletError.invalidInput("no graph output named '\(name)'; outputs are \(outputs.map(\.name))")
        }
        guard !names.isEmpty else { throw SwiftletError.invalidInput("a session needs at least one output") }
        var g = self
        g.outputs = outputs.filter { names.contains($0.name) }
        g = DeadNodeElimination.apply(g)
        let read = Set(g.nodes.flatMap(\.inputs)).union(g.outputs.map(\.name))
        g.inputs = inputs.filter { read.contains($0.name) }
        return g
    }
}
