#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
import Dispatch
#else
import Foundation
#endif
import Synchronization

/// Threads that stay awake between the parallel loops of one graph run. A run issues a
/// parallel loop per node, often well under a millisecond each; handing each one to
/// libdispatch meant waking a parked worker every time, and at 2 threads that wake-up
/// (tens of µs, sometimes far more on a busy VM) ate the gain on the small recognizer and
/// batch-1 encoder layers. Workers here spin for a short while after each loop, so the
/// next one starts at once, then park on a condition variable until work arrives.
///
/// One pool per execution context (a run uses one context at a time); `size` counts the
/// calling thread, which always takes part.
final class WorkerPool: @unchecked Sendable {
    let size: Int
    private let state: State

    init(size: Int) {
        self.size = max(1, size)
        state = State(participants: self.size)
        for w in 1..<self.size {
            let s = state
            startThread { s.workerLoop(index: w) }
        }
    }

    deinit { state.shutdown() }

    /// Runs body(0..<chunks) with chunk i on participant i (the caller runs chunk 0).
    /// Returns when every chunk has finished.
    func run(chunks: Int, _ body: (Int) -> Void) {
        precondition(chunks <= size)
        withoutActuallyEscaping(body) { b in state.dispatch(chunks: chunks, b) }
    }

    /// The thread currently inside a pool loop must not start another one on the same pool.
    var isBusy: Bool { state.busy.load(ordering: .relaxed) }

    final class State: @unchecked Sendable {
        let participants: Int
        let epoch = Atomic<Int>(0)
        let pending = Atomic<Int>(0)
        let busy = Atomic<Bool>(false)
        let stopping = Atomic<Bool>(false)
        let parked = Atomic<Int>(0)
        // Written by the caller before `epoch` is bumped (release), read by workers after
        // they observe the new epoch (acquire).
        var body: ((Int) -> Void)?
        var chunks = 0
        let cond = Condition()
        /// How long a worker keeps polling for the next loop before parking.
        static let spinNanos: UInt64 = 200_000

        init(participants: Int) { self.participants = participants }

        func dispatch(chunks: Int, _ b: @escaping (Int) -> Void) {
            busy.store(true, ordering: .relaxed)
            body = b
            self.chunks = chunks
            pending.store(participants - 1, ordering: .relaxed)
            // Sequentially consistent: a worker about to park publishes `parked` and then
            // re-reads `epoch`; this side bumps `epoch` and then reads `parked`. Weaker
            // orderings would let both read stale values and the wake-up be lost.
            epoch.add(1, ordering: .sequentiallyConsistent)
            if parked.load(ordering: .sequentiallyConsistent) > 0 {
                cond.lock()
                cond.broadcast()
                cond.unlock()
            }
            if chunks > 0 { b(0) }
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                // Under a serializing scheduler (valgrind, an overloaded host) the workers
                // may need this core to finish.
                if spins > 1000 { sched_yield() }
            }
            body = nil
            busy.store(false, ordering: .relaxed)
        }

        func workerLoop(index: Int) {
            var seen = 0
            while true {
                var e = epoch.load(ordering: .acquiring)
                if e == seen {
                    let start = DispatchTime.now().uptimeNanoseconds
                    var spins = 0
                    while e == seen && !stopping.load(ordering: .relaxed) {
                        spins += 1
                        if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds - start > State.spinNanos {
                            cond.lock()
                            parked.add(1, ordering: .sequentiallyConsistent)
                            while epoch.load(ordering: .sequentiallyConsistent) == seen && !stopping.load(ordering: .relaxed) { cond.wait() }
                            parked.subtract(1, ordering: .relaxed)
                            cond.unlock()
                        }
                        e = epoch.load(ordering: .acquiring)
                    }
                }
                if stopping.load(ordering: .acquiring) { return }
                seen = e
                if index < chunks, let body { body(index) }
                pending.subtract(1, ordering: .releasing)
            }
        }

        func shutdown() {
            stopping.store(true, ordering: .releasing)
            cond.lock()
            cond.broadcast()
            cond.unlock()
        }
    }
}

/// The worker pool of the graph run executing on this thread, if any: kernels reach it
/// through `parallelChunks` without every call site carrying the execution context.
enum CurrentPool {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static var current: WorkerPool? {
        pthread_getspecific(key).map { Unmanaged<WorkerPool>.fromOpaque($0).takeUnretainedValue() }
    }

    static func with<R>(_ pool: WorkerPool?, _ body: () throws -> R) rethrows -> R {
        let old = pthread_getspecific(key)
        pthread_setspecific(key, pool.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) })
        defer { pthread_setspecific(key, old) }
        return try body()
    }
}
