#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

func single(_ a: [Int]) -> Int? { a.count == 1 ? a[0] : nil }

/// The constant operand of a binary node whose other operand is `v`.
func otherConst(_ n: Node, _ v: String, _ g: GraphIR) -> String? {
    guard n.inputs.count == 2 else { return nil }
    let other = n.inputs[0] == v ? n.inputs[1] : n.inputs[0]
    return g.constants[other] != nil ? other : nil
}
