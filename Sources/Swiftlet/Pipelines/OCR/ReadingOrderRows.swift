/// RapidOCR 3's reading order (TextDetector.sorted_boxes in rapidocr 3.10.0), `LineOrder.rows`:
/// a stable sort by the top-left corner's y; walking down that order, a y gap of 10 px or
/// more from the previous box starts a new row (so a row is a chain and may drift down);
/// rows are then read left to right by the top-left x, equal x keeping the y order (numpy's
/// stable lexsort). `readingOrder` (RapidOCR 1.4.4) differs when a row chains three or more
/// boxes over more than 10 px, or a box sits within 10 px of two rows.
func readingOrderByRows(_ boxes: [DetectedBox]) -> [DetectedBox] {
    guard boxes.count > 1 else { return boxes }
    // Index as the tie-break: Swift's sort is not stable, numpy's kind="stable" is.
    let byY = boxes.indices.sorted { (boxes[$0].points[0].y, $0) < (boxes[$1].points[0].y, $1) }
    var row = [Int](repeating: 0, count: byY.count)
    for k in 1..<byY.count {
        // np.diff on the float32 corners: the difference is rounded to float32, as here.
        let dy = boxes[byY[k]].points[0].y - boxes[byY[k - 1]].points[0].y
        row[k] = row[k - 1] + (dy >= 10 ? 1 : 0)
    }
    let order = byY.indices.sorted { (row[$0], boxes[byY[$0]].points[0].x, $0) < (row[$1], boxes[byY[$1]].points[0].x, $1) }
    return order.map { boxes[byY[$0]] }
}
