import Evaluation
import Foundation
import XCTest

/// `compare --by`: rows per combination of manifest columns, checked on a hand-made manifest whose
/// answers are set by hand, so every expected figure below is worked out in the comments.
final class GroupByTests: XCTestCase {
    /// Five files: truth, temporal answer, rate answer, GCC-PHAT answer, and two columns.
    static let manifest = """
        file,azimuth_deg,condition,head,source_kind
        a.wav,10,anechoic,kemar,speech
        b.wav,-20,anechoic,sphere,speech
        c.wav,30,room,kemar,tonal
        d.wav,40,room,kemar,speech
        e.wav,0,anechoic,kemar,speech
        """
    //                      a     b     c    d    e
    static let temporal: [Double?] = [12, -20, 20, nil, 1]
    static let rate: [Double?] = [10, -26, 30, 46, nil]
    static let reference: [Double?] = [11, -21, 31, 40, 0]

    static func files() throws -> [FileComparison] {
        let m = try Manifest.parse(manifest, path: "m.csv", folder: "/x")
        return m.entries.enumerated().map { i, e in
            FileComparison(
                entry: e, temporalDegrees: temporal[i], rateDegrees: [rate[i]],
                rateMultiplyAccumulates: [100 * (i + 1)],
                rateJoules: [0], referenceDegrees: reference[i])
        }
    }

    func testRowsPerHeadAndSourceKindThenAll() throws {
        let rows = Comparison.summaryRows(
            files: try Self.files(), groupBy: ["head", "source_kind"],
            rateWindowsSeconds: [0.01], withReference: true)
        // Groups in order of first appearance: kemar/speech (a, d, e), sphere/speech (b), kemar/tonal (c).
        XCTAssertEqual(
            rows.map(\.group), [["kemar", "speech"], ["sphere", "speech"], ["kemar", "tonal"], ["all", "all"]])
        XCTAssertEqual(rows.map(\.condition), ["kemar/speech", "sphere/speech", "kemar/tonal", "all"])
        XCTAssertEqual(rows.map(\.temporal.count), [3, 1, 1, 5])
        // kemar/speech, temporal: errors 2 (a), none = 90 (d), 1 (e): MAE 93 / 3 = 31; bias over the
        // answered (2 + 1) / 2 = 1.5; within 5: a and e, 2 of 3.
        let ks = rows[0]
        XCTAssertEqual(ks.temporal.meanAbsoluteErrorDegrees, 31, accuracy: 1e-12)
        XCTAssertEqual(ks.temporal.rmsErrorDegrees, ((4 + 8100 + 1) / 3.0).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(ks.temporal.meanSignedErrorDegrees, 1.5, accuracy: 1e-12)
        XCTAssertEqual(ks.temporal.withinFiveFraction, 2 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(ks.temporal.noAnswer, 1)
        // Rate: errors 0 (a), 6 (d), none = 90 (e): MAE 96 / 3 = 32; within 5: a alone; within 10: a, d.
        XCTAssertEqual(ks.rate.meanAbsoluteErrorDegrees, 32, accuracy: 1e-12)
        XCTAssertEqual(ks.rate.withinFiveFraction, 1 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(ks.rate.withinTenFraction, 2 / 3.0, accuracy: 1e-12)
        // GCC-PHAT: errors 1, 0, 0: MAE 1/3.
        XCTAssertEqual(try XCTUnwrap(ks.reference).meanAbsoluteErrorDegrees, 1 / 3.0, accuracy: 1e-12)
        // The rate path's multiply-accumulates are averaged over the group: (100 + 400 + 500) / 3.
        XCTAssertEqual(ks.rateMultiplyAccumulates, 1000 / 3.0, accuracy: 1e-9)
        // sphere/speech (b): temporal 0, rate -6 (bias -6), GCC-PHAT -1.
        XCTAssertEqual(rows[1].temporal.meanAbsoluteErrorDegrees, 0, accuracy: 1e-12)
        XCTAssertEqual(rows[1].rate.meanSignedErrorDegrees, -6, accuracy: 1e-12)
        // kemar/tonal (c): temporal -10, so within 10 but not 5.
        XCTAssertEqual(rows[2].temporal.meanSignedErrorDegrees, -10, accuracy: 1e-12)
        XCTAssertEqual(rows[2].temporal.withinTenFraction, 1)
        XCTAssertEqual(rows[2].temporal.withinFiveFraction, 0)
        // All five, temporal: 2 + 0 + 10 + 90 + 1 = 103, MAE 20.6.
        XCTAssertEqual(rows[3].temporal.meanAbsoluteErrorDegrees, 20.6, accuracy: 1e-12)
        XCTAssertEqual(rows[3].temporal.noAnswer, 1)
    }

    /// Grouping by condition (the default) gives what compare always gave: one row per condition.
    func testDefaultGroupingIsTheCondition() throws {
        let rows = Comparison.summaryRows(
            files: try Self.files(), groupBy: ["condition"], rateWindowsSeconds: [0.01],
            withReference: false)
        XCTAssertEqual(rows.map(\.condition), ["anechoic", "room", "all"])
        XCTAssertEqual(rows.map(\.temporal.count), [3, 2, 5])
        // anechoic (a, b, e): errors 2, 0, 1 -> MAE 1; room (c, d): 10 and none -> (10 + 90) / 2 = 50.
        XCTAssertEqual(rows[0].temporal.meanAbsoluteErrorDegrees, 1, accuracy: 1e-12)
        XCTAssertEqual(rows[1].temporal.meanAbsoluteErrorDegrees, 50, accuracy: 1e-12)
        XCTAssertNil(rows[0].reference)
    }

    /// A file that could not be read is in no group.
    func testFailedFilesAreLeftOut() throws {
        var files = try Self.files()
        files[1].error = "b.wav: cannot read"
        let rows = Comparison.summaryRows(
            files: files, groupBy: ["head"], rateWindowsSeconds: [0.01], withReference: false)
        XCTAssertEqual(rows.map(\.condition), ["kemar", "all"])
        XCTAssertEqual(rows.map(\.temporal.count), [4, 4])
    }
}
