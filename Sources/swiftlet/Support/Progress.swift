/// The progress line of work over many items (`embed`/`tokenize` over many texts, `ocr`
/// over many images): items done / total, items per second and the time left, on stderr.
///
/// Drawn only when stderr is a terminal, so pipes, files and CI logs get none; not before
/// the work has run for a moment, so quick commands never flash a line; at most ten times
/// a second. When stdout is the same terminal, result lines are printed above it.
struct Progress {
    /// Shorter runs than this never show a line.
    private static let delay: Duration = .milliseconds(300)
    private static let interval: Duration = .milliseconds(100)

    private let unit: String
    private let total: Int
    private let totalWork: Double
    private let enabled: Bool
    private let stdoutIsTerminal: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?
    private var done = 0
    private var workDone = 0.0

    /// `totalWork`: the cost of all items in any unit (tokens, pixels) when items differ in
    /// cost; the time left is then estimated from work, not item, throughput. Defaults to
    /// one unit per item.
    init(total: Int, unit: String, totalWork: Double? = nil, quiet: Bool) {
        self.unit = unit
        self.total = total
        self.totalWork = totalWork ?? Double(total)
        enabled = !quiet && total > 1 && Output.isTerminal(2)
        stdoutIsTerminal = Output.isTerminal(1)
        start = clock.now
    }

    /// `items` more are done, costing `work` (default: one unit each); `line`, if given, is
    /// their result for stdout, printed above the progress line when both are on screen.
    mutating func advance(items: Int = 1, work: Double? = nil, printing line: String? = nil) {
        done += items
        workDone += work ?? Double(items)
        if let line {
            if lastDraw != nil && stdoutIsTerminal {
                Output.error("\r\u{1B}[K")
                Output.line(line)
                return draw(now: clock.now)
            }
            Output.line(line)
        }
        guard enabled else { return }
        let now = clock.now
        guard now - start >= Self.delay, lastDraw.map({ now - $0 >= Self.interval }) ?? true else { return }
        draw(now: now)
    }

    /// Leaves the final count on its own line, if a line was shown at all.
    mutating func finish() {
        guard lastDraw != nil else { return }
        draw(now: clock.now, final: true)
        Output.error("\n")
        lastDraw = nil
    }

    private mutating func draw(now: ContinuousClock.Instant, final: Bool = false) {
        lastDraw = now
        let elapsed = Self.seconds(now - start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(done)/\(total) \(unit)  \(TextFormat.fixed(rate, rate < 10 ? 2 : 1)) \(unit)/s"
        if final {
            text += "  done in \(TextFormat.duration(seconds: elapsed))"
        } else if workDone > 0 {
            let left = (totalWork - workDone) * elapsed / workDone
            text += "  ETA \(TextFormat.duration(seconds: left))"
        }
        Output.error("\r\u{1B}[K" + text)
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
