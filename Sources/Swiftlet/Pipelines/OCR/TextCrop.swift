/// RapidOCR's get_rotate_crop_image: the text quad straightened into an upright rectangle
/// as wide as its longer horizontal edge and as tall as its longer vertical edge (float32
/// lengths, truncated); crops at least 1.5× taller than wide are turned 90°
/// counter-clockwise (np.rot90) so vertical text reads left to right.
func cropTextBox(_ img: RGBImage, _ box: [OCRPoint]) throws -> RGBImage {
    func len(_ a: OCRPoint, _ b: OCRPoint) -> Float {
        let dx = a.x - b.x, dy = a.y - b.y
        return (dx * dx + dy * dy).squareRoot()
    }
    let w = Int(max(len(box[0], box[1]), len(box[2], box[3])))
    let h = Int(max(len(box[0], box[3]), len(box[1], box[2])))
    guard w > 0, h > 0 else { throw SwiftletError.invalidInput("text box \(box) is degenerate (\(w)x\(h))") }
    let src = box.map { (Double($0.x), Double($0.y)) }
    let dst: [(Double, Double)] = [(0, 0), (Double(w), 0), (Double(w), Double(h)), (0, Double(h))]
    let crop = try img.warpedPerspectiveCubic(try perspectiveTransform(from: src, to: dst), width: w, height: h)
    return Double(crop.height) / Double(crop.width) >= 1.5 ? crop.rotated90CounterClockwise() : crop
}
