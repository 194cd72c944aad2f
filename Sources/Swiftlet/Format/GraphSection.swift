#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The `graph` section of a `.swl` header, checked for wiring but with attributes still
/// as JSON: IR/GraphIR+File.swift turns it into typed nodes. Checking here keeps a corrupt
/// file failing at `ModelFile(path:)`, before any session is built from it.
struct GraphSection {
    struct NodeRecord {
        let name: String
        let op: String
        let inputs: [String]
        let outputs: [String]
        /// Attribute name → its one-key tagged value (`{"i": 3}`, `{"t": "tensor name"}`…).
        let attrs: [String: Any]
    }

    let inputs: [ValueInfo]
    let outputs: [ValueInfo]
    let nodes: [NodeRecord]
    let opset: Int

    init(json g: [String: Any], tensorNames: Set<String>, path: String) throws {
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
        inputs = try values("inputs")
        outputs = try values("outputs")
        guard !outputs.isEmpty else { throw bad("graph has no outputs") }
        nodes = try (g["nodes"] as? [[String: Any]] ?? []).enumerated().map { i, n in
            guard let op = n["op"] as? String else { throw bad("node #\(i) has no op") }
            let name = n["name"] as? String ?? "node_\(i)"
            guard let inputs = n["inputs"] as? [String], let outputs = n["outputs"] as? [String] else {
                throw bad("node '\(name)' lacks inputs/outputs")
            }
            return NodeRecord(name: name, op: op, inputs: inputs, outputs: outputs, attrs: n["attrs"] as? [String: Any] ?? [:])
        }
        opset = g["opset"] as? Int ?? 17
        try validateReferences(tensorNames: tensorNames, path: path)
    }

    /// Every node input must be produced before it is read: catches corrupt headers early.
    private func validateReferences(tensorNames: Set<String>, path: String) throws {
        var known = Set(inputs.map(\.name)).union(tensorNames)
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
