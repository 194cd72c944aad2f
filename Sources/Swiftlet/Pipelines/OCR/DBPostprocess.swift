/// Differentiable-Binarization post-processing: probability map → text quads, as RapidOCR's
/// DBPostProcess (score_mode "fast", or "slow" on request) followed by its filter_tag_det_res.
///
/// Steps: threshold the map, optionally dilate with a 2×2 kernel, follow every border
/// (outer and hole), take each border's min-area rectangle, drop small ones, score the
/// rectangle by the mean probability inside it (inside the contour in score mode slow), drop
/// low scores, grow it (unclip), take the min-area rectangle again, scale to the image,
/// order its corners clockwise from top-left, clip to the image and drop boxes 3 px or thinner.
public struct DetectedBox: Sendable, Equatable {
    /// top-left, top-right, bottom-right, bottom-left, in image pixels.
    public var points: [OCRPoint]
    /// Mean text probability inside the box.
    public var score: Float
}

/// A point in image pixels; `x` to the right, `y` down.
public struct OCRPoint: Sendable, Equatable, CustomStringConvertible {
    /// Horizontal position, in pixels from the left edge.
    public var x: Float
    /// Vertical position, in pixels from the top edge.
    public var y: Float
    /// A point at (`x`, `y`).
    public init(x: Float, y: Float) { self.x = x; self.y = y }
    /// "(x, y)".
    public var description: String { "(\(x), \(y))" }
}

struct DBPostprocess {
    var thresh: Float
    var boxThresh: Float
    var unclipRatio: Double
    var useDilation: Bool
    var maxCandidates: Int
    var minSize: Float
    var scoreMode: OCROptions.ScoreMode

    init(_ o: OCROptions) {
        thresh = o.thresh; boxThresh = o.boxThresh; unclipRatio = o.unclipRatio
        useDilation = o.useDilation; maxCandidates = o.maxCandidates; minSize = o.minSize
        scoreMode = o.scoreMode
    }

    /// `map` is the [H, W] probability map; boxes come back in a `destWidth`×`destHeight` image.
    func boxes(map: UnsafeBufferPointer<Float>, width: Int, height: Int, destWidth: Int, destHeight: Int) -> [DetectedBox] {
        precondition(map.count >= width * height)
        var bitmap = [UInt8](repeating: 0, count: width * height)
        for i in 0..<(width * height) where map[i] > thresh { bitmap[i] = 1 }
        if useDilation { bitmap = dilate2x2(bitmap, width: width, height: height) }
        let contours = findContours(bitmap, width: width, height: height)
        var out: [DetectedBox] = []
        for c in contours.prefix(maxCandidates) {
            let (box, side) = miniBox(xs: c.xs, ys: c.ys)
            if side < minSize { continue }
            let score = scoreMode == .fast ? boxScoreFast(map, width: width, height: height, box: box)
                                           : boxScoreSlow(map, width: width, height: height, contour: c)
            if boxThresh > score { continue }
            let grown = unclip(box, ratio: unclipRatio)
            if grown.xs.isEmpty { continue }
            let (box2, side2) = miniBox(xs: grown.xs, ys: grown.ys)
            if side2 < minSize + 2 { continue }
            // np.round(x / width * dest_width) in float32, clipped, then int32.
            let scaled = box2.map { p -> (Int, Int) in
                let x = min(max((p.0 / Float(width) * Float(destWidth)).rounded(.toNearestOrEven), 0), Float(destWidth))
                let y = min(max((p.1 / Float(height) * Float(destHeight)).rounded(.toNearestOrEven), 0), Float(destHeight))
                return (Int(x), Int(y))
            }
            // filter_tag_det_res
            let ordered = orderClockwise(scaled).map { (min(max($0.0, 0), destWidth - 1), min(max($0.1, 0), destHeight - 1)) }
            let rw = Int(norm(ordered[0], ordered[1])), rh = Int(norm(ordered[0], ordered[3]))
            if rw <= 3 || rh <= 3 { continue }
            out.append(DetectedBox(points: ordered.map { OCRPoint(x: Float($0.0), y: Float($0.1)) }, score: score))
        }
        return out
    }
}

/// np.linalg.norm of a float32 difference.
private func norm(_ a: (Int, Int), _ b: (Int, Int)) -> Float {
    let dx = Float(a.0 - b.0), dy = Float(a.1 - b.1)
    return (dx * dx + dy * dy).squareRoot()
}

/// cv2.dilate with a 2×2 kernel of ones (anchor at its centre (1,1)): each pixel becomes the
/// max of itself and its left, upper and upper-left neighbours; outside pixels are ignored.
func dilate2x2(_ b: [UInt8], width: Int, height: Int) -> [UInt8] {
    var out = b
    for y in 0..<height {
        for x in 0..<width where out[y * width + x] == 0 {
            let l = x > 0 && b[y * width + x - 1] != 0
            let u = y > 0 && b[(y - 1) * width + x] != 0
            let ul = x > 0 && y > 0 && b[(y - 1) * width + x - 1] != 0
            if l || u || ul { out[y * width + x] = 1 }
        }
    }
    return out
}

/// RapidOCR's order_points_clockwise: the two left-most points (by x, stable) sorted by y give
/// top-left and bottom-left, the two right-most give top-right and bottom-right.
func orderClockwise(_ p: [(Int, Int)]) -> [(Int, Int)] {
    let byX = p.enumerated().sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }.map { $0.element }
    let left = byX[0].1 <= byX[1].1 ? [byX[0], byX[1]] : [byX[1], byX[0]]
    let right = byX[2].1 <= byX[3].1 ? [byX[2], byX[3]] : [byX[3], byX[2]]
    return [left[0], right[0], right[1], left[1]]
}

/// RapidOCR's sorted_boxes: by (top-left y, x), then neighbours whose top-left y differ by
/// less than 10 px are swapped into left-to-right order (one bubble pass per box).
func readingOrder(_ boxes: [DetectedBox]) -> [DetectedBox] {
    var b = boxes.enumerated().sorted { l, r in
        let a = l.element.points[0], c = r.element.points[0]
        if a.y != c.y { return a.y < c.y }
        if a.x != c.x { return a.x < c.x }
        return l.offset < r.offset
    }.map { $0.element }
    if b.count < 2 { return b }
    for i in 0..<(b.count - 1) {
        var j = i
        while j >= 0 {
            if abs(b[j + 1].points[0].y - b[j].points[0].y) < 10 && b[j + 1].points[0].x < b[j].points[0].x {
                b.swapAt(j, j + 1)
                j -= 1
            } else {
                break
            }
        }
    }
    return b
}
