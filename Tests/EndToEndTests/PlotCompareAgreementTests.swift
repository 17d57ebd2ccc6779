import Foundation
import XCTest

/// `plot estimates`/`plot errors` and `compare` score one set of files alike: one manifest reader,
/// one error metric (lateral angle, 90 degrees for no answer, unreadable files left out).
final class PlotCompareAgreementTests: XCTestCase {
    let small = ["--cochlear-channels", "8", "--delays", "21"]

    func testPlotErrorsAndCompareGiveTheSameFigures() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-agree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = CommandTests.repository.appendingPathComponent("audio-samples").path
        try BadInputTests.wavData([[Float](repeating: 0, count: 22050), [Float](repeating: 0, count: 22050)])
            .write(to: dir.appendingPathComponent("silent.wav"))
        // The KEMAR file at 45 degrees is labelled 135, its mirror behind the head: only an error on
        // the lateral angle scores it as right. The silent file gets no answer (charged 90 degrees).
        // A file that cannot be read is left out by both; PlotInputsTests checks that without a run.
        let manifest = dir.appendingPathComponent("manifest.csv").path
        try """
        file,azimuth_deg
        \(samples)/pure-itd_noise_az45.wav,45
        \(samples)/kemar-anechoic_noise_az45.wav,135
        \(samples)/kemar-0db_noise_az-30.wav,-30
        silent.wav,20

        """.write(toFile: manifest, atomically: true, encoding: .utf8)
        let files = [
            "\(samples)/pure-itd_noise_az45.wav", "\(samples)/kemar-anechoic_noise_az45.wav",
            "\(samples)/kemar-0db_noise_az-30.wav", dir.appendingPathComponent("silent.wav").path,
        ]

        let compare = try CommandTests.run(
            ["compare", manifest, "--format", "csv", "--reference", "gcc-phat", "--jobs", "1"] + small)
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let table = compare.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let all = try XCTUnwrap(table.last)
        let row = Dictionary(uniqueKeysWithValues: zip(table[0], all))
        XCTAssertEqual(row["condition"], "all")
        XCTAssertEqual(row["files"], "4")
        XCTAssertEqual(row["temporal_no_answer"], "2", "the silent file and the 0 dB one with 8 channels")

        let localize = try CommandTests.run(
            ["localize", "--format", "csv", "--reference", "gcc-phat", "--jobs", "1"] + files + small)
        XCTAssertEqual(localize.status, 0, localize.stderr)
        let results = dir.appendingPathComponent("results.csv").path
        try localize.stdout.write(toFile: results, atomically: true, encoding: .utf8)
        let svg = dir.appendingPathComponent("errors.svg").path
        let plot = try CommandTests.run(["plot", "errors", "1=\(results)", "--manifest", manifest, "-o", svg])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let lines = plot.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(lines.first, ["x", "temporal_mae_deg", "rate_mae_deg", "gccphat_mae_deg"])
        let plotted = try XCTUnwrap(lines.last)
        // localize writes each azimuth to 0.01 degree (0.005 off at most), so the mean it feeds plot
        // is within 0.005 of compare's; both print to 0.01, which adds up to 0.01 more.
        for (column, value) in [
            ("temporal_mae_deg", plotted[1]), ("rate_mae_deg", plotted[2]), ("gccphat_mae_deg", plotted[3]),
        ] {
            let c = try XCTUnwrap(Double(row[column] ?? ""), column)
            let p = try XCTUnwrap(Double(value), column)
            XCTAssertEqual(p, c, accuracy: 0.0151, column)
        }
        // The no-answer charge alone is 90 / 4 = 22.5 degrees, which a mean over answered files drops.
        XCTAssertGreaterThan(try XCTUnwrap(Double(plotted[1])), 22.5)
        // With the reference in every input, its line is drawn.
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).contains("data-name=\"GCC-PHAT (no spikes)\""))
    }
}
