import Foundation
import XCTest
@testable import Swiftlet

/// ONNX Range against the spec's definition (output[i] = start + i · delta, count =
/// max(0, ceil((limit − start) / delta))), each element written at its type's width, and
/// every bad input an error rather than a trap or a heap overwrite.
final class RangeTests: XCTestCase {
    func scalar(_ dtype: DType, _ v: Double) throws -> Tensor {
        let t = Tensor(zeros: dtype, shape: [])
        switch dtype {
        case .float32: t.f32[0] = Float(v)
        case .float16: t.raw.assumingMemoryBound(to: Float16.self)[0] = Float16(v)
        case .int64: t.i64[0] = Int64(v)
        case .int32: t.i32[0] = Int32(v)
        case .int8: t.u8[0] = UInt8(bitPattern: Int8(v))
        case .uint8, .bool: t.u8[0] = UInt8(v)
        }
        return t
    }

    func range(_ dtype: DType, _ start: Double, _ limit: Double, _ delta: Double) throws -> Tensor {
        try RangeOp().run([try scalar(dtype, start), try scalar(dtype, limit), try scalar(dtype, delta)],
                          ExecContext(pool: BufferPool(), threads: 1))[0]
    }

    func testIntegerRangesAreExact() throws {
        for dtype in [DType.int64, .int32] {
            for (s, l, d, want) in [(0.0, 5.0, 1.0, [0, 1, 2, 3, 4]), (10, 4, -3, [10, 7]), (1, 10, 3, [1, 4, 7]),
                                    (5, 5, 1, []), (5, 0, 1, []), (-3, 3, 2, [-3, -1, 1])] as [(Double, Double, Double, [Int64])] {
                let t = try range(dtype, s, l, d)
                XCTAssertEqual(t.dtype, dtype)
                XCTAssertEqual(t.shape, [want.count])
                let got = (0..<t.count).map { dtype == .int64 ? t.i64[$0] : Int64(t.i32[$0]) }
                XCTAssertEqual(got, want, "\(dtype) Range(\(s), \(l), \(d))")
            }
        }
        // Int64 bounds far beyond Double's exact integers.
        let big = Int64(1) << 60
        let s = Tensor(zeros: .int64, shape: []), l = Tensor(zeros: .int64, shape: []), d = Tensor(zeros: .int64, shape: [])
        s.i64[0] = big + 1; l.i64[0] = big + 4; d.i64[0] = 1
        let t = try RangeOp().run([s, l, d], ExecContext(pool: BufferPool(), threads: 1))[0]
        XCTAssertEqual((0..<t.count).map { t.i64[$0] }, [big + 1, big + 2, big + 3])
    }

    func testFloatRangesFollowTheDefinition() throws {
        let f = try range(.float32, 0.5, 2.0, 0.25)
        XCTAssertEqual(f.floatArray(), [0.5, 0.75, 1.0, 1.25, 1.5, 1.75])
        // float16 written as 2-byte elements: a long range fills exactly its buffer.
        let h = try range(.float16, 0, 200, 1)
        XCTAssertEqual(h.dtype, .float16)
        XCTAssertEqual(h.shape, [200])
        XCTAssertEqual(h.byteCount, 400)
        let hv = h.raw.assumingMemoryBound(to: Float16.self)
        XCTAssertEqual((0..<200).map { Float(hv[$0]) }, (0..<200).map(Float.init))
    }

    func testBadInputsAreErrors() throws {
        let ctx = ExecContext(pool: BufferPool(), threads: 1)
        let cases: [(String, () throws -> Tensor)] = [
            ("delta is 0", { try self.range(.int64, 0, 5, 0) }),
            ("delta is 0", { try self.range(.float32, 0, 5, 0) }),
            ("finite", { try self.range(.float32, 0, .infinity, 1) }),
            ("finite", { try self.range(.float32, .nan, 1, 1) }),
            ("elements", { try self.range(.float32, 0, 1e12, 1) }),
            ("elements", { try self.range(.int64, 0, 1e12, 1) }),
            ("not supported", { try self.range(.int8, 0, 100, 1) }),
            ("not supported", { try self.range(.uint8, 0, 100, 1) }),
            ("share one type", { try RangeOp().run([try self.scalar(.int64, 0), try self.scalar(.int32, 5), try self.scalar(.int64, 1)], ctx)[0] }),
            ("overflows", {
                let s = Tensor(zeros: .int64, shape: []), l = Tensor(zeros: .int64, shape: []), d = Tensor(zeros: .int64, shape: [])
                s.i64[0] = .min; l.i64[0] = .max; d.i64[0] = 1
                return try RangeOp().run([s, l, d], ctx)[0]
            }),
        ]
        for (needle, f) in cases {
            XCTAssertThrowsError(try f(), needle) { e in XCTAssertTrue("\(e)".contains(needle), "\(needle): \(e)") }
        }
    }
}
