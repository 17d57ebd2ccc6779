import Cochlea
import Foundation
import Reports
import XCTest

final class PlotAxisTests: XCTestCase {
    func testLinearTicksAreRoundNumbers() {
        assertElementsEqual(
            PlotAxis.linearTicks(lower: 0, upper: 1).map(\.value), [0, 0.2, 0.4, 0.6, 0.8, 1].map { $0 },
            accuracy: 1e-12)  // multiples of 0.2, which binary cannot hold exactly: rounding only
        // 1890 / 6 = 315: the first candidate step at least that large is 500; 250 is too small.
        XCTAssertEqual(PlotAxis.linearTicks(lower: -945, upper: 945).map(\.label), ["\u{2212}500", "0", "500"])
        // 1.1 / 6 = 0.18: step 0.2 is at least that; labels need one decimal.
        XCTAssertEqual(
            PlotAxis.linearTicks(lower: -0.05, upper: 1.05).map(\.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        // 14 / 6 = 2.33: step 2.5, labels with one decimal.
        XCTAssertEqual(
            PlotAxis.linearTicks(lower: 0, upper: 14).map(\.label), ["0.0", "2.5", "5.0", "7.5", "10.0", "12.5"])
    }

    func testLogTicks() {
        XCTAssertEqual(
            PlotAxis.logTicks(lower: 0.04, upper: 120).map(\.label),
            ["0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "50", "100"])
    }

    /// On the ERB-rate axis a frequency sits where its ERB number (Glasberg & Moore 1990,
    /// 21.4 log10(4.37 f / 1000 + 1)) puts it.
    func testERBAxisPlacesFrequenciesByERBNumber() {
        let axis = PlotAxis(label: "f", lower: 100, upper: 8000, scale: .erbRate)
        let e = { (f: Double) in 21.4 * log10(4.37 * f / 1000 + 1) }
        // The same formula (Glasberg & Moore's ERB number) as the axis's: rounding only.
        XCTAssertEqual(axis.fraction(1000), (e(1000) - e(100)) / (e(8000) - e(100)), accuracy: 1e-12)
        XCTAssertEqual(
            PlotAxis.frequencyTicks(lowerHz: 100, upperHz: 8000).map(\.label),
            ["100", "200", "500", "1k", "2k", "4k", "8k"])
    }

    func testSequentialColoursRunDarkToLight() {
        XCTAssertEqual(PlotColour.sequential(0), "#440154")
        XCTAssertEqual(PlotColour.sequential(1), "#fde725")
        XCTAssertEqual(PlotColour.sequential(.nan), "#440154")
    }
}

private func assertElementsEqual(
    _ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
