import Foundation
import GoldenFiles
import Reports
import XCTest

/// Golden-file tests of the SVG writer and the chart layout: a tiny fixed input must give exactly
/// the bytes stored in `Golden/`. After an intended change of the drawing code, look at the new
/// picture, then rewrite the golden files with
///     SOUNDLOC_RECORD_GOLDEN=1 swift test -c release --filter SVGGoldenTests
/// which fails (a recording run compares nothing); run it again without the variable to check.
final class SVGGoldenTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ svg: String, against name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        if let failure = try GoldenFile.check(svg, against: Self.golden.appendingPathComponent(name)) {
            XCTFail(failure, file: file, line: line)
        }
    }

    /// Every primitive of the writer once, including escaping and number rounding.
    func testPrimitives() throws {
        var svg = SVGWriter(width: 120, height: 80)
        svg.beginGroup(className: "marks")
        svg.rect(x: 10, y: 10.04, width: 20.06, height: 5, fill: "#ff0000", className: "cell", title: "a < b & c")
        svg.line(x1: 0, y1: -0.04, x2: 100, y2: 50.25, stroke: "#000000", width: 1.5, dash: "4 2")
        svg.polyline([(0, 0), (10, 5.55), (20, -3)], stroke: "#0000ff")
        svg.circle(cx: 60, cy: 40, r: 3, fill: "#00ff00")
        svg.endGroup()
        svg.text("\"quoted\" 'text' > 1 µs", x: 60, y: 70, size: 12, anchor: .middle, rotation: -90)
        try check(svg.render(), against: "primitives.svg")
    }

    /// A whole chart (axes, ticks, legend, two series with a gap) on four fixed points.
    func testErrorChart() throws {
        let svg = ErrorPlot.svg(
            [
                .init(name: "temporal", points: [(0, 1.5), (10, 1), (20, 0.5)]),
                .init(name: "rate", points: [(0, 30), (20, 12)]),
            ],
            xLabel: "SNR (dB)", title: "golden")
        try check(svg, against: "error-chart.svg")
    }
}
