import XCTest
@testable import Swiftlet

/// The embedder's cut points: every text in exactly one run, limits held, and padding
/// avoided where a run costs less than it.
final class BatchPlanTests: XCTestCase {
    private func check(_ plan: BatchPlan, _ lengths: [Int], file: StaticString = #filePath, line: UInt = #line) -> [Range<Int>] {
        let runs = plan.split(lengths)
        XCTAssertEqual(runs.first?.lowerBound ?? 0, 0, file: file, line: line)
        XCTAssertEqual(runs.last?.upperBound ?? 0, lengths.count, file: file, line: line)
        for (a, b) in zip(runs, runs.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound, file: file, line: line) }
        for r in runs {
            XCTAssertFalse(r.isEmpty, file: file, line: line)
            XCTAssertLessThanOrEqual(r.count, plan.maxTexts, file: file, line: line)
            if r.count > 1 { XCTAssertLessThanOrEqual(r.count * lengths[r.lowerBound], plan.maxTokens, file: file, line: line) }
        }
        return runs
    }

    func testEmptyAndSingle() {
        let plan = BatchPlan(maxTexts: 32, maxTokens: 4096, runCost: 16)
        XCTAssertEqual(plan.split([]), [])
        XCTAssertEqual(check(plan, [7]), [0..<1])
        // Longer than the token budget: still runs, alone.
        XCTAssertEqual(check(plan, [9000, 10]), [0..<1, 1..<2])
    }

    func testEqualLengthsFillRunsUpToTheTextCap() {
        let plan = BatchPlan(maxTexts: 32, maxTokens: 4096, runCost: 16)
        let runs = check(plan, Array(repeating: 40, count: 70))
        XCTAssertEqual(runs.count, 3)  // no padding to save: as few runs as the cap allows
    }

    func testTokenBudgetCapsLongTexts() {
        let plan = BatchPlan(maxTexts: 32, maxTokens: 1024, runCost: 16)
        let runs = check(plan, Array(repeating: 256, count: 9))
        XCTAssertEqual(runs.map(\.count), [4, 4, 1])
    }

    func testOneLongTextDoesNotPadTheShortOnes() {
        // Greedy cutting at 32 texts would pad 31 texts of 10 tokens to 200 (6,400 tokens);
        // the plan runs the long text alone (200 + 310 tokens + two run costs).
        let plan = BatchPlan(maxTexts: 32, maxTokens: 8192, runCost: 16)
        let runs = check(plan, [200] + Array(repeating: 10, count: 31))
        XCTAssertEqual(runs, [0..<1, 1..<32])
    }

    func testSmallDifferencesShareARun() {
        // Splitting 100 | 99 would save 1 padded token and cost a run: one run.
        let plan = BatchPlan(maxTexts: 32, maxTokens: 8192, runCost: 16)
        XCTAssertEqual(check(plan, [100, 99]), [0..<2])
    }

    func testCostIsMinimalOnAMixedList() {
        // Exhaustive check against every way of cutting a short list.
        let plan = BatchPlan(maxTexts: 4, maxTokens: 300, runCost: 16)
        let lengths = [120, 90, 88, 60, 31, 30, 29, 12, 5]
        func cost(_ runs: [Range<Int>]) -> Int { runs.reduce(0) { $0 + plan.runCost + $1.count * lengths[$1.lowerBound] } }
        var best = Int.max
        for mask in 0..<(1 << (lengths.count - 1)) {
            var runs: [Range<Int>] = [], start = 0
            for i in 1...lengths.count where i == lengths.count || mask & (1 << (i - 1)) != 0 {
                runs.append(start..<i); start = i
            }
            if runs.allSatisfy({ $0.count <= 4 && ($0.count == 1 || $0.count * lengths[$0.lowerBound] <= 300) }) {
                best = min(best, cost(runs))
            }
        }
        XCTAssertEqual(cost(check(plan, lengths)), best)
    }
}
