import Swiftlet
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `swiftlet bench --profile`: per-node wall times over several runs, printed to stderr as
/// a table per op type and the slowest nodes (the median of each node's times, so one
/// preempted run does not move the picture).
enum Profile {
    static func report(_ s: Session, _ feeds: [String: Tensor], runs: Int,
                       top: Int = Int(ProcessInfo.processInfo.environment["SWIFTLET_PROFILE_TOP"] ?? "") ?? 20) throws {
        var samples: [[NodeTiming]] = []
        for _ in 0..<max(1, runs) { samples.append(try s.profile(feeds)) }
        let first = samples[0]
        let medians = first.indices.map { i -> Double in
            let v = samples.map { $0[i].milliseconds }.sorted()
            return v[v.count / 2]
        }
        let total = medians.reduce(0, +)
        func percent(_ ms: Double) -> Double { 100 * ms / max(total, 1e-9) }
        typealias F = TextFormat
        var byOp: [String: (ms: Double, count: Int)] = [:]
        for (i, n) in first.enumerated() { byOp[n.op, default: (0, 0)].ms += medians[i]; byOp[n.op]!.count += 1 }
        var lines = ["profile: \(first.count) nodes, \(F.fixed(total, 2)) ms (sum of per-node medians over \(samples.count) runs)"]
        lines.append("  op                        nodes        ms      %")
        for (op, v) in byOp.sorted(by: { $0.value.ms > $1.value.ms }) {
            lines.append("  " + F.padRight(op, 24) + " " + F.padLeft("\(v.count)", 6) + " " + F.padLeft(F.fixed(v.ms, 2), 9)
                         + " " + F.padLeft(F.fixed(percent(v.ms), 1), 6))
        }
        lines.append("  slowest nodes:")
        for i in medians.indices.sorted(by: { medians[$0] > medians[$1] }).prefix(top) {
            let n = first[i]
            lines.append("  " + F.padLeft(F.fixed(medians[i], 3), 8) + " ms " + F.padLeft(F.fixed(percent(medians[i]), 1), 5)
                         + "%  \(n.op) \(n.name) -> \(n.outputShape)")
        }
        Output.error(lines.joined(separator: "\n") + "\n")
    }
}
