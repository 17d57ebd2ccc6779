import Brainstem
import Cochlea
import XCTest

/// The onset neuron that opens each channel's precedence gate, and the gate's sorting of the
/// Jeffress array's spikes.
final class PrecedenceTests: XCTestCase {
    typealias Onset = OnsetNeuron

    /// Round numbers, so that the traces can be worked out by hand: excitation decays with 1 ms,
    /// inhibition with 10 ms and gains 0.1 per spike, drive = excitation - 1.5 x inhibition.
    func handParameters() -> Onset.Parameters {
        var p = Onset.Parameters()
        p.excitationTimeConstantSeconds = 0.001
        p.inhibitionTimeConstantSeconds = 0.01
        p.inhibitionGain = 1.5
        p.threshold = 2
        p.onsetWindowSeconds = 0.005
        return p
    }

    /// Three spikes at one instant from rest: traces (1, 0.1), (2, 0.2), (3, 0.3), drives 0.85,
    /// 1.7, 2.55; the third reaches the threshold of 2. A spike 1 ms later: excitation 3 e^-1 + 1
    /// = 2.10364, inhibition 0.3 e^-0.1 + 0.1 = 0.37145, drive 1.54646.
    func testFiresWhenSpikesCrowdIn() {
        let p = handParameters()
        var s = Onset.State()
        var fired: [Bool] = []
        for _ in 0..<3 {
            let r = Onset.step(s, spikeAtSeconds: 0, p)
            s = r.state
            fired.append(r.fired)
        }
        XCTAssertEqual(fired, [false, false, true])
        // Sums of exact small numbers: 3 and 0.3 up to the rounding of 0.1.
        XCTAssertEqual(s.excitation, 3, accuracy: 1e-12)
        XCTAssertEqual(s.inhibition, 0.3, accuracy: 1e-12)
        let later = Onset.step(s, spikeAtSeconds: 0.001, p)
        XCTAssertFalse(later.fired)
        // The hand values above, to five decimals.
        XCTAssertEqual(later.state.excitation, 2.103_64, accuracy: 1e-5)
        XCTAssertEqual(later.state.inhibition, 0.371_45, accuracy: 1e-5)
    }

    /// Continuing by hand: three more spikes at 2 ms take the drive to 1.12, 1.97 and 2.82, over
    /// threshold, but the gate opened at 0 is still open (5 ms), so the neuron stays silent; the
    /// same crowd at 6 ms, after the gate has closed, fires it.
    func testSilentWhileItsGateIsOpen() {
        let p = handParameters()
        var s = Onset.State()
        for t in [0, 0, 0, 0.001] { s = Onset.step(s, spikeAtSeconds: t, p).state }
        XCTAssertEqual(s.lastOnsetSeconds, 0)
        for _ in 0..<3 {
            let r = Onset.step(s, spikeAtSeconds: 0.002, p)
            XCTAssertFalse(r.fired)
            s = r.state
        }
        XCTAssertEqual(s.excitation - p.inhibitionGain * s.inhibition, 2.819_73, accuracy: 1e-5)
        var fired = false
        for _ in 0..<6 {
            let r = Onset.step(s, spikeAtSeconds: 0.006, p)
            s = r.state
            fired = fired || r.fired
        }
        XCTAssertTrue(fired)
        XCTAssertEqual(s.lastOnsetSeconds, 0.006)
    }

    /// A regular train of one spike every 0.1 ms: the first onset comes at the third spike
    /// (0.2 ms; the excitation 1 + e^-0.1 + e^-0.2 = 2.724 less 1.5 x 0.297), and one more when the
    /// first gate closes at 5.2 ms, since the slow inhibition has reached only 4.0 by then (drive
    /// 4.4). At the steady state the excitation is 1 / (1 - e^-0.1) = 10.508 and the inhibition
    /// 0.1 / (1 - e^-0.01) = 10.050, so the drive settles at 10.508 - 15.075 = -4.57: no onset after
    /// that, however long the train. When the rate quadruples the excitation jumps ahead of the
    /// lagging inhibition and it fires again, within the first millisecond of the rise.
    func testFiresAtTheStartAndWhenTheRateRisesNotInTheSteadyPart() {
        let p = handParameters()
        var s = Onset.State()
        var onsets: [Double] = []
        for k in 0..<2000 {
            let t = Double(k) * 0.0001
            let r = Onset.step(s, spikeAtSeconds: t, p)
            s = r.state
            if r.fired { onsets.append(t) }
        }
        XCTAssertEqual(onsets.count, 2)
        // Grid times k x 0.1 ms, to their rounding.
        XCTAssertEqual(onsets[0], 0.0002, accuracy: 1e-12)
        XCTAssertEqual(onsets[1], 0.0052, accuracy: 1e-12)
        // After 0.2 s (20 inhibition time constants) the steady state, to three decimals.
        XCTAssertEqual(s.excitation - p.inhibitionGain * s.inhibition, -4.567, accuracy: 1e-3)
        for k in 1...40 {
            let t = 0.1999 + Double(k) * 0.000025
            let r = Onset.step(s, spikeAtSeconds: t, p)
            s = r.state
            if r.fired { onsets.append(t) }
        }
        XCTAssertEqual(onsets.count, 3)
        XCTAssertLessThan(onsets[2] - 0.1999, 0.001)
    }

    /// The gates only sort the array's spikes: with them the frames' counts are the same as
    /// without, to the spike, and `onsetCounts` holds exactly the spikes of each detector whose
    /// physical time (its decision time in the reference simulation, less the half delay span
    /// both inputs were shifted by) falls in [onset, onset + window), the onsets being those of
    /// `OnsetNeuron.step` on both ears' spikes merged.
    func testGatesSortTheSpikesTheyDoNotChangeThem() {
        // Silence, then from 0.1 s a train at each ear, the right 300 us ahead, with a jitter
        // that keeps the lags off the delay grid; from 0.3 s four times the rate.
        var left: [Double] = []
        var t = 0.1
        var k = 0
        while t < 0.5 {
            left.append(t + 0.000_007 * Double(k % 5))
            t += t < 0.3 ? 0.000_5 : 0.000_125
            k += 1
        }
        let right = left.map { $0 - 0.0003 + 0.000_003 * sin(Double($0) * 1e4) }
        var config = JeffressArray.Configuration()
        config.delayCount = 21
        config.frameSeconds = 0.1
        var gated = config
        gated.precedence = OnsetNeuron.Parameters()
        config.precedence = nil
        func run(_ c: JeffressArray.Configuration) -> [ITDFrame] {
            var array = JeffressArray(configuration: c, channelCount: 1)
            var frames: [ITDFrame] = []
            var start = 0.0
            for end in [0.137, 0.25, 0.4, 0.5] {
                let l = SpikeBlock(trains: [left], startSeconds: start, endSeconds: end)
                let r = SpikeBlock(trains: [right], startSeconds: start, endSeconds: end)
                frames += array.process(left: l, right: r)
                start = end
            }
            return frames + array.finish()
        }
        let plain = run(config)
        let sorted = run(gated)
        XCTAssertEqual(plain.map(\.counts), sorted.map(\.counts))
        XCTAssertTrue(plain.allSatisfy { $0.onsetCounts.isEmpty })
        // The onsets, by stepping the neuron through the merged trains (left first at ties).
        let p = gated.precedence!
        var state = OnsetNeuron.State()
        var onsets: [Double] = []
        for s in (left.map { ($0, 0) } + right.map { ($0, 1) }).sorted(by: { $0 < $1 }) {
            let r = OnsetNeuron.step(state, spikeAtSeconds: s.0, p)
            state = r.state
            if r.fired { onsets.append(s.0) }
        }
        XCTAssertGreaterThanOrEqual(onsets.count, 2, "the train's start and its rise in rate")
        let d = config.maximumDelaySeconds
        var expected = [Int](repeating: 0, count: config.delayCount)
        for (i, delay) in config.delaysSeconds.enumerated() {
            let spikes = CoincidenceDetector.simulate(
                left: left.map { $0 + (d - delay) / 2 }, right: right.map { $0 + (d + delay) / 2 },
                parameters: config.detector)
            expected[i] =
                spikes.filter { s in
                    onsets.contains { s - d / 2 >= $0 && s - d / 2 < $0 + p.onsetWindowSeconds }
                }.count
        }
        var got = [Int](repeating: 0, count: config.delayCount)
        for f in sorted { for i in got.indices { got[i] += Int(f.onsetCounts[i]) } }
        XCTAssertEqual(got, expected)
        XCTAssertGreaterThan(got.reduce(0, +), 0)
    }
}
