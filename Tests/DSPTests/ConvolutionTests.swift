import DSP
import XCTest

final class ConvolutionTests: XCTestCase {
    /// (1 + 2z + 3z^2)(z + 0.5z^2) = z + 2.5z^2 + 4z^3 + 1.5z^4, worked by hand; all values are
    /// exact in binary floating point, so they must match exactly.
    func testConvolutionIsPolynomialMultiplication() {
        XCTAssertEqual(convolve([1, 2, 3], [0, 1, 0.5]), [0, 1, 2.5, 4, 1.5])
        XCTAssertEqual(convolve([1, 2, 3], []), [])
        XCTAssertEqual(convolve([0.25, -1], [1]), [0.25, -1])
    }

    func testRootMeanSquare() {
        // sqrt((9 + 16) / 2) = sqrt(12.5): the sum and mean are exact, the square root rounded
        // once (4e-16 here), well inside 1e-12.
        XCTAssertEqual(rootMeanSquare([3, -4]), 12.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(rootMeanSquare([]), 0)
    }
}
