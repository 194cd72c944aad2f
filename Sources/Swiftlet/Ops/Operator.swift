#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A compiled node: attributes parsed once at load, `run` called per inference.
/// Inputs arrive positionally; nil marks an omitted optional input.
protocol Operator {
    func run(_ inputs: [Tensor?], _ ctx: ExecContext) throws -> [Tensor]
}

/// Per-run state: where intermediate buffers come from and how many threads kernels may use.
final class ExecContext {
    let pool: BufferPool
    let threads: Int

    init(pool: BufferPool, threads: Int) {
        self.pool = pool
        self.threads = max(1, threads)
    }

    /// Started on first use by a run with more than one thread; lives as long as the context.
    private(set) lazy var workers: WorkerPool? = threads > 1 ? WorkerPool(size: threads) : nil

    /// - Throws: when the tensor would take the run past its memory limit (BufferPool).
    func alloc(_ dtype: DType, _ shape: [Int]) throws -> Tensor {
        var n = dtype.byteSize
        for d in shape {
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow else { throw BufferPool.outOfMemory(Int.max, limit: pool.limit) }
            n = m
        }
        return Tensor(dtype: dtype, shape: shape, storage: try pool.allocate(n))
    }
}

extension Array where Element == Tensor? {
    func required(_ i: Int, _ what: String) throws -> Tensor {
        guard i < count, let t = self[i] else { throw SwiftletError.invalidInput("missing required input \(i) (\(what))") }
        return t
    }

    func optional(_ i: Int) -> Tensor? { i < count ? self[i] : nil }
}

extension Tensor {
    /// Reads a small integer tensor (shape, axes, indices arguments) as [Int].
    func intValues() throws -> [Int] {
        switch dtype {
        case .int64: return (0..<count).map { Int(i64[$0]) }
        case .int32: return (0..<count).map { Int(i32[$0]) }
        default: throw SwiftletError.invalidInput("expected an integer tensor, got \(dtype.rawValue)")
        }
    }

    func scalarDouble() throws -> Double {
        guard count >= 1 else { throw SwiftletError.invalidInput("expected a scalar, got shape \(shape)") }
        switch dtype {
        case .float32: return Double(f32[0])
        case .int64: return Double(i64[0])
        case .int32: return Double(i32[0])
        case .float16: return Double(raw.assumingMemoryBound(to: Float16.self)[0])
        case .int8: return Double(Int8(bitPattern: u8[0]))
        case .uint8, .bool: return Double(u8[0])
        }
    }

    /// The first element of an integer tensor, exactly.
    func scalarInt64() throws -> Int64 {
        guard count >= 1 else { throw SwiftletError.invalidInput("expected a scalar, got shape \(shape)") }
        switch dtype {
        case .int64: return i64[0]
        case .int32: return Int64(i32[0])
        case .int8: return Int64(Int8(bitPattern: u8[0]))
        case .uint8, .bool: return Int64(u8[0])
        case .float32, .float16: throw SwiftletError.invalidInput("expected an integer scalar, got \(dtype)")
        }
    }
}

/// Normalizes a possibly negative axis against a rank, with a clear error when out of range.
func normalizeAxis(_ axis: Int, rank: Int, node: String = "") throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0 && a < Swift.max(rank, 1) else {
        throw SwiftletError.shapeMismatch("axis \(axis) out of range for rank \(rank)\(node.isEmpty ? "" : " in \(node)")")
    }
    return a
}
