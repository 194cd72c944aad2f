#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Detection input: resize so the limited side meets `limitSideLen`, both sides rounded to
/// multiples of 32, then (x/255 − 0.5)/0.5 into B,G,R planes of a [1, 3, H, W] tensor.
enum DetPreprocess {
    /// Network input size for an image (RapidOCR DetPreProcess.resize); nil when a side
    /// rounds to 0 (RapidOCR then reports no text).
    static func inputSize(width w: Int, height h: Int, limitSideLen: Int, limitType: OCROptions.LimitType) -> (width: Int, height: Int)? {
        var ratio = 1.0
        switch limitType {
        case .max:
            if max(h, w) > limitSideLen { ratio = Double(limitSideLen) / Double(h > w ? h : w) }
        case .min:
            if min(h, w) < limitSideLen { ratio = Double(limitSideLen) / Double(h < w ? h : w) }
        }
        let rh = roundTo32(Int(Double(h) * ratio)), rw = roundTo32(Int(Double(w) * ratio))
        guard rh > 0, rw > 0 else { return nil }
        return (rw, rh)
    }

    /// Python's round(v / 32) * 32: halves go to even.
    static func roundTo32(_ v: Int) -> Int { Int((Double(v) / 32).rounded(.toNearestOrEven)) * 32 }

    /// (x/255 − 0.5)/0.5, computed as numpy does (float64, then stored as float32).
    static let normalized: [Float] = (0..<256).map { Float((Double($0) * (1.0 / 255.0) - 0.5) / 0.5) }

    static func tensor(_ img: RGBImage) throws -> Tensor {
        let w = img.width, h = img.height, plane = w * h
        var values = [Float](repeating: 0, count: 3 * plane)
        img.pixels.withUnsafeBufferPointer { px in
            values.withUnsafeMutableBufferPointer { v in
                for i in 0..<plane {
                    v[i] = normalized[Int(px[3 * i + 2])]              // B
                    v[plane + i] = normalized[Int(px[3 * i + 1])]      // G
                    v[2 * plane + i] = normalized[Int(px[3 * i])]      // R
                }
            }
        }
        return try Tensor(floats: values, shape: [1, 3, h, w])
    }
}
