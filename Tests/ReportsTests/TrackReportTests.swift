import Decoding
import Pipeline
import Reports
import XCTest

final class TrackReportTests: XCTestCase {
    func point(_ azimuth: Double?, start: Double = 1.25, weight: Double = 12.34) -> TrackPoint {
        TrackPoint(
            startSeconds: start, durationSeconds: 0.05,
            estimate: azimuth.map { DirectionEstimate(azimuthDegrees: $0, itdSeconds: $0 * 1e-5, confidence: 0.5) },
            detectorSpikes: 7, weight: weight)
    }

    /// The marker's position along the dial: with 20 marks a side each is 4.5 degrees, so 45
    /// degrees right is 10 marks right of the centre, -90 the left end; beyond 90 stays at the end.
    func testDialMarksTheDirection() {
        func dial(_ azimuth: Double?) -> (marks: String, rest: String) {
            let d = TrackReport.dial(point(azimuth), halfWidth: 20)
            let open = d.firstIndex(of: "[")!
            let close = d.firstIndex(of: "]")!
            return (String(d[d.index(after: open)..<close]), String(d[close...]))
        }
        for (azimuth, position) in [(45.0, 30), (-90, 0), (0, 20), (2.2, 20), (2.3, 21), (120, 40)] {
            let marks = Array(dial(azimuth).marks)
            XCTAssertEqual(marks.count, 41)
            XCTAssertEqual(marks.firstIndex(of: "o"), position, "\(azimuth)")
            XCTAssertEqual(marks.filter { $0 == "o" }.count, 1)
        }
        XCTAssert(dial(45).rest.contains("+45.0 deg  confidence 0.50"), dial(45).rest)
        XCTAssertFalse(dial(nil).marks.contains("o"))
        XCTAssert(dial(nil).rest.contains("no direction"))
        XCTAssert(TrackReport.dial(point(10)).hasSuffix("1.250 s"))
        let leftOut = TrackReport.dial(point(45, weight: 0))
        let marks = leftOut[leftOut.firstIndex(of: "[")!...leftOut.firstIndex(of: "]")!]
        XCTAssertFalse(marks.contains("o"), leftOut)
        XCTAssertEqual(Array(marks).firstIndex(of: "x"), 31, "the marker at 45 degrees, after the bracket")
    }

    func testRowsCarryTheFrame() {
        XCTAssertEqual(
            TrackReport.csvLine(path: "a,b.wav", point(-30.25)), "\"a,b.wav\",1.250,-30.25,-302.5,0.500,12.34,ok")
        XCTAssertEqual(TrackReport.csvLine(path: "-", point(nil, weight: 0)), "-,1.250,,,,0.00,no direction")
        XCTAssertEqual(
            TrackReport.csvLine(path: "-", point(nil)).split(separator: ",", omittingEmptySubsequences: false).count,
            TrackReport.csvColumns.count)
        let o = TrackReport.jsonObject(path: "-", point(nil))
        XCTAssert(o["temporal_azimuth_deg"] is NSNull)
        XCTAssertEqual(o["detector_spikes"] as? Int, 7)
        XCTAssertEqual(o["frame_weight"] as? Double, 12.34)
        XCTAssertEqual(
            TrackReport.textLine(point(-30.25)), "     1.250 s  30.3 degrees left  [confidence 0.50, weight 12.3]")
        XCTAssertEqual(
            TrackReport.textLine(point(-30.25, weight: 0)),
            "     1.250 s  30.3 degrees left  [confidence 0.50, left out]")
        XCTAssertEqual(TrackReport.textLine(point(nil, weight: 0)), "     1.250 s  no direction  [left out]")
    }
}
