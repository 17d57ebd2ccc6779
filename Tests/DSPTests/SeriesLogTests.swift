import DSP
import Foundation
import XCTest

final class SeriesLogTests: XCTestCase {
    /// Against libm's log over twelve decades and both sides of every power of two; the
    /// tolerance is the bound the code states (truncation of the series < 1.8e-11, plus rounding).
    func testAgreesWithLibmWithinStatedBound() {
        var worst = 0.0
        var x = 1e-6
        while x < 1e6 {
            for y in [x, x.nextUp, x.nextDown, 2 * x] {
                worst = max(worst, abs(seriesLog(y) - Foundation.log(y)))
            }
            x *= 1.0007
        }
        for k in -40...40 {
            let p = Foundation.pow(2.0, Double(k))
            for y in [p, p.nextUp, p.nextDown, p * 1.4142135623730951, p * 1.4142135623730951.nextUp] {
                worst = max(worst, abs(seriesLog(y) - Foundation.log(y)))
            }
        }
        XCTAssertLessThanOrEqual(worst, seriesLogErrorBound)
        // The bound is not loose by orders of magnitude: the error near sqrt 2 approaches it.
        XCTAssertGreaterThan(worst, seriesLogErrorBound / 10)
    }

    /// Values one can check by hand: ln 1 = 0 exactly, ln 2^k = k ln 2.
    func testExactPoints() {
        XCTAssertEqual(seriesLog(1), 0)
        XCTAssertEqual(
            seriesLog(1024), 10 * 0.6931471805599453, accuracy: 1e-15 * 10,
            "m = 1 gives z = 0: only the rounding of 10 ln 2 remains")
    }
}
