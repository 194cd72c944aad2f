import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Deterministic stand-in networks (outputs are pure functions of the inputs) to check that
/// one `OCR` object serves concurrent callers with the same results as serial calls. Parity
/// with the reference is OCRPipelineTests' job; this only exercises sharing.
private struct PureModels: OCRModels {
    var hasClassifier: Bool { true }
    func detect(_ x: Tensor) throws -> Tensor {
        let h = x.shape[2], w = x.shape[3]
        let v = x.floatArray()
        // Text wherever the blue plane is dark.
        return try Tensor(floats: (0..<(h * w)).map { v[$0] < 0 ? 0.9 : 0.05 }, shape: [1, 1, h, w])
    }
    func classify(_ x: Tensor) throws -> Tensor {
        try Tensor(floats: (0..<x.shape[0]).flatMap { _ in [Float(0.8), 0.2] }, shape: [x.shape[0], 2])
    }
    func recognize(_ x: Tensor) throws -> Tensor {
        let n = x.shape[0], t = x.shape[3] / 8, c = 4
        let v = x.floatArray(), per = x.count / n
        var out = [Float](repeating: 0, count: n * t * c)
        for b in 0..<n {
            for s in 0..<t { out[(b * t + s) * c + (Int(abs(v[b * per + s * 8]) * 10) % c)] = 1 }
        }
        return try Tensor(floats: out, shape: [n, t, c])
    }
}

final class OCRConcurrencyTests: XCTestCase {
    func testConcurrentCallsMatchSerial() throws {
        let ocr = try OCR(models: PureModels(), decoder: CTCDecoder(dictionary: ["a", "b"]), options: OCROptions(threads: 1))
        let images = try ["ch_en_num.jpg", "text_cls.jpg", "en_rec.jpg", "japan.jpg"].map { try RGBImage(contentsOf: try OCRSamples.path($0)) }
        let serial = try images.map { try ocr.recognize($0) }
        XCTAssertGreaterThan(serial.map(\.count).reduce(0, +), 0)
        let results = LockedResults(count: images.count * 2)
        DispatchQueue.concurrentPerform(iterations: images.count * 2) { i in
            results.set(i, Result { try ocr.recognize(images[i % images.count]) })
        }
        for i in 0..<(images.count * 2) {
            XCTAssertEqual(try results.get(i).get(), serial[i % images.count], "call \(i)")
        }
    }
}

private final class LockedResults: @unchecked Sendable {
    private var r: [Result<[OCRLine], Error>?]
    private let lock = NSLock()
    init(count: Int) { r = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: Result<[OCRLine], Error>) { lock.lock(); r[i] = v; lock.unlock() }
    func get(_ i: Int) -> Result<[OCRLine], Error> { lock.lock(); defer { lock.unlock() }; return r[i]! }
}
