import XCTest

/// Fails unless `body` throws an error whose description mentions `needle`: error paths
/// must say what is wrong, not just fail.
package func expectError(_ body: () throws -> Void, contains needle: String, file: StaticString = #filePath, line: UInt = #line) {
    do {
        try body()
        XCTFail("expected an error containing '\(needle)'", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(needle), "error '\(error)' does not mention '\(needle)'", file: file, line: line)
    }
}
