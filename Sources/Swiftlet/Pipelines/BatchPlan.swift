/// Where to cut a longest-first list of texts into encoder runs.
///
/// An encoder run costs about (texts × longest text) padded tokens of work plus a fixed
/// per-run overhead (small matrices use the cores less well, every node is dispatched
/// once). Cutting greedily at `maxTexts` makes a batch of random texts pad to its longest
/// member: on a typical mix (5–180 tokens, mean 51) that is 2–3× the real tokens, which is
/// what a server sees when concurrent single-text requests are batched together. The
/// cheapest cut points are found exactly by dynamic programming over the sorted lengths
/// (n × maxTexts steps), so a batch pays for padding only where a run is cheaper than it.
struct BatchPlan {
    /// Most texts in one run.
    var maxTexts: Int
    /// Most padded tokens in one run; a text longer than this runs alone.
    var maxTokens: Int
    /// The fixed cost of one run, in padded tokens.
    var runCost: Int

    /// Consecutive ranges of `lengths` (sorted longest first) covering all of it.
    func split(_ lengths: [Int]) -> [Range<Int>] {
        let n = lengths.count
        guard n > 0 else { return [] }
        // best[j]: least cost of running texts 0..<j; from[j]: where its last run starts.
        var best = [Int](repeating: .max, count: n + 1)
        var from = [Int](repeating: 0, count: n + 1)
        best[0] = 0
        for j in 1...n {
            var i = j - 1
            while i >= 0 && j - i <= max(1, maxTexts) {
                let longest = max(1, lengths[i])
                let (padded, overflow) = longest.multipliedReportingOverflow(by: j - i)
                if j - i > 1 && (overflow || padded > maxTokens) { break }
                if best[i] != .max {
                    let cost = best[i] + runCost + (overflow ? Int.max / 4 : min(padded, Int.max / 4))
                    if cost < best[j] { best[j] = cost; from[j] = i }
                }
                i -= 1
            }
        }
        var cuts: [Range<Int>] = []
        var j = n
        while j > 0 { cuts.append(from[j]..<j); j = from[j] }
        return cuts.reversed()
    }
}
