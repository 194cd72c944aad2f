import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Graphs built in Swift reach `Session` through a temporary `.swl` file: the session then
/// loads, fuses and folds them exactly as it does a converted model, and the test needs no
/// converter and no models/.
enum GraphFile {
    /// The `.swl` header's tagged form of an attribute; tensor attributes become named tensors.
    static func header(_ a: Attribute, name: String, into b: inout SWLBuilder) -> [String: Any] {
        switch a {
        case .int(let v): return ["i": v]
        case .float(let v): return ["f": Double(v)]
        case .string(let v): return ["s": v]
        case .ints(let v): return ["ints": v]
        case .floats(let v): return ["floats": v.map(Double.init)]
        case .strings(let v): return ["strings": v]
        case .tensor(let t):
            add(t, name: name, to: &b)
            return ["t": name]
        }
    }

    static func add(_ t: Tensor, name: String, to b: inout SWLBuilder) {
        b.tensors.append((name, t.dtype.rawValue, t.shape, t.withUnsafeBytes { Array($0) }))
    }

    static func valueInfo(_ v: ValueInfo) -> [String: Any] {
        ["name": v.name, "dtype": v.dtype.rawValue, "shape": v.dims.map { d -> Any in
            switch d {
            case .fixed(let n): return n
            case .symbol(let s): return s
            }
        }]
    }

    static func builder(_ g: GraphIR) -> SWLBuilder {
        var b = SWLBuilder()
        b.opset = g.opset
        b.inputs = g.inputs.map(valueInfo)
        b.outputs = g.outputs.map(valueInfo)
        for (name, t) in g.constants.sorted(by: { $0.key < $1.key }) { add(t, name: name, to: &b) }
        b.nodes = g.nodes.map { n in
            var attrs: [String: Any] = [:]
            for (k, a) in n.attrs.sorted(by: { $0.key < $1.key }) { attrs[k] = header(a, name: "\(n.name).\(k)", into: &b) }
            return ["name": n.name, "op": n.op, "inputs": n.inputs, "outputs": n.outputs, "attrs": attrs]
        }
        return b
    }

    /// A session on `b`'s graph; the file goes as soon as it is mapped.
    static func session(_ b: SWLBuilder, options: SessionOptions) throws -> Session {
        let path = try b.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Session(path: path, options: options)
    }

    static func session(_ g: GraphIR, options: SessionOptions) throws -> Session {
        try session(builder(g), options: options)
    }
}
