import DSP
import Decoding
import Pipeline
import Stimuli
import XCTest

final class PureITDTests: XCTestCase {
    static let fs = 44100.0

    /// Noise delayed by +/- half the ITD in each ear; the same recipe as `soundloc bench --only sweep`.
    static func pureITD(itdSeconds: Double, seconds: Double, seed: UInt64) -> ([Float], [Float]) {
        var g = SeededGenerator(seed: seed)
        let x = Stimulus.whiteNoise.render(durationSeconds: seconds, sampleRateHz: fs, rms: 0.05, generator: &g)
        return FractionalDelay().interauralPair(x, itdSeconds: itdSeconds, sampleRateHz: fs)
    }

    func run(left: [Float], right: [Float], seed: UInt64, configure: (inout LocalizerConfiguration) -> Void = { _ in })
        -> LocalizationResult
    {
        var config = LocalizerConfiguration()
        config.seed = seed
        configure(&config)
        return Localizer.localize(
            left: left, right: right, sampleRateHz: Self.fs, configuration: config, blockFrames: 4096)
    }

    /// Issue 4: pure ITDs across the head's range, most of them not whole numbers of samples
    /// (22.7 us at 44.1 kHz), each read within 10 us, the human threshold near the midline (the
    /// requirement itself). A spread subset of the 25 us sweep that `soundloc bench --only sweep`
    /// prints in full; stimulus and fibre seeds follow the bench's, so the rows can be compared.
    func testPureITDSweepSubsetWithinTenMicroseconds() throws {
        for micro in stride(from: -700, through: 700, by: 125) + [700] {
            let k = UInt64((micro + 700) / 25)
            let (l, r) = Self.pureITD(itdSeconds: Double(micro) * 1e-6, seconds: 1, seed: 100 + k)
            let t = try XCTUnwrap(run(left: l, right: r, seed: 500 + k).temporal, "ITD \(micro) us")
            XCTAssertEqual(t.itdSeconds * 1e6, Double(micro), accuracy: 10, "ITD \(micro) us")
            XCTAssert((0...1).contains(t.confidence))
        }
    }

    /// Issue 2: a pure-ITD noise at +300 us lies to the right and costs more synaptic events than
    /// nerve spikes (each spike reaches every detector of its channel).
    func testNoiseAt300Microseconds() throws {
        let (l, r) = Self.pureITD(itdSeconds: 0.0003, seconds: 1, seed: 21)
        let result = run(left: l, right: r, seed: 21)
        let t = try XCTUnwrap(result.temporal)
        // Same bound as the sweep above.
        XCTAssertEqual(t.itdSeconds * 1e6, 300, accuracy: 10)
        XCTAssertGreaterThan(t.azimuthDegrees, 0)
        XCTAssertGreaterThan(result.costs.synapticEvents, result.costs.auditoryNerveSpikes)
    }

    /// The track: one point per 50 ms frame; frames that have a direction point the right way.
    func testTrackHasOnePointPerFrame() throws {
        let (l, r) = Self.pureITD(itdSeconds: 0.0004, seconds: 0.5, seed: 7)
        let result = run(left: l, right: r, seed: 7) { $0.keepsTrack = true }
        // 0.5 s in 50 ms frames: 10 full frames, plus a partial one for the delay lines' tail.
        XCTAssert((10...11).contains(result.track.count), "\(result.track.count) frames")
        // Frame starts are multiples of 50 ms computed in double precision: 1e-9 s (a 20 000th of
        // a sample at 44.1 kHz) allows their rounding and nothing else.
        for (k, p) in result.track.enumerated() { XCTAssertEqual(p.startSeconds, 0.05 * Double(k), accuracy: 1e-9) }
        let located = result.track.compactMap(\.estimate)
        // A 50 ms frame of 65 dB noise has thousands of detector spikes; most frames must decide.
        XCTAssertGreaterThanOrEqual(located.count, 8)
        for e in located {
            XCTAssertGreaterThan(e.itdSeconds, 0)
            XCTAssert((0...1).contains(e.confidence) && e.azimuthDegrees.isFinite)
        }
    }

    func testSilenceHasNoDirection() {
        let zeros = [Float](repeating: 0, count: 22050)
        let r = run(left: zeros, right: zeros, seed: 1) { $0.keepsTrack = true }
        XCTAssertTrue(r.isDigitalSilence)
        XCTAssertNil(r.temporal)
        XCTAssertNil(r.rate)
        // Spontaneous firing still fills frames; none of them may get a direction.
        XCTAssertFalse(r.track.isEmpty)
        XCTAssert(r.track.allSatisfy { $0.estimate == nil })
    }

    /// Identical channels: no interaural difference, so straight ahead, in the track too.
    func testIdenticalChannelsAreAhead() throws {
        var g = SeededGenerator(seed: 3)
        let x = Stimulus.whiteNoise.render(durationSeconds: 0.3, sampleRateHz: Self.fs, rms: 0.05, generator: &g)
        let r = run(left: x, right: x, seed: 3) { $0.keepsTrack = true }
        XCTAssertTrue(r.isDiotic)
        let t = try XCTUnwrap(r.temporal)
        XCTAssertEqual(t.azimuthDegrees, 0)
        XCTAssert(r.track.compactMap(\.estimate).allSatisfy { $0.azimuthDegrees == 0 })
    }

    /// Frames with too few spikes say "no direction" rather than guess: a noise 90 dB below the
    /// default level (about -25 dB SPL) leaves only spontaneous firing, which carries no ITD.
    func testFaintSoundFramesHaveNoDirection() {
        let (l, r) = Self.pureITD(itdSeconds: 0.0003, seconds: 0.3, seed: 5)
        let scale = Float(pow(10.0, -90.0 / 20))
        let result = run(left: l.map { $0 * scale }, right: r.map { $0 * scale }, seed: 5) { $0.keepsTrack = true }
        XCTAssertFalse(result.isDigitalSilence)
        XCTAssert(result.track.allSatisfy { $0.estimate == nil }, "\(result.track.compactMap(\.estimate))")
    }
}
