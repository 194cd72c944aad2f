#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// DB "unclip": grows a text box by distance = area × ratio / perimeter with round joins,
/// the way RapidOCR does it with shapely (area, perimeter) and pyclipper (offset).
///
/// pyclipper works on integers: the float box is truncated toward zero first. The offset
/// follows Clipper's ClipperOffset (arc tolerance 0.25, round half away from zero). Clipper
/// then unions the result to clean it up; for the convex quads offset here that only drops
/// collinear points, which the min-area rectangle taken next ignores, so it is skipped.
func unclip(_ box: [(Float, Float)], ratio: Double) -> (xs: [Int32], ys: [Int32]) {
    // shapely area and length on the float polygon.
    var area2 = 0.0, length = 0.0
    for i in 0..<box.count {
        let a = box[i], b = box[(i + 1) % box.count]
        area2 += Double(a.0) * Double(b.1) - Double(b.0) * Double(a.1)
        length += hypot(Double(b.0) - Double(a.0), Double(b.1) - Double(a.1))
    }
    guard length > 0 else { return ([], []) }
    let delta = abs(area2) / 2 * ratio / length

    // ClipperOffset.AddPath: integer points, consecutive duplicates stripped.
    var path: [(Double, Double)] = []
    for p in box {
        let q = (Double(Int64(p.0)), Double(Int64(p.1)))
        if path.last.map({ $0 != q }) ?? true { path.append(q) }
    }
    while path.count > 1 && path[0] == path[path.count - 1] { path.removeLast() }
    guard path.count >= 3 else { return ([], []) }
    // FixOrientations: make the path positive (Clipper's Area >= 0) so delta > 0 grows it.
    var a = 0.0
    var j = path.count - 1
    for i in 0..<path.count {
        a += (path[j].0 + path[i].0) * (path[j].1 - path[i].1)
        j = i
    }
    if -a * 0.5 < 0 { path.reverse() }
    if delta.magnitude < 1e-20 {
        return (path.map { Int32($0.0) }, path.map { Int32($0.1) })
    }

    // Clipper caps the tolerance at a quarter of |delta|: without the cap a small offset
    // (|delta| < 0.125, a small unclip ratio) takes acos of a value below -1.
    let arcTolerance = min(0.25, abs(delta) * 0.25)
    var steps = Double.pi / acos(1 - arcTolerance / abs(delta))
    if steps > abs(delta) * Double.pi { steps = abs(delta) * Double.pi }
    let sinStep = sin(2 * Double.pi / steps), cosStep = cos(2 * Double.pi / steps)
    let stepsPerRad = steps / (2 * Double.pi)
    let n = path.count
    var normals: [(Double, Double)] = []
    for i in 0..<n {
        let p = path[i], q = path[(i + 1) % n]
        let dx = q.0 - p.0, dy = q.1 - p.1
        if dx == 0 && dy == 0 { normals.append((0, 0)); continue }
        let f = 1 / (dx * dx + dy * dy).squareRoot()
        normals.append((dy * f, -dx * f))
    }
    func round(_ v: Double) -> Int32 { Int32(v < 0 ? v - 0.5 : v + 0.5) }
    var xs: [Int32] = [], ys: [Int32] = []
    func emit(_ x: Double, _ y: Double) { xs.append(round(x)); ys.append(round(y)) }
    var k = n - 1
    for j in 0..<n {
        let pj = path[j], nk = normals[k], nj = normals[j]
        var sinA = nk.0 * nj.1 - nj.0 * nk.1
        let cosA = nk.0 * nj.0 + nk.1 * nj.1
        if abs(sinA * delta) < 1.0 {
            if cosA > 0 {
                emit(pj.0 + nk.0 * delta, pj.1 + nk.1 * delta)
                k = j
                continue
            }
        } else if sinA > 1.0 { sinA = 1.0 } else if sinA < -1.0 { sinA = -1.0 }
        if sinA * delta < 0 {
            emit(pj.0 + nk.0 * delta, pj.1 + nk.1 * delta)
            xs.append(Int32(pj.0)); ys.append(Int32(pj.1))
            emit(pj.0 + nj.0 * delta, pj.1 + nj.1 * delta)
        } else {
            // Round join.
            let angle = atan2(sinA, cosA)
            let count = max(Int((stepsPerRad * abs(angle)).rounded(.toNearestOrAwayFromZero)), 1)
            var x = nk.0, y = nk.1
            for _ in 0..<count {
                emit(pj.0 + x * delta, pj.1 + y * delta)
                let x2 = x
                x = x * cosStep - sinStep * y
                y = x2 * sinStep + y * cosStep
            }
            emit(pj.0 + nj.0 * delta, pj.1 + nj.1 * delta)
        }
        k = j
    }
    return (xs, ys)
}
