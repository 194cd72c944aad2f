#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Text-line crops → recognition / angle-classifier input batches, as RapidOCR builds them.
enum RecPreprocess {
    /// (x/255 − 0.5)/0.5 in float32 steps, as numpy does on a float32 array.
    static let normalized: [Float] = (0..<256).map { (Float($0) / 255 - 0.5) / 0.5 }

    /// Crop indices in ascending width/height order (ties keep input order), cut into batches.
    static func batches(_ crops: [RGBImage], size: Int) -> [[Int]] {
        let ratios = crops.map { Double($0.width) / Double($0.height) }
        let order = crops.indices.sorted { ratios[$0] != ratios[$1] ? ratios[$0] < ratios[$1] : $0 < $1 }
        return stride(from: 0, to: order.count, by: size).map { Array(order[$0..<min($0 + size, order.count)]) }
    }

    /// Width every crop of a recognition batch is padded to: height × the batch's widest
    /// ratio, at least `baseWidth` (RapidOCR's max_wh_ratio starts at 320/48).
    static func batchWidth(_ crops: [RGBImage], height: Int, baseWidth: Int) -> Int {
        var maxRatio = Double(baseWidth) / Double(height)
        for c in crops { maxRatio = max(maxRatio, Double(c.width) / Double(c.height)) }
        return Int(Double(height) * maxRatio)
    }

    /// Each crop resized to `height` keeping its ratio (width ceil(height·ratio), capped at
    /// `width`), normalised into B,G,R planes, zero-padded on the right: [N, 3, height, width].
    static func tensor(_ crops: [RGBImage], height: Int, width: Int) throws -> Tensor {
        let plane = height * width
        var values = [Float](repeating: 0, count: crops.count * 3 * plane)
        for (n, crop) in crops.enumerated() {
            let ratio = Double(crop.width) / Double(crop.height)
            let rw = min(Int((Double(height) * ratio).rounded(.up)), width)
            let r = try crop.resized(width: max(rw, 1), height: height)
            let base = n * 3 * plane
            for y in 0..<height {
                for x in 0..<r.width {
                    let p = (y * r.width + x) * 3
                    let o = y * width + x
                    values[base + o] = normalized[Int(r.pixels[p + 2])]
                    values[base + plane + o] = normalized[Int(r.pixels[p + 1])]
                    values[base + 2 * plane + o] = normalized[Int(r.pixels[p])]
                }
            }
        }
        return try Tensor(floats: values, shape: [crops.count, 3, height, width])
    }
}
