/// Mean of a probability map inside a polygon: RapidOCR's box_score_fast, which rasterises
/// the box with cv2.fillPoly (integer vertices, edges drawn 8-connected plus the scanline
/// interior) over the box's bounding rectangle and takes cv2.mean under that mask.
func boxScoreFast(_ map: UnsafeBufferPointer<Float>, width: Int, height: Int, box: [(Float, Float)]) -> Float {
    let minX = box.map { $0.0 }.min()!, maxX = box.map { $0.0 }.max()!
    let minY = box.map { $0.1 }.min()!, maxY = box.map { $0.1 }.max()!
    let xmin = min(max(Int(minX.rounded(.down)), 0), width - 1)
    let xmax = min(max(Int(maxX.rounded(.up)), 0), width - 1)
    let ymin = min(max(Int(minY.rounded(.down)), 0), height - 1)
    let ymax = min(max(Int(maxY.rounded(.up)), 0), height - 1)
    let mw = xmax - xmin + 1, mh = ymax - ymin + 1
    // Vertices relative to the rectangle, float32 subtraction then truncation (astype(int32)).
    let vx = box.map { Int(($0.0 - Float(xmin))) }, vy = box.map { Int(($0.1 - Float(ymin))) }
    var mask = [Bool](repeating: false, count: mw * mh)
    fillPolygon(&mask, width: mw, height: mh, xs: vx, ys: vy)
    return maskedMean(map, width: width, mask, x0: xmin, y0: ymin, maskWidth: mw, maskHeight: mh)
}

/// cv2.mean of the map under a mask placed at (x0, y0); 0 for an empty mask.
private func maskedMean(_ map: UnsafeBufferPointer<Float>, width: Int, _ mask: [Bool],
                        x0: Int, y0: Int, maskWidth mw: Int, maskHeight mh: Int) -> Float {
    var sum = 0.0
    var count = 0
    for y in 0..<mh {
        let row = (y0 + y) * width + x0
        for x in 0..<mw where mask[y * mw + x] {
            sum += Double(map[row + x])
            count += 1
        }
    }
    return count == 0 ? 0 : Float(sum / Double(count))
}

/// cv2.fillPoly(LINE_8, shift 0) on a boolean mask, to the pixel, for any polygon (convex
/// quads of the fast score, concave contours of the slow one, vertices outside the mask):
///
/// 1. each edge, from the previous vertex to the next, is drawn 8-connected left to right
///    (`drawLine8`, clipped as OpenCV clips);
/// 2. its scanline edge runs in 16.16 fixed point with a truncated step — from the *clipped*
///    segment when an end lies outside the mask, as OpenCV 4.10+/5 does, which moves the fill
///    by a pixel next to a clipped border compared with the unclipped line;
/// 3. row y is filled between consecutive pairs of the edges with y0 ≤ y < y1 sorted by x,
///    from ceil(left) to floor(right).
///
/// Not a scanline of exact crossings: the truncated step lands a hair left of an integer
/// crossing, and floor() then drops that pixel, as OpenCV does. Checked against cv2 5.0 on
/// 40,000 random quads and polygons (docs in golden/ocr/README.md, DBGeneratedMapTests).
func fillPolygon(_ mask: inout [Bool], width: Int, height: Int, xs: [Int], ys: [Int]) {
    let n = min(xs.count, ys.count)
    guard n > 0, width > 0, height > 0 else { return }
    let one = 1 << 16
    var edges: [(y0: Int, y1: Int, x: Int, dx: Int)] = []
    edges.reserveCapacity(n)
    var (px, py) = (xs[n - 1], ys[n - 1])
    for i in 0..<n {
        let (qx, qy) = (xs[i], ys[i])
        drawLine8(&mask, width: width, height: height, px, py, qx, qy)
        if py != qy {
            var (ax, ay, bx, by) = (px, py, qx, qy)
            var (cy0, cy1) = (py, qy)
            if !(0..<width).contains(ax) || !(0..<width).contains(bx) || !(0..<height).contains(ay) || !(0..<height).contains(by) {
                _ = clipLine(width: width, height: height, &ax, &ay, &bx, &by)
                if ay != by { (cy0, cy1) = (ay, by) }
            }
            let dx = ((bx - ax) << 16) / (cy1 - cy0)  // Swift's / truncates toward zero, like C
            if py < qy {
                edges.append((py, qy, (ax << 16) + (py - cy0) * dx, dx))
            } else {
                edges.append((qy, py, (bx << 16) + (qy - cy1) * dx, dx))
            }
        }
        (px, py) = (qx, qy)
    }
    guard edges.count >= 2 else { return }
    var yMin = Int.max, yMax = Int.min, xMin = Int.max, xMax = Int.min
    for e in edges {
        let xEnd = e.x + (e.y1 - e.y0) * e.dx
        yMin = min(yMin, e.y0); yMax = max(yMax, e.y1)
        xMin = min(xMin, e.x, xEnd); xMax = max(xMax, e.x, xEnd)
    }
    if yMax < 0 || yMin >= height || xMax < 0 || xMin >= width << 16 { return }
    var crossings: [Int] = []
    for y in max(yMin, 0)..<min(yMax, height) {
        crossings.removeAll(keepingCapacity: true)
        for e in edges where e.y0 <= y && y < e.y1 { crossings.append(e.x + e.dx * (y - e.y0)) }
        crossings.sort()
        var k = 0
        while k + 1 < crossings.count {
            var a = (crossings[k] + one - 1) >> 16, b = crossings[k + 1] >> 16
            if a < width && b >= 0 {
                a = max(a, 0); b = min(b, width - 1)
                if a <= b { for x in a...b { mask[y * width + x] = true } }
            }
            k += 2
        }
    }
}

/// cv::Line with LINE_8: OpenCV's LineIterator, always left to right, after `clipLine` when an
/// end lies outside the mask (so the pixels of a clipped line follow the clipped ends).
func drawLine8(_ mask: inout [Bool], width: Int, height: Int, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
    var (ax, ay, bx, by) = (x0, y0, x1, y1)
    if !(0..<width).contains(ax) || !(0..<width).contains(bx) || !(0..<height).contains(ay) || !(0..<height).contains(by) {
        if !clipLine(width: width, height: height, &ax, &ay, &bx, &by) { return }
    }
    if bx < ax { swap(&ax, &bx); swap(&ay, &by) }
    var major = bx - ax, minor = by - ay
    let ySign = minor < 0 ? -1 : 1
    minor = abs(minor)
    let xMajor = minor <= major
    if !xMajor { swap(&major, &minor) }
    var err = major - 2 * minor
    var (x, y) = (ax, ay)
    for _ in 0...major {
        mask[y * width + x] = true
        if err < 0 {
            err += 2 * major - 2 * minor
            x += 1; y += ySign
        } else {
            err -= 2 * minor
            if xMajor { x += 1 } else { y += ySign }
        }
    }
}

/// cv::clipLine to [0, width) × [0, height): Cohen–Sutherland with truncating integer steps.
/// Returns whether the clipped segment lies inside; the ends are moved either way, as OpenCV
/// moves them.
@discardableResult
func clipLine(width: Int, height: Int, _ x1: inout Int, _ y1: inout Int, _ x2: inout Int, _ y2: inout Int) -> Bool {
    let right = width - 1, bottom = height - 1
    guard width > 0, height > 0 else { return false }
    func code(_ x: Int, _ y: Int) -> Int {
        (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0)
    }
    var c1 = code(x1, y1), c2 = code(x2, y2)
    if c1 & c2 == 0 && c1 | c2 != 0 {
        if c1 & 12 != 0 {
            let a = c1 < 8 ? 0 : bottom
            x1 += (a - y1) * (x2 - x1) / (y2 - y1)
            y1 = a
            c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0)
        }
        if c2 & 12 != 0 {
            let a = c2 < 8 ? 0 : bottom
            x2 += (a - y2) * (x2 - x1) / (y2 - y1)
            y2 = a
            c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0)
        }
        if c1 & c2 == 0 && c1 | c2 != 0 {
            if c1 != 0 {
                let a = c1 == 1 ? 0 : right
                y1 += (a - x1) * (y2 - y1) / (x2 - x1)
                x1 = a
                c1 = 0
            }
            if c2 != 0 {
                let a = c2 == 1 ? 0 : right
                y2 += (a - x2) * (y2 - y1) / (x2 - x1)
                x2 = a
                c2 = 0
            }
        }
    }
    return c1 | c2 == 0
}

/// Mean of a probability map inside a contour: PaddleOCR's box_score_slow (score_mode
/// "slow"), which cv2.fillPoly's the contour itself — not its min-area rectangle — over the
/// contour's bounding rectangle (`fillPolygon` pairs crossings, so concave contours fill as
/// cv2 fills them).
func boxScoreSlow(_ map: UnsafeBufferPointer<Float>, width: Int, height: Int, contour: Contour) -> Float {
    guard let minX = contour.xs.min(), let maxX = contour.xs.max(), let minY = contour.ys.min(), let maxY = contour.ys.max() else { return 0 }
    let xmin = min(max(Int(minX), 0), width - 1), xmax = min(max(Int(maxX), 0), width - 1)
    let ymin = min(max(Int(minY), 0), height - 1), ymax = min(max(Int(maxY), 0), height - 1)
    let mw = xmax - xmin + 1, mh = ymax - ymin + 1
    var mask = [Bool](repeating: false, count: mw * mh)
    fillPolygon(&mask, width: mw, height: mh, xs: contour.xs.map { Int($0) - xmin }, ys: contour.ys.map { Int($0) - ymin })
    return maskedMean(map, width: width, mask, x0: xmin, y0: ymin, maskWidth: mw, maskHeight: mh)
}
