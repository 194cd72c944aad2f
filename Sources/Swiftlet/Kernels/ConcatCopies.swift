#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The memcpys of a Concat: for each of `outer` output rows, every part's run of bytes in
/// turn. Big outputs are copied by several threads: over whole rows when there are enough,
/// otherwise over pieces of the runs (a channel Concat of NCHW maps has a single row).
struct ConcatCopies {
    let parts: [(src: UnsafeMutableRawPointer, bytes: Int)]
    let outer: Int
    let rowBytes: Int

    func run(into dst: UnsafeMutableRawPointer, threads: Int) {
        let total = outer * rowBytes
        // Below ~128 KB a dispatch costs more than the copy.
        if threads <= 1 || total < 1 << 17 {
            for o in 0..<outer { copyRow(o, dst) }
            return
        }
        if outer >= 4 * threads {
            parallelChunks(outer, threads: threads) { r in for o in r { copyRow(o, dst) } }
            return
        }
        let pieceBytes = max(1 << 16, (total / (8 * threads) + 63) / 64 * 64)
        var pieces: [(dst: Int, src: UnsafeRawPointer, bytes: Int)] = []
        for o in 0..<outer {
            var col = o * rowBytes
            for p in parts {
                var off = 0
                while off < p.bytes {
                    let n = min(pieceBytes, p.bytes - off)
                    pieces.append((col + off, UnsafeRawPointer(p.src + o * p.bytes + off), n))
                    off += n
                }
                col += p.bytes
            }
        }
        pieces.withUnsafeBufferPointer { pp in
            parallelChunks(pp.count, threads: threads) { r in
                for i in r { memcpy(dst + pp[i].dst, pp[i].src, pp[i].bytes) }
            }
        }
    }

    private func copyRow(_ o: Int, _ dst: UnsafeMutableRawPointer) {
        var col = o * rowBytes
        for p in parts {
            if p.bytes > 0 { memcpy(dst + col, p.src + o * p.bytes, p.bytes) }
            col += p.bytes
        }
    }
}
