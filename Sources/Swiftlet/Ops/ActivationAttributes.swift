#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

extension Activation {
    /// The activation node `n` computes, read from its attributes (see `init?(onnx:float:string:)`).
    init?(onnx n: Node) {
        self.init(onnx: n.op, float: n.float, string: n.string)
    }
}
