/// Border following on a binary bitmap, equivalent to
/// cv2.findContours(RETR_LIST, CHAIN_APPROX_NONE) (Suzuki & Abe, 1985): every outer border
/// and every hole border, each as the 8-connected chain of foreground pixels on it.
///
/// Order matters downstream (ties in reading-order sorting keep it, and max_candidates cuts
/// it), so it is cv2's: borders are discovered in raster order of their first pixel and
/// returned last-discovered first. Point chains are not simplified (CHAIN_APPROX_SIMPLE
/// drops only points in the middle of straight runs, which changes neither convex hulls
/// nor filled polygons, the two uses made of them).
struct Contour {
    var xs: [Int32]
    var ys: [Int32]
}

// Neighbour offsets, counter-clockwise on screen (y grows downward): E, NE, N, NW, W, SW, S, SE.
private let dxs = [1, 1, 0, -1, -1, -1, 0, 1]
private let dys = [0, -1, -1, -1, 0, 1, 1, 1]

func findContours(_ bitmap: [UInt8], width: Int, height: Int) -> [Contour] {
    // Work on a copy framed by zeros so the tracer never leaves the array.
    let pw = width + 2
    var f = [Int8](repeating: 0, count: pw * (height + 2))
    for y in 0..<height {
        for x in 0..<width where bitmap[y * width + x] != 0 { f[(y + 1) * pw + x + 1] = 1 }
    }
    // Labels: 1 untouched foreground, 2 followed border pixel, -2 followed border pixel
    // whose right neighbour is background (cv2 uses one label for every border in LIST mode).
    let offsets = (0..<8).map { dys[$0] * pw + dxs[$0] }
    var found: [Contour] = []
    f.withUnsafeMutableBufferPointer { f in
        for y in 1...height {
            var x = 1
            while x <= width {
                let p = y * pw + x
                let v = f[p]
                if v == 0 { x += 1; continue }
                var start = -1
                if v == 1 && f[p - 1] == 0 {
                    start = 4  // outer border: came from the west
                } else if v >= 1 && f[p + 1] == 0 {
                    start = 0  // hole border: came from the east
                }
                if start < 0 { x += 1; continue }
                var c = Contour(xs: [], ys: [])
                // 3.1: clockwise from `start` for the first foreground neighbour.
                var d1 = -1
                for k in 0..<8 {
                    let d = (start - k + 8) & 7
                    if f[p + offsets[d]] != 0 { d1 = d; break }
                }
                if d1 < 0 {
                    f[p] = -2
                    c.xs.append(Int32(x - 1)); c.ys.append(Int32(y - 1))
                    found.append(c)
                    x += 1
                    continue
                }
                let p1 = p + offsets[d1]
                var p3 = p
                var back = d1  // direction from p3 to the previous pixel p2
                while true {
                    c.xs.append(Int32(p3 % pw - 1)); c.ys.append(Int32(p3 / pw - 1))
                    // 3.3: counter-clockwise from the neighbour after p2.
                    var d4 = back
                    var eastExamined = false
                    for k in 1...8 {
                        let d = (back + k) & 7
                        if f[p3 + offsets[d]] != 0 { d4 = d; break }
                        if d == 0 { eastExamined = true }
                    }
                    // 3.4
                    if eastExamined { f[p3] = -2 } else if f[p3] == 1 { f[p3] = 2 }
                    let p4 = p3 + offsets[d4]
                    // 3.5
                    if p4 == p && p3 == p1 { break }
                    back = (d4 + 4) & 7
                    p3 = p4
                }
                found.append(c)
                x += 1
            }
        }
    }
    return found.reversed()
}
