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

/// cv2.fillPoly(LINE_8) on a boolean mask: scanline interior plus Bresenham edges, clipped.
func fillPolygon(_ mask: inout [Bool], width: Int, height: Int, xs: [Int], ys: [Int]) {
    let n = xs.count
    guard n > 0 else { return }
    let top = max(ys.min()!, 0), bottom = min(ys.max()!, height - 1)
    if top <= bottom {
        for y in top...bottom {
            var lo = Double.infinity, hi = -Double.infinity
            for i in 0..<n {
                let x0 = xs[i], y0 = ys[i], x1 = xs[(i + 1) % n], y1 = ys[(i + 1) % n]
                if (y0 <= y && y <= y1) || (y1 <= y && y <= y0) {
                    if y0 == y1 {
                        lo = min(lo, Double(min(x0, x1))); hi = max(hi, Double(max(x0, x1)))
                    } else {
                        let x = Double(x0) + Double(x1 - x0) * Double(y - y0) / Double(y1 - y0)
                        lo = min(lo, x); hi = max(hi, x)
                    }
                }
            }
            if lo <= hi {
                let a = max(Int(lo.rounded(.up)), 0), b = min(Int(hi.rounded(.down)), width - 1)
                if a <= b { for x in a...b { mask[y * width + x] = true } }
            }
        }
    }
    fillPolygonEdges(&mask, width: width, height: height, xs: xs, ys: ys)
}

/// The polygon's edges, 8-connected (Bresenham), clipped to the mask.
func fillPolygonEdges(_ mask: inout [Bool], width: Int, height: Int, xs: [Int], ys: [Int]) {
    let n = xs.count
    func set(_ x: Int, _ y: Int) { if x >= 0 && x < width && y >= 0 && y < height { mask[y * width + x] = true } }
    for i in 0..<n {
        var x0 = xs[i], y0 = ys[i]
        let x1 = xs[(i + 1) % n], y1 = ys[(i + 1) % n]
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x0, y0)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }
}

/// Mean of a probability map inside a contour: PaddleOCR's box_score_slow (score_mode
/// "slow"), which cv2.fillPoly's the contour itself — not its min-area rectangle — over the
/// contour's bounding rectangle. Contours are not convex, so the interior is filled with
/// the even-odd rule (`fillContour`).
func boxScoreSlow(_ map: UnsafeBufferPointer<Float>, width: Int, height: Int, contour: Contour) -> Float {
    guard let minX = contour.xs.min(), let maxX = contour.xs.max(), let minY = contour.ys.min(), let maxY = contour.ys.max() else { return 0 }
    let xmin = min(max(Int(minX), 0), width - 1), xmax = min(max(Int(maxX), 0), width - 1)
    let ymin = min(max(Int(minY), 0), height - 1), ymax = min(max(Int(maxY), 0), height - 1)
    let mw = xmax - xmin + 1, mh = ymax - ymin + 1
    var mask = [Bool](repeating: false, count: mw * mh)
    fillContour(&mask, width: mw, height: mh, xs: contour.xs.map { Int($0) - xmin }, ys: contour.ys.map { Int($0) - ymin })
    return maskedMean(map, width: width, mask, x0: xmin, y0: ymin, maskWidth: mw, maskHeight: mh)
}

/// cv2.fillPoly(LINE_8) of any simple or self-touching polygon: on each row y, the crossings
/// of the edges that span [y_low, y_high) (half-open, horizontal edges skipped), sorted and
/// paired even-odd, fill from ceil(x_a) to floor(x_b); then the edges are drawn
/// 8-connected as OpenCV does. Checked against cv2 on every contour of random blob images
/// (tools/golden.py ocr-db-slow records the reference masks and scores).
func fillContour(_ mask: inout [Bool], width: Int, height: Int, xs: [Int], ys: [Int]) {
    let n = xs.count
    guard n > 0 else { return }
    let top = max(ys.min()!, 0), bottom = min(ys.max()!, height - 1)
    var crossings: [Double] = []
    if top <= bottom {
        for y in top...bottom {
            crossings.removeAll(keepingCapacity: true)
            for i in 0..<n {
                var x0 = xs[i], y0 = ys[i], x1 = xs[(i + 1) % n], y1 = ys[(i + 1) % n]
                if y0 == y1 { continue }
                if y0 > y1 { swap(&x0, &x1); swap(&y0, &y1) }
                if y0 <= y && y < y1 { crossings.append(Double(x0) + Double(x1 - x0) * Double(y - y0) / Double(y1 - y0)) }
            }
            crossings.sort()
            var k = 0
            while k + 1 < crossings.count {
                let a = max(Int(crossings[k].rounded(.up)), 0), b = min(Int(crossings[k + 1].rounded(.down)), width - 1)
                if a <= b { for x in a...b { mask[y * width + x] = true } }
                k += 2
            }
        }
    }
    fillPolygonEdges(&mask, width: width, height: height, xs: xs, ys: ys)
}
