import Decoding
import Evaluation
import Foundation
import Pipeline
import RateCoding
import XCTest

/// Issue 16: one rate answer. `localize` and `compare` read the rate code with the same shipped
/// trained read-out, so for the same file and seed they print the same rate azimuth.
final class RateAnswerTests: XCTestCase {
    func testLocalizeAndCompareGiveTheSameRateAnswer() throws {
        let samples = CompareCommandTests.repository.appendingPathComponent("audio-samples").path
        let files = ["kemar-anechoic_noise_az-60.wav", "kemar-anechoic_harmonic_az30.wav"]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rate-answer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = "file,azimuth_deg\n" + zip(files, [-60, 30]).map { "\(samples)/\($0),\($1)\n" }.joined()
        try manifest.write(to: dir.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)

        let seed = ["--seed", "7"]
        let compare = try CompareCommandTests.run(["compare", dir.path, "--format", "json", "--jobs", "2"] + seed)
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(document["rows"] as? [[String: Any]])
        XCTAssertEqual(
            rows.first?["rate_readout"] as? String, "trained", "compare reads the shipped read-out without calibrating")
        XCTAssertTrue((document["rate_calibrations"] as? [Any])?.isEmpty ?? false)
        let perFile = try XCTUnwrap(document["files"] as? [[String: Any]])
        let fromCompare = perFile.map { ($0["rate_azimuth_deg"] as? [Any])?.first as? Double }

        let localize = try CompareCommandTests.run(
            ["localize", "--format", "csv"] + files.map { "\(samples)/\($0)" } + seed)
        XCTAssertEqual(localize.status, 0, localize.stderr)
        let fromLocalize = CompareCommandTests.csv(localize.stdout).map { Double($0["rate_azimuth_deg"]!) }
        XCTAssertEqual(fromLocalize.count, 2)
        for (l, c) in zip(fromLocalize, fromCompare) {
            let l = try XCTUnwrap(l)
            let c = try XCTUnwrap(c)
            // localize prints two decimals; compare's JSON carries the full value.
            XCTAssertEqual(l, c, accuracy: 0.005 + 1e-9)
        }
        // The uncalibrated lag read-out stays available by name and is another answer.
        let lag = try CompareCommandTests.run(
            ["localize", "--format", "csv", "--rate-readout", "lag", "\(samples)/\(files[0])"] + seed)
        XCTAssertEqual(lag.status, 0, lag.stderr)
        XCTAssertNotNil(Double(CompareCommandTests.csv(lag.stdout)[0]["rate_azimuth_deg"]!))
    }

    /// The shipped read-out fits the default model's frames (it is re-made by `make rate-model`
    /// whenever they change), and its cost per frame is what its weights say.
    func testShippedReadOutFitsTheDefaultModel() {
        let configuration = LocalizerConfiguration()
        let layout = RateTraining.layout(
            windowSeconds: configuration.rateWindowSeconds, configuration: configuration,
            sampleRateHz: 44100)
        let model = RateClassifier.kemar
        XCTAssertTrue(model.layout.fits(layout))
        XCTAssertTrue(model.fitsItsLayout)
        XCTAssertEqual(model.classCount, 37)
        XCTAssertEqual(
            model.multiplyAccumulatesPerFrame,
            model.hiddenWeights.count + model.weights.count + 3 * model.classCount + 1)
    }
}
