/// Pillow's `Image.resize(size, Image.BICUBIC)` on 8-bit RGB, bit for bit (what
/// CLIPImageProcessor runs): separable, horizontal pass first into an 8-bit image, then
/// vertical; Keys cubic with a = -0.5 whose support widens by the scale when shrinking
/// (an antialiasing filter, unlike the OCR resize); weights normalised per output pixel,
/// then rounded to 22-bit fixed point, sums rounded and clamped to 0...255. Matching those
/// integer details is what makes the pixels identical rather than merely close.
extension RGBImage {
    public func resizedBicubicPIL(width outWidth: Int, height outHeight: Int) throws -> RGBImage {
        guard outWidth > 0, outHeight > 0 else {
            throw SwiftletError.invalidInput("bicubic resize to \(outWidth)x\(outHeight): sizes must be positive")
        }
        guard outWidth <= 1 << 15, outHeight <= 1 << 15 else {
            throw SwiftletError.invalidInput("bicubic resize to \(outWidth)x\(outHeight): over 32768 pixels a side")
        }
        var img = self
        if outWidth != width {
            let c = PILCubicCoefficients(inSize: width, outSize: outWidth)
            img = img.resampledHorizontally(c, to: outWidth)
        }
        if outHeight != height {
            let c = PILCubicCoefficients(inSize: height, outSize: outHeight)
            img = img.resampledVertically(c, to: outHeight)
        }
        return img
    }

    private func resampledHorizontally(_ c: PILCubicCoefficients, to outW: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: outW * height * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = y * width * 3
                    for x in 0..<outW {
                        let (first, count) = c.bounds[x]
                        let k = x * c.ksize
                        var s0 = PILCubicCoefficients.half, s1 = s0, s2 = s0
                        for i in 0..<count {
                            let w = c.weights[k + i], p = row + (first + i) * 3
                            s0 += Int(src[p]) * w; s1 += Int(src[p + 1]) * w; s2 += Int(src[p + 2]) * w
                        }
                        let o = (y * outW + x) * 3
                        dst[o] = PILCubicCoefficients.clip8(s0); dst[o + 1] = PILCubicCoefficients.clip8(s1)
                        dst[o + 2] = PILCubicCoefficients.clip8(s2)
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: outW, height: height, pixels: out)
    }

    private func resampledVertically(_ c: PILCubicCoefficients, to outH: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * outH * 3)
        let stride = width * 3
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outH {
                    let (first, count) = c.bounds[y]
                    let k = y * c.ksize
                    for x in 0..<stride {
                        var s = PILCubicCoefficients.half
                        for i in 0..<count { s += Int(src[(first + i) * stride + x]) * c.weights[k + i] }
                        dst[y * stride + x] = PILCubicCoefficients.clip8(s)
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: width, height: outH, pixels: out)
    }
}

/// Per output pixel along one axis: the first input pixel, how many it reads, and their
/// fixed-point weights (Pillow's precompute_coeffs + normalize_coeffs_8bpc).
struct PILCubicCoefficients {
    static let precisionBits = 32 - 8 - 2
    static let half = 1 << (precisionBits - 1)
    let ksize: Int
    let bounds: [(Int, Int)]
    let weights: [Int]

    init(inSize: Int, outSize: Int) {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = 2.0 * filterScale
        ksize = Int(support.rounded(.up)) * 2 + 1
        var bounds: [(Int, Int)] = []
        bounds.reserveCapacity(outSize)
        var weights = [Int](repeating: 0, count: outSize * ksize)
        var k = [Double](repeating: 0, count: ksize)
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            let inverse = 1.0 / filterScale
            // C's (int) truncates toward zero; the clamps make that floor for the cases that matter.
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            var sum = 0.0
            for x in 0..<xmax {
                let w = Self.cubic((Double(x + xmin) - center + 0.5) * inverse)
                k[x] = w
                sum += w
            }
            for x in 0..<xmax {
                let v = sum != 0 ? k[x] / sum : k[x]
                let scaled = v * Double(1 << Self.precisionBits)
                weights[xx * ksize + x] = v < 0 ? Int(-0.5 + scaled) : Int(0.5 + scaled)
            }
            bounds.append((xmin, max(xmax, 0)))
        }
        self.bounds = bounds
        self.weights = weights
    }

    /// Keys' cubic convolution kernel with a = -0.5 (Pillow's bicubic_filter).
    static func cubic(_ t: Double) -> Double {
        let a = -0.5
        let x = abs(t)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    static func clip8(_ s: Int) -> UInt8 {
        if s >= (1 << precisionBits) << 8 { return 255 }
        if s <= 0 { return 0 }
        return UInt8(truncatingIfNeeded: s >> precisionBits)
    }
}
