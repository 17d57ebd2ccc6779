import Decoding
import Evaluation
import Foundation
import RateCoding
import XCTest

final class RateModelFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rate-model-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func model(fibreGroups: Int) -> RateClassifier {
        // 2 rate channels, 1 lag a side: 2 x 2 + 3 = 7 features, logistic regression over 2 classes.
        let layout = RateFrameLayout(
            windowSeconds: 0.01, binsPerFrame: 1, channelCount: 2, maxLagBins: 1, gateSpikes: 11.6,
            fibreGroups: fibreGroups, lowerGateSpikes: fibreGroups == 2 ? 2.22 : 0)
        return RateClassifier(
            layout: layout, azimuthsDegrees: [-45, 45], weights: (0..<16).map { Double($0) / 8 }, source: "test")
    }

    /// A read-out trained on fibre groups keeps them through its file, and only fits frames counted
    /// the same way.
    func testFibreGroupsSurviveTheFile() throws {
        let path = dir.appendingPathComponent("m.json").path
        try RateModelFile.save(model(fibreGroups: 2), path: path)
        let loaded = try RateModelFile.load(path: path)
        XCTAssertEqual(loaded, model(fibreGroups: 2))
        XCTAssertFalse(loaded.layout.fits(model(fibreGroups: 1).layout))
    }

    /// Files written before fibre groups existed have neither key: they counted every fibre together.
    func testOlderFilesCountEveryFibreTogether() throws {
        let path = dir.appendingPathComponent("old.json").path
        try RateModelFile.save(model(fibreGroups: 1), path: path)
        var json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var layout = try XCTUnwrap(json["layout"] as? [String: Any])
        XCTAssertNotNil(layout.removeValue(forKey: "fibreGroups"))
        XCTAssertNotNil(layout.removeValue(forKey: "lowerGateSpikes"))
        json["layout"] = layout
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        let loaded = try RateModelFile.load(path: path)
        XCTAssertEqual(loaded.layout.fibreGroups, 1)
        XCTAssertEqual(loaded, model(fibreGroups: 1))
    }

    func testAnUnknownFibreGroupingIsRefused() throws {
        let path = dir.appendingPathComponent("three.json").path
        try RateModelFile.save(model(fibreGroups: 1), path: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let three = text.replacingOccurrences(of: "\"fibreGroups\":1", with: "\"fibreGroups\":3")
        XCTAssertNotEqual(three, text, "the file names its fibre groups")
        try three.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RateModelFile.load(path: path))
    }
}
