import Evaluation
import Reports
import XCTest

final class PlotInputsTests: XCTestCase {
    func manifest(_ text: String) throws -> Manifest { try Manifest.parse(text, path: "m.csv", folder: "") }

    /// Joins on the file name without its folder. Errors are compare's (`ErrorSummary`): on the
    /// lateral angle, so the source at 150 (behind) answered at 31 is 1 degree off; a missing answer
    /// costs 90; a file that could not be read is left out. By hand: temporal (1 + 2 + 90) / 3 = 31,
    /// rate (10 + 90 + 0) / 3 = 33.33...
    func testEstimatesJoinTheManifestAndAreScoredAsCompareScoresThem() throws {
        let truth = try PlotInputs.truth(
            manifest("file,azimuth_deg,condition\na.wav,150,pure\nb.wav,-60,pure\nc.wav,0,pure\nd.wav,5,pure\n"))
        let results = """
            file,temporal_azimuth_deg,rate_azimuth_deg,status
            /tmp/x/a.wav,31,20,ok
            "/tmp/x/b,2.wav",0,0,ok
            samples/b.wav,-62,,ok
            c.wav,,0,no direction
            d.wav,,,error: d.wav: no such file
            unlisted.wav,1,1,ok
            """
        let points = try PlotInputs.estimates(localizeCSV: results, name: "r.csv", truth: truth)
        XCTAssertEqual(points.map(\.trueAzimuthDegrees), [150, -60, 0])
        let errors = PlotInputs.errors(points)
        // Means of three whole or hand-checked errors: rounding only, below 1e-13 degrees.
        XCTAssertEqual(errors.temporal.meanAbsoluteErrorDegrees, 31, accuracy: 1e-12)
        XCTAssertEqual(errors.rate.meanAbsoluteErrorDegrees, 100.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(errors.temporal.noAnswer, 1)
    }

    /// GCC-PHAT's answers are read when it ran (its cost column filled, even where it found no
    /// answer), and scored as compare scores them: by hand (5 + 90) / 2 = 47.5. Output where it did
    /// not run, or from before its columns existed, says so.
    func testGCCPHATIsReadWhenItRan() throws {
        let truth = try PlotInputs.truth(manifest("file,azimuth_deg\na.wav,30\nb.wav,-60\n"))
        let header = "file,temporal_azimuth_deg,rate_azimuth_deg,status,gccphat_azimuth_deg,gccphat_macs"
        let ran = try PlotInputs.estimateTable(
            localizeCSV: "\(header)\na.wav,31,20,ok,35,1000\nb.wav,-60,-50,ok,,1000\n", name: "r.csv", truth: truth)
        XCTAssertTrue(ran.referenceRan)
        let errors = PlotInputs.errors(ran.points)
        // A mean of two whole errors: rounding only, below 1e-13 degrees.
        XCTAssertEqual(errors.reference.meanAbsoluteErrorDegrees, 47.5, accuracy: 1e-12)
        XCTAssertEqual(errors.reference.noAnswer, 1)
        let notRun = try PlotInputs.estimateTable(
            localizeCSV: "\(header)\na.wav,31,20,ok,,\n", name: "r.csv", truth: truth)
        XCTAssertFalse(notRun.referenceRan)
        let older = try PlotInputs.estimateTable(
            localizeCSV: "file,temporal_azimuth_deg,rate_azimuth_deg,status\na.wav,31,20,ok\n", name: "r.csv",
            truth: truth)
        XCTAssertFalse(older.referenceRan)
    }

    /// A quoted file name holding a line break is one row, and the row after it is kept.
    func testLineBreakInAQuotedFileNameKeepsEveryRow() throws {
        let truth = try PlotInputs.truth(manifest("file,azimuth_deg\n\"two\nlines.wav\",10\nb.wav,20\n"))
        XCTAssertEqual(truth, ["two\nlines.wav": 10, "b.wav": 20])
        let results = "file,temporal_azimuth_deg,rate_azimuth_deg,status\n\"two\nlines.wav\",11,9,ok\nb.wav,20,20,ok\n"
        let points = try PlotInputs.estimates(localizeCSV: results, name: "r.csv", truth: truth)
        XCTAssertEqual(points.map(\.temporalDegrees), [11, 20])
    }

    /// A byte-order mark (as spreadsheets write it) does not hide the first column's name.
    func testByteOrderMarkIsAccepted() throws {
        let truth = try PlotInputs.truth(manifest("\u{FEFF}file,azimuth_deg\r\na.wav,10\r\n"))
        let results = "\u{FEFF}file,temporal_azimuth_deg,rate_azimuth_deg,status\r\na.wav,12,,ok\r\n"
        let points = try PlotInputs.estimates(localizeCSV: results, name: "r.csv", truth: truth)
        XCTAssertEqual(points.count, 1)
        XCTAssertEqual(points[0].temporalDegrees, 12)
    }

    /// NaN is refused in the truth (as compare refuses it) and in an estimate, each in one line
    /// naming the file and the line.
    func testNaNIsRefusedWithTheFileAndLine() throws {
        XCTAssertThrowsError(try PlotInputs.truth(manifest("file,azimuth_deg\na.wav,10\nb.wav,nan\n"))) { e in
            XCTAssertEqual("\(e)", "m.csv:3: azimuth_deg 'nan' is not a number of degrees in -360...360")
        }
        let truth = ["a.wav": 10.0]
        let results = "file,temporal_azimuth_deg,rate_azimuth_deg,status\na.wav,nan,3,ok\n"
        XCTAssertThrowsError(try PlotInputs.estimates(localizeCSV: results, name: "r.csv", truth: truth)) { e in
            XCTAssertEqual("\(e)", "r.csv:2: temporal_azimuth_deg 'nan' is not a number of degrees")
        }
    }

    func testMissingColumnAndShortRowAreNamed() {
        XCTAssertThrowsError(try PlotInputs.table("file,angle\na.wav,3\n", name: "r.csv", required: ["azimuth"])) {
            XCTAssertEqual("\($0)", "r.csv: no column 'azimuth' in the header")
        }
        XCTAssertThrowsError(try PlotInputs.table("file,angle\na.wav\n", name: "r.csv", required: ["file"])) {
            XCTAssertEqual("\($0)", "r.csv:2: has 1 fields, the header has 2")
        }
    }
}
