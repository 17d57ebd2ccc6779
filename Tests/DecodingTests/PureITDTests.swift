import DSP
import Decoding
import Stimuli
import XCTest

final class PureITDTests: XCTestCase {
    func run(itdSeconds: Double, seed: UInt64) -> LocalizationResult {
        let fs = 44100.0
        var g = SeededGenerator(seed: seed)
        let x = Stimulus.whiteNoise.render(durationSeconds: 1, sampleRateHz: fs, rms: 0.05, generator: &g)
        let left = FractionalDelay().apply(x, delaySamples: itdSeconds / 2 * fs)
        let right = FractionalDelay().apply(x, delaySamples: -itdSeconds / 2 * fs)
        var config = LocalizerConfiguration()
        config.seed = seed
        let loc = Localizer(configuration: config, sampleRateHz: fs)
        var i = 0
        while i < x.count { let j = min(i + 4096, x.count); loc.process(left: Array(left[i..<j]), right: Array(right[i..<j])); i = j }
        return loc.finish()
    }

    /// Issue 2: a pure-ITD noise at +300 us gives a best ITD within 20 us.
    func testNoiseAt300Microseconds() throws {
        let r = run(itdSeconds: 0.0003, seed: 21)
        let t = try XCTUnwrap(r.temporal)
        XCTAssertEqual(t.itdSeconds * 1e6, 300, accuracy: 20)
        XCTAssertGreaterThan(t.azimuthDegrees, 0)
        XCTAssertGreaterThan(r.costs.synapticEvents, r.costs.auditoryNerveSpikes)
    }

    func testSilenceHasNoDirection() {
        let loc = Localizer(configuration: .init(), sampleRateHz: 44100)
        loc.process(left: .init(repeating: 0, count: 44100), right: .init(repeating: 0, count: 44100))
        let r = loc.finish()
        XCTAssertTrue(r.isDigitalSilence)
        XCTAssertNil(r.temporal)
        XCTAssertNil(r.rate)
    }
}
