import DSP
import XCTest

final class SeededGeneratorTests: XCTestCase {
    func testSameSeedSameSequenceAndDifferentSeedsDiffer() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        let sb = (0..<100).map { _ in b.next() }
        let sc = (0..<100).map { _ in c.next() }
        XCTAssertEqual(sa, sb)
        XCTAssertNotEqual(sa, sc)
    }

    func testExponentialHasUnitMeanAndVariance() {
        var g = SeededGenerator(seed: 7)
        let n = 200_000
        let xs = (0..<n).map { _ in g.nextExponential() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // Standard error of the mean of Exp(1) is 1/sqrt(n) = 0.0022; 5 standard errors is 0.011.
        XCTAssertEqual(mean, 1, accuracy: 0.011)
        // The sample variance of Exp(1) has standard error sqrt(8/n) = 0.0063; allow 5 of them.
        XCTAssertEqual(variance, 1, accuracy: 0.032)
        XCTAssertTrue(xs.allSatisfy { $0.isFinite && $0 > 0 })
    }
}
