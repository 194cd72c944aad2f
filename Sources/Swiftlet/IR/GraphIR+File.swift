import Foundation

extension GraphIR {
    /// The graph of a loaded file, attributes decoded to typed values.
    init(model: ModelFile) throws {
        let section = model.graphSection, path = model.path
        func bad(_ m: String) -> SwiftletError { .invalidModel("'\(path)': \(m)") }
        let nodes = try section.nodes.map { n in
            var attrs: [String: Attribute] = [:]
            for (k, v) in n.attrs {
                guard let d = v as? [String: Any], let (tag, val) = d.first, d.count == 1 else {
                    throw bad("node '\(n.name)' attribute '\(k)' is malformed")
                }
                switch tag {
                case "i": guard let x = val as? NSNumber else { throw bad("node '\(n.name)' attribute '\(k)'") }; attrs[k] = .int(x.intValue)
                case "f": guard let x = val as? NSNumber else { throw bad("node '\(n.name)' attribute '\(k)'") }; attrs[k] = .float(x.floatValue)
                case "s": attrs[k] = .string(val as? String ?? "")
                case "ints": attrs[k] = .ints((val as? [NSNumber] ?? []).map { $0.intValue })
                case "floats": attrs[k] = .floats((val as? [NSNumber] ?? []).map { $0.floatValue })
                case "strings": attrs[k] = .strings(val as? [String] ?? [])
                case "t":
                    guard let tn = val as? String, let t = model.tensors[tn] else { throw bad("node '\(n.name)' attribute '\(k)' names a missing tensor") }
                    attrs[k] = .tensor(t)
                default: throw bad("node '\(n.name)' attribute '\(k)' has unknown tag '\(tag)'")
                }
            }
            return Node(name: n.name, op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: attrs)
        }
        self.init(inputs: section.inputs, outputs: section.outputs, nodes: nodes, constants: model.tensors, opset: section.opset)
    }
}
