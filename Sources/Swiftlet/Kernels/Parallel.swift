#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
import Dispatch
#else
import Foundation
#endif

/// Splits 0..<n into at most `threads` contiguous chunks and runs them concurrently.
/// Work is sized by the caller: tiny ranges run inline so small tensors pay no dispatch cost.
/// Inside a graph run the chunks go to the run's spinning `WorkerPool`; elsewhere (or when
/// nested) to libdispatch.
@inline(__always)
func parallelChunks(_ n: Int, threads: Int, minChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let chunks = max(1, min(threads, n / max(minChunk, 1)))
    if chunks <= 1 || n <= 1 {
        if n > 0 { body(0..<n) }
        return
    }
    let per = (n + chunks - 1) / chunks
    if let pool = CurrentPool.current, chunks <= pool.size, !pool.isBusy {
        pool.run(chunks: chunks) { c in
            let lo = c * per
            let hi = min(n, lo + per)
            if lo < hi { body(lo..<hi) }
        }
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = c * per
        let hi = min(n, lo + per)
        if lo < hi { body(lo..<hi) }
    }
}
