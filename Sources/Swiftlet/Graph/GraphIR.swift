import Foundation

/// A dimension of a graph input or output: fixed, or a name shared by every place
/// that must agree on it (batch, sequence, height…).
public enum Dim: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    case symbol(String)

    public var description: String {
        switch self {
        case .fixed(let n): return "\(n)"
        case .symbol(let s): return s
        }
    }
}

public struct ValueInfo: Sendable {
    public let name: String
    public let dtype: DType
    public let dims: [Dim]
}

/// ONNX attribute values, tagged by type as in the `.swl` header.
enum Attribute {
    case int(Int)
    case float(Float)
    case string(String)
    case ints([Int])
    case floats([Float])
    case strings([String])
    case tensor(Tensor)
}

struct Node {
    var name: String
    var op: String
    var inputs: [String]
    var outputs: [String]
    var attrs: [String: Attribute]

    func int(_ k: String) -> Int? { if case .int(let v)? = attrs[k] { return v }; return nil }
    func float(_ k: String) -> Float? {
        switch attrs[k] {
        case .float(let v)?: return v
        case .int(let v)?: return Float(v)
        default: return nil
        }
    }
    func string(_ k: String) -> String? { if case .string(let v)? = attrs[k] { return v }; return nil }
    func ints(_ k: String) -> [Int]? {
        switch attrs[k] {
        case .ints(let v)?: return v
        case .int(let v)?: return [v]
        default: return nil
        }
    }
    func floats(_ k: String) -> [Float]? { if case .floats(let v)? = attrs[k] { return v }; return nil }
    func tensor(_ k: String) -> Tensor? { if case .tensor(let v)? = attrs[k] { return v }; return nil }

    /// Input i, or nil when absent or given as "" (an omitted optional input).
    func input(_ i: Int) -> String? { i < inputs.count && !inputs[i].isEmpty ? inputs[i] : nil }
}

/// The graph as read from the file, before fusion and planning.
struct GraphIR {
    var inputs: [ValueInfo]
    var outputs: [ValueInfo]
    var nodes: [Node]
    var constants: [String: Tensor]
    var opset: Int

    init(inputs: [ValueInfo], outputs: [ValueInfo], nodes: [Node], constants: [String: Tensor], opset: Int) {
        self.inputs = inputs
        self.outputs = outputs
        self.nodes = nodes
        self.constants = constants
        self.opset = opset
    }

    init(json g: [String: Any], constants: [String: Tensor], path: String) throws {
        func bad(_ m: String) -> SwiftletError { .invalidModel("'\(path)': \(m)") }
        func values(_ key: String) throws -> [ValueInfo] {
            try (g[key] as? [[String: Any]] ?? []).map { v in
                guard let name = v["name"] as? String, let dts = v["dtype"] as? String, let dt = DType(rawValue: dts) else {
                    throw bad("graph \(key) entry lacks name or has unknown dtype")
                }
                let dims: [Dim] = try (v["shape"] as? [Any] ?? []).map { d in
                    if let n = d as? Int { return .fixed(n) }
                    if let s = d as? String { return .symbol(s) }
                    throw bad("graph \(key) '\(name)' has a malformed dimension")
                }
                return ValueInfo(name: name, dtype: dt, dims: dims)
            }
        }
        let ins = try values("inputs")
        let outs = try values("outputs")
        guard !outs.isEmpty else { throw bad("graph has no outputs") }
        var nodes: [Node] = []
        for (i, n) in (g["nodes"] as? [[String: Any]] ?? []).enumerated() {
            guard let op = n["op"] as? String else { throw bad("node #\(i) has no op") }
            let name = n["name"] as? String ?? "node_\(i)"
            guard let inputs = n["inputs"] as? [String], let outputs = n["outputs"] as? [String] else {
                throw bad("node '\(name)' lacks inputs/outputs")
            }
            var attrs: [String: Attribute] = [:]
            for (k, v) in n["attrs"] as? [String: Any] ?? [:] {
                guard let d = v as? [String: Any], let (tag, val) = d.first, d.count == 1 else {
                    throw bad("node '\(name)' attribute '\(k)' is malformed")
                }
                switch tag {
                case "i": guard let x = val as? NSNumber else { throw bad("node '\(name)' attribute '\(k)'") }; attrs[k] = .int(x.intValue)
                case "f": guard let x = val as? NSNumber else { throw bad("node '\(name)' attribute '\(k)'") }; attrs[k] = .float(x.floatValue)
                case "s": attrs[k] = .string(val as? String ?? "")
                case "ints": attrs[k] = .ints((val as? [NSNumber] ?? []).map { $0.intValue })
                case "floats": attrs[k] = .floats((val as? [NSNumber] ?? []).map { $0.floatValue })
                case "strings": attrs[k] = .strings(val as? [String] ?? [])
                case "t":
                    guard let tn = val as? String, let t = constants[tn] else { throw bad("node '\(name)' attribute '\(k)' names a missing tensor") }
                    attrs[k] = .tensor(t)
                default: throw bad("node '\(name)' attribute '\(k)' has unknown tag '\(tag)'")
                }
            }
            nodes.append(Node(name: name, op: op, inputs: inputs, outputs: outputs, attrs: attrs))
        }
        self.init(inputs: ins, outputs: outs, nodes: nodes, constants: constants, opset: g["opset"] as? Int ?? 17)
        try validateReferences(path: path)
    }

    /// Every node input must be produced before it is read: catches corrupt headers early.
    func validateReferences(path: String) throws {
        var known = Set(inputs.map(\.name)).union(constants.keys)
        for n in nodes {
            for i in n.inputs where !i.isEmpty && !known.contains(i) {
                throw SwiftletError.invalidModel("'\(path)': node '\(n.name)' reads '\(i)', which nothing produces before it")
            }
            known.formUnion(n.outputs.filter { !$0.isEmpty })
        }
        for o in outputs where !known.contains(o.name) {
            throw SwiftletError.invalidModel("'\(path)': graph output '\(o.name)' is never produced")
        }
    }
}
