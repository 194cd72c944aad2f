#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

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
                case "i": guard let x = HeaderJSON.int(val) else { throw bad("node '\(n.name)' attribute '\(k)'") }; attrs[k] = .int(x)
                case "f": guard let x = HeaderJSON.float(val) else { throw bad("node '\(n.name)' attribute '\(k)'") }; attrs[k] = .float(x)
                case "s": attrs[k] = .string(val as? String ?? "")
                case "ints": attrs[k] = .ints(try (val as? [Any] ?? []).map { guard let x = HeaderJSON.int($0) else { throw bad("node '\(n.name)' attribute '\(k)'") }; return x })
                case "floats": attrs[k] = .floats(try (val as? [Any] ?? []).map { guard let x = HeaderJSON.float($0) else { throw bad("node '\(n.name)' attribute '\(k)'") }; return x })
                case "strings": attrs[k] = .strings(val as? [String] ?? [])
                case "t":
                    guard let tn = val as? String, let t = model.tensors[tn] ?? model.encoded[tn]?.dequantized() else { throw bad("node '\(n.name)' attribute '\(k)' names a missing tensor") }
                    attrs[k] = .tensor(t)
                default: throw bad("node '\(n.name)' attribute '\(k)' has unknown tag '\(tag)'")
                }
            }
            return Node(name: n.name, op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: attrs)
        }
        // Weights read only as a MatMul's B in an encoding the integer GEMM takes, and
        // tables read only by Gather (axis 0) with rows decodable one at a time, stay
        // encoded; every other encoded constant becomes float32 here, so fusions, folding
        // and the float kernels see an ordinary constant.
        var constants = model.tensors, encoded: [String: EncodedTensor] = [:]
        var matMulB = Set<String>(), gathered = Set<String>(), otherUse = Set(section.outputs.map(\.name))
        for n in nodes {
            for (i, name) in n.inputs.enumerated() {
                if n.op == "MatMul" && i == 1 {
                    matMulB.insert(name)
                } else if n.op == "Gather" && i == 0 && (n.int("axis") ?? 0) == 0 {
                    gathered.insert(name)
                } else {
                    otherUse.insert(name)
                }
            }
        }
        for (name, e) in model.encoded {
            let onlyMatMul = matMulB.contains(name) && !gathered.contains(name) && e.isIntegerGemmWeight
            let onlyGather = gathered.contains(name) && !matMulB.contains(name) && e.hasDecodableRows
            if !otherUse.contains(name) && (onlyMatMul || onlyGather) {
                encoded[name] = e
            } else {
                constants[name] = e.dequantized()
            }
        }
        self.init(inputs: section.inputs, outputs: section.outputs, nodes: nodes, constants: constants,
                  encoded: encoded, opset: section.opset)
    }
}
