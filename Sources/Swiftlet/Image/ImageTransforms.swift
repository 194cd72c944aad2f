/// Lossless pixel rearrangements: rotations by multiples of 90°, flips, crops, padding.
extension RGBImage {
    /// Maps each output pixel to the input pixel it copies.
    private func remapped(width ow: Int, height oh: Int, _ source: (Int, Int) -> (Int, Int)) -> RGBImage {
        var out = [UInt8](repeating: 0, count: ow * oh * 3)
        pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for y in 0..<oh {
                    for x in 0..<ow {
                        let (sx, sy) = source(x, y)
                        let si = (sy * width + sx) * 3, di = (y * ow + x) * 3
                        d[di] = s[si]; d[di + 1] = s[si + 1]; d[di + 2] = s[si + 2]
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: ow, height: oh, pixels: out)
    }

    /// The image turned upside down.
    public func rotated180() -> RGBImage {
        remapped(width: width, height: height) { x, y in (width - 1 - x, height - 1 - y) }
    }

    /// The image turned a quarter turn clockwise (width and height swap).
    public func rotated90Clockwise() -> RGBImage {
        remapped(width: height, height: width) { x, y in (y, height - 1 - x) }
    }

    /// numpy's `np.rot90` (what RapidOCR applies to tall crops).
    public func rotated90CounterClockwise() -> RGBImage {
        remapped(width: height, height: width) { x, y in (width - 1 - y, x) }
    }

    /// The image mirrored left to right.
    public func flippedHorizontally() -> RGBImage {
        remapped(width: width, height: height) { x, y in (width - 1 - x, y) }
    }

    /// Adds `top` and `bottom` rows of a constant colour (cv2.copyMakeBorder BORDER_CONSTANT).
    func paddedVertically(top: Int, bottom: Int, value: UInt8 = 0) -> RGBImage {
        var out = [UInt8](repeating: value, count: width * (height + top + bottom) * 3)
        out.replaceSubrange((top * width * 3)..<((top + height) * width * 3), with: pixels)
        return RGBImage(uncheckedWidth: width, height: height + top + bottom, pixels: out)
    }
}
