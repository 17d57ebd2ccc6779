import Reports
import XCTest

final class PlotInputsTests: XCTestCase {
    func testQuotedFieldsFollowRFC4180() {
        XCTAssertEqual(PlotInputs.fields("a,\"b,c\",\"say \"\"hi\"\"\",,d"), ["a", "b,c", "say \"hi\"", "", "d"])
    }

    /// Joins on the file name without its folder; an empty estimate stays missing; errors are
    /// |estimate - truth| averaged by hand: temporal (1 + 2) / 2, rate (10) / 1.
    func testEstimatesJoinTheManifestAndAverageErrors() throws {
        let manifest = "file,azimuth_deg,condition\na.wav,30,pure\nb.wav,-60,pure\n"
        let results = """
            file,temporal_azimuth_deg,rate_azimuth_deg,status
            /tmp/x/a.wav,31,20,ok
            "/tmp/x/b,2.wav",0,0,ok
            samples/b.wav,-62,,ok
            """
        let truth = try PlotInputs.truth(manifest: manifest, name: "m.csv")
        let points = try PlotInputs.estimates(localizeCSV: results, name: "r.csv", truth: truth)
        XCTAssertEqual(points.count, 2)
        XCTAssertEqual(points[1].rateDegrees, nil)
        let mae = PlotInputs.meanAbsoluteErrors(points)
        XCTAssertEqual(mae.temporal ?? -1, 1.5, accuracy: 1e-12)
        XCTAssertEqual(mae.rate ?? -1, 10, accuracy: 1e-12)
    }

    func testMissingColumnIsNamed() {
        XCTAssertThrowsError(try PlotInputs.truth(manifest: "file,angle\na.wav,3\n", name: "m.csv")) { e in
            XCTAssertEqual("\(e)", "m.csv: no column 'azimuth_deg' in the header")
        }
    }
}
