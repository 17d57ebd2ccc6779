import Evaluation
import XCTest

final class MetricsTests: XCTestCase {
    func testLateralAngleFoldsBackToFront() {
        // asin(sin x): 180 (behind) -> 0, -150 -> -30, 100 -> 80; exact up to rounding.
        XCTAssertEqual(lateralDegrees(180), 0, accuracy: 1e-9)
        XCTAssertEqual(lateralDegrees(-150), -30, accuracy: 1e-9)
        XCTAssertEqual(lateralDegrees(100), 80, accuracy: 1e-9)
        XCTAssertEqual(lateralDegrees(-90), -90, accuracy: 1e-9)
        XCTAssertEqual(lateralDegrees(37), 37, accuracy: 1e-9)
    }

    /// Errors +2, +10, no answer, -5 (170 degrees behind is 10 degrees lateral; the answer 5 is
    /// 5 short). By hand: MAE (2 + 10 + 90 + 5) / 4 = 26.75; RMS sqrt((4 + 100 + 8100 + 25) / 4);
    /// within 5: 2 of 4; within 10: 3 of 4; bias over the answered (2 + 10 - 5) / 3.
    func testSummaryOnHandComputedErrors() {
        let s = ErrorSummary([(10, 12), (-30, -20), (0, nil), (170, 5)])
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.noAnswer, 1)
        // 1e-9: only floating-point rounding separates these from the hand values.
        XCTAssertEqual(s.meanAbsoluteErrorDegrees, 26.75, accuracy: 1e-9)
        XCTAssertEqual(s.rmsErrorDegrees, (8229.0 / 4).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(s.withinFiveFraction, 0.5)
        XCTAssertEqual(s.withinTenFraction, 0.75)
        XCTAssertEqual(s.meanSignedErrorDegrees, 7.0 / 3, accuracy: 1e-9)
    }

    func testNothingAnsweredIsAllNinetyDegreeErrors() {
        let s = ErrorSummary([(30, nil), (-60, nil)])
        XCTAssertEqual(s.meanAbsoluteErrorDegrees, ErrorSummary.noAnswerErrorDegrees)
        XCTAssertEqual(s.withinTenFraction, 0)
        XCTAssertEqual(s.meanSignedErrorDegrees, 0)
    }
}
