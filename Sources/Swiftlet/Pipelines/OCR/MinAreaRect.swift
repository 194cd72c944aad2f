#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// cv2.minAreaRect + cv2.boxPoints as OpenCV 5 computes them (the opencv-python 5.0 that
/// RapidOCR runs on), in its float32 arithmetic: the box corners feed floor/ceil/truncation
/// steps downstream, where a last-bit difference moves a pixel. Angles are in [-90, 0).
struct RotatedRect {
    var cx: Float, cy: Float, w: Float, h: Float, angleDegrees: Float

    /// cv2.boxPoints order, in OpenCV 5's float32 steps (each corner from the centre, not
    /// the third and fourth mirrored through it as OpenCV 4 did: the last bits differ).
    var corners: [(Float, Float)] {
        let a64 = Double(angleDegrees) * Double.pi / 180
        let b = Float(cos(a64)) * 0.5
        let a = Float(sin(a64)) * 0.5
        let ah = a * h, aw = a * w, bh = b * h, bw = b * w
        return [(cx - ah - bw, cy + bh - aw), (cx + ah - bw, cy - bh - aw),
                (cx + ah + bw, cy - bh + aw), (cx - ah + bw, cy + bh + aw)]
    }
}

/// Convex hull of integer points without collinear vertices, as indices into the input, in
/// cv2.convexHull(clockwise=false)'s order: positive signed area, and — because cv2 rotates
/// the hull so its indices run monotonically through the input chain — starting at the
/// lowest index when the chain runs the hull's way round, at the highest when it runs the
/// other way (otherwise at the right-most, lowest point, Sklansky's start). The start
/// decides which of several equal-area rectangles the calipers keep and the last float bits
/// of the result.
func convexHull(xs: [Int32], ys: [Int32]) -> [Int] {
    var order = Array(xs.indices)
    order.sort { xs[$0] != xs[$1] ? xs[$0] < xs[$1] : ys[$0] != ys[$1] ? ys[$0] < ys[$1] : $0 < $1 }
    var uniq: [Int] = []
    for i in order where uniq.last.map({ xs[$0] != xs[i] || ys[$0] != ys[i] }) ?? true { uniq.append(i) }
    if uniq.count < 3 { return uniq }
    func cross(_ o: Int, _ a: Int, _ b: Int) -> Int64 {
        (Int64(xs[a]) - Int64(xs[o])) * (Int64(ys[b]) - Int64(ys[o])) - (Int64(ys[a]) - Int64(ys[o])) * (Int64(xs[b]) - Int64(xs[o]))
    }
    var lower: [Int] = [], upper: [Int] = []
    for p in uniq {
        while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
        lower.append(p)
    }
    for p in uniq.reversed() {
        while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
        upper.append(p)
    }
    let hull = Array(lower.dropLast() + upper.dropLast())
    let n = hull.count
    if n < 3 { return hull }
    var ascending = 0
    for i in 0..<n where hull[i] < hull[(i + 1) % n] { ascending += 1 }
    let start: Int
    if ascending == n - 1 {
        start = hull.indices.min { hull[$0] < hull[$1] }!
    } else if ascending == 1 {
        start = hull.indices.max { hull[$0] < hull[$1] }!
    } else {
        start = hull.indices.max { xs[hull[$0]] != xs[hull[$1]] ? xs[hull[$0]] < xs[hull[$1]] : ys[hull[$0]] < ys[hull[$1]] }!
    }
    return Array(hull[start...] + hull[..<start])
}

func minAreaRect(xs: [Int32], ys: [Int32]) -> RotatedRect {
    let hull = convexHull(xs: xs, ys: ys).map { (Float(xs[$0]), Float(ys[$0])) }
    let n = hull.count
    if n == 0 { return RotatedRect(cx: 0, cy: 0, w: 0, h: 0, angleDegrees: -90) }
    if n == 1 { return RotatedRect(cx: hull[0].0, cy: hull[0].1, w: 0, h: 0, angleDegrees: -90) }
    if n == 2 {
        let cx = (hull[0].0 + hull[1].0) * 0.5, cy = (hull[0].1 + hull[1].1) * 0.5
        let dx = Double(hull[0].0 - hull[1].0), dy = Double(hull[0].1 - hull[1].1)
        let length = Float((dx * dx + dy * dy).squareRoot())
        var angle = -Double.pi / 2, w: Float = 0, h = length
        if dx == 0 { swap(&w, &h) } else if dy < 0 { angle = atan2(dy, dx); swap(&w, &h) } else if dy > 0 { angle = -atan2(dx, dy) }
        return RotatedRect(cx: cx, cy: cy, w: w, h: h, angleDegrees: Float(angle * 180 / Double.pi))
    }
    // Rotating calipers over the hull edges (cv2's rotatingCalipers, CALIPERS_MINAREARECT;
    // the hull runs counter-clockwise in cv2's sense, orientation +1).
    var vx = [Float](repeating: 0, count: n), vy = [Float](repeating: 0, count: n), inv = [Float](repeating: 0, count: n)
    var left = 0, bottom = 0, right = 0, top = 0
    var leftX = hull[0].0, rightX = hull[0].0, topY = hull[0].1, bottomY = hull[0].1
    for i in 0..<n {
        let p0 = hull[i]
        if p0.0 < leftX { leftX = p0.0; left = i }
        if p0.0 > rightX { rightX = p0.0; right = i }
        if p0.1 > topY { topY = p0.1; top = i }
        if p0.1 < bottomY { bottomY = p0.1; bottom = i }
        let p = hull[(i + 1) % n]
        let dx = Double(p.0 - p0.0), dy = Double(p.1 - p0.1)
        vx[i] = Float(dx); vy[i] = Float(dy)
        inv[i] = Float(1 / (dx * dx + dy * dy).squareRoot())
    }
    var baseA: Float = 1, baseB: Float = 0
    var seq = [bottom, right, top, left]
    var minArea = Float.greatestFiniteMagnitude
    var best = (left: 0, a: Float(0), width: Float(0), b: Float(0), height: Float(0), bottom: 0)
    for _ in 0..<n {
        // Each caliper's edge turned onto the first caliper's side; the one furthest
        // clockwise (by the sign of a float cross product, as OpenCV 5 picks it) leads.
        let rx: [Float] = [vx[seq[0]], vy[seq[1]], -vx[seq[2]], -vy[seq[3]]]
        let ry: [Float] = [vy[seq[0]], -vx[seq[1]], -vy[seq[2]], vx[seq[3]]]
        var main = 0
        for i in 1..<4 where ry[i] * rx[main] + -rx[i] * ry[main] < 0 { main = i }
        let pi = seq[main]
        let lx = vx[pi] * inv[pi], ly = vy[pi] * inv[pi]
        switch main {
        case 0: baseA = lx; baseB = ly
        case 1: baseA = ly; baseB = -lx
        case 2: baseA = -lx; baseB = -ly
        default: baseA = -ly; baseB = lx
        }
        seq[main] = (seq[main] + 1) % n
        var dx = hull[seq[1]].0 - hull[seq[3]].0
        var dy = hull[seq[1]].1 - hull[seq[3]].1
        let width = dx * baseA + dy * baseB
        dx = hull[seq[2]].0 - hull[seq[0]].0
        dy = hull[seq[2]].1 - hull[seq[0]].1
        let height = -dx * baseB + dy * baseA
        let area = width * height
        if area <= minArea {
            minArea = area
            best = (seq[3], baseA, width, baseB, height, seq[0])
        }
    }
    let a1 = best.a, b1 = best.b, a2 = -best.b, b2 = best.a
    let c1 = a1 * hull[best.left].0 + hull[best.left].1 * b1
    let c2 = a2 * hull[best.bottom].0 + hull[best.bottom].1 * b2
    let idet = 1 / (a1 * b2 - a2 * b1)
    let px = (c1 * b2 - c2 * b1) * idet, py = (a1 * c2 - a2 * c1) * idet
    let o1x = a1 * best.width, o1y = b1 * best.width
    let o2x = a2 * best.height, o2y = b2 * best.height
    let cx = px + (o1x + o2x) * 0.5, cy = py + (o1y + o2y) * 0.5
    var w = Float((Double(o2x) * Double(o2x) + Double(o2y) * Double(o2y)).squareRoot())
    var h = Float((Double(o1x) * Double(o1x) + Double(o1y) * Double(o1y)).squareRoot())
    var angle = -Double.pi / 2
    if o1x == 0 && o1y > 0 { swap(&w, &h) } else { angle = -atan2(Double(o1x), Double(o1y)) }
    return RotatedRect(cx: cx, cy: cy, w: w, h: h, angleDegrees: Float(angle * 180 / Double.pi))
}

/// RapidOCR's get_mini_boxes: the min-area rectangle's corners ordered top-left, top-right,
/// bottom-right, bottom-left (by x, then y within each side), and its shorter side.
func miniBox(xs: [Int32], ys: [Int32]) -> (box: [(Float, Float)], shortSide: Float) {
    let r = minAreaRect(xs: xs, ys: ys)
    // Python's sorted() is stable: equal x keeps boxPoints order.
    let pts = r.corners.enumerated().sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }.map { $0.element }
    let (i1, i4) = pts[1].1 > pts[0].1 ? (0, 1) : (1, 0)
    let (i2, i3) = pts[3].1 > pts[2].1 ? (2, 3) : (3, 2)
    return ([pts[i1], pts[i2], pts[i3], pts[i4]], min(r.w, r.h))
}
