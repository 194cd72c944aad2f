import Foundation
import Swiftlet

/// Stand-ins for the three OCR networks, computed directly from their input tensors:
/// dark pixels are text (det), a crop's column brightness picks the characters (rec) and its
/// mean brightness the angle (cls). No graph runs, so an OCR call costs microseconds and the
/// fuzzer's time goes to what it is after: decoding, resizing, letterboxing, DB
/// post-processing, crops, rotation and CTC decoding.
struct SyntheticOCRModels: OCRModels {
    let hasClassifier: Bool

    /// [1, 3, H, W] → [1, 1, H, W]: about 1 where all channels are dark.
    func detect(_ input: Tensor) throws -> Tensor {
        let s = input.shape
        guard s.count == 4, s[1] == 3 else { throw SwiftletError.invalidInput("det input \(s)") }
        let plane = s[2] * s[3], x = input.floatArray()
        var y = [Float](repeating: 0, count: s[0] * plane)
        for b in 0..<s[0] {
            for i in 0..<plane {
                let base = b * 3 * plane + i
                let z = -2 * (x[base] + x[base + plane] + x[base + 2 * plane])
                y[b * plane + i] = 1 / (1 + (-z).exponential)
            }
        }
        return try Tensor(floats: y, shape: [s[0], 1, s[2], s[3]])
    }

    /// [N, 3, 48, 192] → [N, 2]: bright crops read as upside down, so rotation runs too.
    func classify(_ input: Tensor) throws -> Tensor {
        let s = input.shape
        guard s.count == 4, s[0] > 0 else { throw SwiftletError.invalidInput("cls input \(s)") }
        let x = input.floatArray(), per = x.count / s[0]
        var y: [Float] = []
        for n in 0..<s[0] {
            let mean = x[n * per..<(n + 1) * per].reduce(0, +) / Float(max(per, 1))
            let p = min(max(0.5 + mean, 0), 1)
            y += [1 - p, p]
        }
        return try Tensor(floats: y, shape: [s[0], 2])
    }

    /// [N, 3, H, W] → [N, W/8, 4] over (blank, "a", "b", space).
    func recognize(_ input: Tensor) throws -> Tensor {
        let s = input.shape
        guard s.count == 4, s[1] == 3 else { throw SwiftletError.invalidInput("rec input \(s)") }
        let (n, h, w) = (s[0], s[2], s[3]), steps = w / 8, x = input.floatArray()
        var y = [Float](repeating: 0, count: n * steps * 4)
        for b in 0..<n {
            for t in 0..<steps {
                var c = [Float](repeating: 0, count: 3)
                for ch in 0..<3 {
                    for r in 0..<h { for k in 0..<8 { c[ch] += x[((b * 3 + ch) * h + r) * w + t * 8 + k] } }
                    c[ch] /= Float(h * 8)
                }
                let logits: [Float] = [2 * (c[0] + c[1] + c[2]), -3 * c[0], -3 * c[1], -c[2]]
                let m = logits.max()!, e = logits.map { ($0 - m).exponential }, sum = e.reduce(0, +)
                for k in 0..<4 { y[(b * steps + t) * 4 + k] = e[k] / sum }
            }
        }
        return try Tensor(floats: y, shape: [n, steps, 4])
    }
}

private extension Float {
    var exponential: Float { expf(self) }
}
