#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Wall and process-CPU milliseconds for the bench commands.
enum Stopwatch {
    /// Wall time of `body` in ms.
    static func ms(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let t0 = clock.now
        try body()
        let d = clock.now - t0
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15
    }

    /// CPU time of the whole process so far, in ms: steadier than wall time on a shared machine.
    static func processCPUms() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
    }
}
