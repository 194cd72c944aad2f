import Foundation
import Swiftlet

/// `swiftlet bench --profile`: per-node wall times over several runs, printed to stderr as
/// a table per op type and the slowest nodes (the median of each node's times, so one
/// preempted run does not move the picture).
enum Profile {
    static func report(_ s: Session, _ feeds: [String: Tensor], runs: Int, top: Int = Int(ProcessInfo.processInfo.environment["SWIFTLET_PROFILE_TOP"] ?? "") ?? 20) throws {
        var samples: [[NodeTiming]] = []
        for _ in 0..<max(1, runs) { samples.append(try s.profile(feeds)) }
        let first = samples[0]
        let medians = first.indices.map { i -> Double in
            let v = samples.map { $0[i].milliseconds }.sorted()
            return v[v.count / 2]
        }
        let total = medians.reduce(0, +)
        var byOp: [String: (ms: Double, count: Int)] = [:]
        for (i, n) in first.enumerated() { byOp[n.op, default: (0, 0)].ms += medians[i]; byOp[n.op]!.count += 1 }
        var lines = [String(format: "profile: %d nodes, %.2f ms (sum of per-node medians over %d runs)", first.count, total, samples.count)]
        lines.append("  op                        nodes        ms      %")
        for (op, v) in byOp.sorted(by: { $0.value.ms > $1.value.ms }) {
            lines.append("  " + op.padding(toLength: max(24, op.count), withPad: " ", startingAt: 0) + String(format: " %6d %9.2f %6.1f", v.count, v.ms, 100 * v.ms / max(total, 1e-9)))
        }
        lines.append("  slowest nodes:")
        for i in medians.indices.sorted(by: { medians[$0] > medians[$1] }).prefix(top) {
            let n = first[i]
            lines.append(String(format: "  %8.3f ms %5.1f%%  %@ %@ -> %@", medians[i], 100 * medians[i] / max(total, 1e-9),
                                n.op as NSString, n.name as NSString, "\(n.outputShape)" as NSString))
        }
        FileHandle.standardError.write((lines.joined(separator: "\n") + "\n").data(using: .utf8)!)
    }
}
