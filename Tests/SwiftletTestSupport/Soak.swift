import Foundation
import Swiftlet

/// Helpers of the concurrency and memory soak tests (Swift API and C ABI tiers).
package enum Soak {
    /// Runs `body(thread, call)` on `threads` threads, `calls` times each. Returns the first
    /// error any call threw; after it every thread stops at its next call.
    /// Calls per thread of the sharing soaks: `default`, or SWIFTLET_SOAK_CALLS when set — the
    /// ThreadSanitizer job (tools/sanitize.sh thread) runs them with 50, since TSan tracks
    /// happens-before over every access and needs no long run to see a race, only ~10× the time.
    package static func callsPerThread(default calls: Int) -> Int {
        guard let s = ProcessInfo.processInfo.environment["SWIFTLET_SOAK_CALLS"], let n = Int(s), n > 0 else { return calls }
        return n
    }

    package static func hammer(threads: Int, calls: Int, _ body: @Sendable @escaping (Int, Int) throws -> Void) -> Error? {
        let failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for k in 0..<calls where !failure.isSet {
                do { try body(t, k) } catch { failure.set(error) }
            }
        }
        return failure.value
    }

    /// This process's resident memory (VmRSS), in bytes.
    package static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "") else {
            throw SwiftletError.io("no VmRSS in /proc/self/status")
        }
        return kib << 10
    }

    /// `count` crops of a real page, of varying size (about 48…143 × 24…55 pixels: a word or
    /// two each, often none): small OCR inputs, so thousands of calls take seconds.
    package static func crops(of page: RGBImage, count: Int) throws -> [RGBImage] {
        try (0..<count).map { i in
            let w = min(page.width, 48 + (i * 37) % 96), h = min(page.height, 24 + (i * 23) % 32)
            let x = (i * 53) % max(1, page.width - w), y = (i * 31) % max(1, page.height - h)
            var px = [UInt8]()
            px.reserveCapacity(w * h * 3)
            for row in y..<(y + h) { px += page.pixels[((row * page.width + x) * 3)..<((row * page.width + x + w) * 3)] }
            return try RGBImage(width: w, height: h, pixels: px)
        }
    }
}

/// A count several threads add to.
package final class SoakCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    package init() {}
    package var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    package func add() { lock.lock(); n += 1; lock.unlock() }
}

/// The first error any thread hit.
private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return error != nil }
    var value: Error? { lock.lock(); defer { lock.unlock() }; return error }
    func set(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}
