#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Einsum on one or two float32 operands whose terms use each letter at most once
/// (transposes, sums, inner/outer and batched matrix products such as "bhid,bhjd->bhij").
/// Letters only one operand has and the output lacks are summed away first; the rest
/// split into batch (both operands and output), contracted (both operands) and free
/// letters, so a two-operand equation is one batched GEMM between two transposes.
/// Ellipses, repeated letters (diagonals) and three or more operands are refused at load
/// with an error naming the equation.
struct EinsumOp: Operator {
    let equation: String
    let terms: [[Character]]
    let output: [Character]

    init(_ n: Node) throws {
        let eq = (n.string("equation") ?? "").filter { $0 != " " }
        equation = eq
        func refuse(_ why: String) -> SwiftletError { .unsupportedOp(op: "Einsum(equation=\"\(eq)\": \(why))", node: n.name) }
        guard !eq.contains(".") else { throw refuse("ellipsis not supported") }
        let chars = Array(eq)
        var sides = [String(chars)]
        if let arrow = chars.indices.first(where: { chars[$0] == "-" }) {
            guard arrow + 1 < chars.count, chars[arrow + 1] == ">" else { throw refuse("malformed equation") }
            sides = [String(chars[..<arrow]), String(chars[(arrow + 2)...])]
        }
        guard !sides[0].isEmpty else { throw refuse("malformed equation") }
        terms = sides[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
        guard terms.count <= 2 else { throw refuse("\(terms.count) operands; at most 2 supported") }
        for t in terms {
            guard t.allSatisfy({ $0.isLetter && $0.isASCII }) else { throw refuse("term '\(String(t))' is not letters") }
            guard Set(t).count == t.count else { throw refuse("repeated letter in '\(String(t))' (diagonal) not supported") }
        }
        if sides.count == 2 {
            output = Array(sides[1])
            guard output.allSatisfy({ $0.isLetter && $0.isASCII }), Set(output).count == output.count else {
                throw refuse("output '\(sides[1])' must be distinct letters")
            }
            let all = Set(terms.joined())
            guard output.allSatisfy(all.contains) else { throw refuse("output letter not in any input") }
        } else {
            // Implicit output: the letters used exactly once, alphabetically.
            let letters = terms.joined()
            output = Set(letters).filter { c in letters.filter { $0 == c }.count == 1 }.sorted()
        }
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        guard x.count == terms.count else {
            throw SwiftletError.invalidInput("Einsum \"\(equation)\" has \(terms.count) terms but \(x.count) inputs")
        }
        var ops: [Tensor] = []
        var letters = terms
        var size: [Character: Int] = [:]
        for (i, t) in terms.enumerated() {
            let a = try x.required(i, "Inputs[\(i)]")
            guard a.dtype == .float32 else { throw SwiftletError.invalidInput("Einsum needs float32 inputs, got \(a.dtype.rawValue)") }
            guard a.rank == t.count else {
                throw SwiftletError.shapeMismatch("Einsum \"\(equation)\": term '\(String(t))' for input \(i) of shape \(a.shape)")
            }
            for (c, d) in zip(t, a.shape) {
                if let s = size[c], s != d {
                    throw SwiftletError.shapeMismatch("Einsum \"\(equation)\": letter '\(c)' is \(s) and \(d)")
                }
                size[c] = d
            }
            ops.append(a)
        }
        // Sum away letters that only this operand has and the output lacks.
        for i in 0..<ops.count {
            let others = Set(letters.enumerated().filter { $0.offset != i }.flatMap(\.element))
            let drop = letters[i].indices.filter { !output.contains(letters[i][$0]) && !others.contains(letters[i][$0]) }
            if drop.isEmpty { continue }
            ops[i] = try ReduceOp(kind: .sum, attrAxes: drop, keepDims: false, noopWithEmptyAxes: false).run([ops[i]], ctx)[0]
            letters[i] = letters[i].enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        }
        if ops.count == 1 { return [try permute(ops[0], from: letters[0], to: output, ctx)] }

        let a = letters[0], b = letters[1]
        let batch = output.filter { a.contains($0) && b.contains($0) }
        let contract = a.filter { b.contains($0) && !output.contains($0) }
        let m = a.filter { !b.contains($0) }, n = b.filter { !a.contains($0) }
        let count = { (cs: [Character]) in cs.reduce(1) { $0 * size[$1]! } }
        let (nb, nm, nk, nn) = (count(batch), count(m), count(contract), count(n))
        let ta = try permute(ops[0], from: a, to: batch + m + contract, ctx)
        let tb = try permute(ops[1], from: b, to: batch + contract + n, ctx)
        let prod = try ctx.alloc(.float32, (batch + m + n).map { size[$0]! })
        if nk == 0 { memset(prod.raw, 0, prod.byteCount) }
        for i in 0..<nb where nk > 0 {
            Gemm.sgemm(m: nm, n: nn, k: nk, a: ta.f32 + i * nm * nk, lda: nk, b: tb.f32 + i * nk * nn, ldb: nn,
                       c: prod.f32 + i * nm * nn, ldc: nn, threads: ctx.threads)
        }
        return [try permute(prod, from: batch + m + n, to: output, ctx)]
    }

    /// `t` (axes named by `from`) with its axes reordered to `to` (the same letters).
    private func permute(_ t: Tensor, from: [Character], to: [Character], _ ctx: ExecContext) throws -> Tensor {
        if from == to { return t }
        let perm = to.map { c in from.firstIndex(of: c)! }
        return try TransposeOp(perm: perm).run([t], ctx)[0]
    }
}
