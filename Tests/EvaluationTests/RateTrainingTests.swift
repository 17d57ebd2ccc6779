import Decoding
import Evaluation
import Foundation
import HRTF
import Pipeline
import RateCoding
import XCTest

final class RateTrainingTests: XCTestCase {
    /// A `.file`-pooled read-out learns from each sound's whole run of frames and from its full runs
    /// of 10 and 25 consecutive frames; a sound shorter than a run gives only its whole pool.
    func testPooledSamplesCoverWholeSoundsAndRuns() {
        let layout = RateFrameLayout(
            windowSeconds: 0.01, binsPerFrame: 1, channelCount: 1, maxLagBins: 1, gateSpikes: 1)
        func frame(_ d: Double, sound: Int, azimuth: Double) -> RateTraining.Frame {
            RateTraining.Frame(features: [d, 1, 0, 1, 0], azimuthDegrees: azimuth, sound: sound)
        }
        let frames =
            (0..<30).map { frame(Double($0) / 100, sound: 0, azimuth: 20) }
            + (0..<8).map { frame(-Double($0) / 100, sound: 1, azimuth: -40) }
        let samples = RateTraining.pooledSamples(frames, layout: layout, runs: [10, 25])
        // Sound 0: whole + 3 runs of 10 + 1 run of 25; sound 1: whole only.
        XCTAssertEqual(samples.count, 6)
        XCTAssertEqual(samples.filter { $0.sound == 0 }.count, 5)
        XCTAssertTrue(samples.filter { $0.sound == 1 }.allSatisfy { $0.azimuthDegrees == -40 })
        // Means of d = i/100: all 30 frames 0.145; frames 0-9 0.045, 10-19 0.145, 20-29 0.245; 0-24 0.12.
        let d = samples.filter { $0.sound == 0 }.map { $0.features[0] }
        for (got, want) in zip(d, [0.145, 0.045, 0.145, 0.245, 0.12]) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        XCTAssertEqual(samples.last!.features[0], -0.035, accuracy: 1e-12, "sound 1: mean of 0...-0.07")
        XCTAssertEqual(samples[0].features[3], 1, accuracy: 1e-12, "the correlation is averaged, not summed")
    }

    /// A sweep keeps the read-outs it trains in the cache folder and reads them back on the next
    /// run instead of training again: a cached file whose weights were changed is what the second
    /// run uses.
    func testSweepReusesCachedReadouts() throws {
        guard FileManager.default.fileExists(atPath: SofaFile.defaultKEMARPath) else {
            throw XCTSkip("no KEMAR SOFA file at \(SofaFile.defaultKEMARPath)")
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var manifest = try Manifest.load(path: repository.appendingPathComponent("audio-samples").path)
        manifest.entries = Array(manifest.entries.filter { $0.condition.hasPrefix("kemar") }.prefix(1))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rate-cache-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 16 channels, three directions, one short sound each: seconds, and enough for a model to exist.
        var configuration = LocalizerConfiguration()
        configuration.cochlea.channelCount = 16
        var settings = Comparison.Settings(configuration: configuration, rateWindowsSeconds: [0.005])
        settings.trainsMissingRateModels = true
        settings.rateModelCacheFolder = folder
        settings.rateTraining.azimuthStepDegrees = 90
        settings.rateTraining.soundsPerAzimuth = 1
        settings.rateTraining.durationSeconds = 0.1
        settings.jobs = 2
        let first = try Comparison.run(manifest: manifest, settings: settings)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        XCTAssertEqual(files, ["rate-model-5ms-16ch-seed1.json"])
        let path = (folder as NSString).appendingPathComponent(files[0])
        var changed = try RateModelFile.load(path: path)
        XCTAssertEqual(changed, first.rateModels[0])
        changed.weights = changed.weights.map { $0 + 0.25 }
        try RateModelFile.save(changed, path: path)
        let second = try Comparison.run(manifest: manifest, settings: settings)
        XCTAssertEqual(second.rateModels[0].weights, changed.weights)
        // Another training mix is not the cached model's: trained afresh.
        settings.rateTraining.seed += 1
        let third = try Comparison.run(manifest: manifest, settings: settings)
        XCTAssertNotEqual(third.rateModels[0].weights, changed.weights)
    }
}
