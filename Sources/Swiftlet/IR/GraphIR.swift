#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

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
    /// Set by fusions; then `op` is only its label.
    var fused: InternalOp? = nil

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
    /// Int8 weights kept in their file encoding for the integer GEMM; constants too, but
    /// not in `constants` (which holds float values fusions and folding may read).
    var encoded: [String: EncodedTensor]
    var opset: Int

    init(inputs: [ValueInfo], outputs: [ValueInfo], nodes: [Node], constants: [String: Tensor],
         encoded: [String: EncodedTensor] = [:], opset: Int) {
        self.inputs = inputs
        self.outputs = outputs
        self.nodes = nodes
        self.constants = constants
        self.encoded = encoded
        self.opset = opset
    }

    /// Shape of a float32 weight matrix, whether plain or encoded.
    func floatConstantShape(_ name: String) -> [Int]? {
        if let t = constants[name] { return t.dtype == .float32 ? t.shape : nil }
        return encoded[name]?.shape
    }
}
