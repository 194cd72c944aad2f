import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// ConvTranspose → Add(bias) → BatchNormalization folding on the real DBNet head.
final class ConvTransposeFusionTests: XCTestCase {
    func testAppliesToPPOCRv5Det() throws {
        let g = Fusions.apply(try GraphIR(model: ModelFile(path: try TestPaths.model("ppocrv5-det"))))
        let producers = Dictionary(g.nodes.flatMap { n in n.outputs.map { ($0, n.op) } }, uniquingKeysWith: { a, _ in a })
        // Both head ConvTransposes lose their bias Add; the first also its BatchNormalization.
        XCTAssertEqual(g.nodes.filter { $0.op == "ConvTranspose" }.count, 2)
        let left = g.nodes.filter { n in ["Add", "BatchNormalization"].contains(n.op) && n.inputs.contains { producers[$0] == "ConvTranspose" } }
        XCTAssertEqual(left.map(\.name), [], "ConvTranspose outputs still read by Add/BatchNormalization")
        XCTAssertEqual(g.nodes.filter { $0.op == "BatchNormalization" }.count, 0)
    }
}
