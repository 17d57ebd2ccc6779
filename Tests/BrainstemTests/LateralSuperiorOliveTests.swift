import Brainstem
import Cochlea
import DSP
import XCTest

final class LateralSuperiorOliveTests: XCTestCase {
    typealias LSO = LateralSuperiorOlive

    /// Parameters with round numbers, so that the potentials can be worked out by hand.
    func handParameters() -> LSO.Parameters {
        var p = LSO.Parameters()
        p.membraneTimeConstantSeconds = 0.001
        p.excitatoryWeight = 0.6
        p.inhibitoryWeight = 0.6
        p.inhibitoryDelaySeconds = 0
        p.floor = -1
        p.threshold = 1
        p.refractorySeconds = 0.001
        return p
    }

    /// Two ipsilateral spikes 0.2 ms apart: 0.6 e^-0.2 + 0.6 = 1.0912 >= 1, it fires and resets;
    /// 0.5 ms apart: 0.6 e^-0.5 + 0.6 = 0.9639 < 1, it does not.
    func testTwoCloseExcitatorySpikesFireAndFarOnesDoNot() {
        let p = handParameters()
        var s = LSO.step(.init(), .excitatory, atSeconds: 0, p)
        XCTAssertFalse(s.fired)
        // One weight from rest: 0 x exp(-inf) + 0.6, exact but for the weight's own rounding.
        XCTAssertEqual(s.state.potential, 0.6, accuracy: 1e-12)
        let close = LSO.step(s.state, .excitatory, atSeconds: 0.0002, p)
        XCTAssertTrue(close.fired)
        XCTAssertEqual(close.state.potential, 0)  // reset
        s = LSO.step(s.state, .excitatory, atSeconds: 0.0005, p)
        XCTAssertFalse(s.fired)
        // e^-0.5 = 0.60653066 to eight decimals (off by 4e-10), times 0.6.
        XCTAssertEqual(s.state.potential, 0.6 * 0.606_530_66 + 0.6, accuracy: 1e-8)
    }

    /// Excitation at 0, inhibition at 0.1 ms, excitation at 0.2 ms:
    /// (0.6 e^-0.1 - 0.6) e^-0.1 + 0.6 = 0.6 e^-0.2 - 0.6 e^-0.1 + 0.6 = 0.49124 - 0.54290 + 0.6 = 0.54834,
    /// below threshold: the contralateral spike vetoes the pair that would have fired.
    func testContralateralSpikeVetoesAPairThatWouldFire() {
        let p = handParameters()
        XCTAssertEqual(LSO.simulate(ipsilateral: [0, 0.0002], contralateral: [], parameters: p), [0.0002])
        XCTAssertEqual(LSO.simulate(ipsilateral: [0, 0.0002], contralateral: [0.0001], parameters: p), [])
        var s = LSO.step(.init(), .excitatory, atSeconds: 0, p).state
        s = LSO.step(s, .inhibitory, atSeconds: 0.0001, p).state
        let r = LSO.step(s, .excitatory, atSeconds: 0.0002, p)
        XCTAssertFalse(r.fired)
        // The hand value above, to five decimals.
        XCTAssertEqual(r.state.potential, 0.548_34, accuracy: 1e-5)
    }

    /// Three inhibitory spikes at one instant would reach -1.8 but stop at the floor, -1; one
    /// millisecond later the potential is -e^-1 = -0.36788, and a spike adds 0.6: 0.23212.
    func testInhibitionStopsAtTheFloor() {
        let p = handParameters()
        var s = LSO.State()
        for _ in 0..<3 { s = LSO.step(s, .inhibitory, atSeconds: 0, p).state }
        XCTAssertEqual(s.potential, -1)
        s = LSO.step(s, .excitatory, atSeconds: 0.001, p).state
        // e^-1 = 0.36787944 to eight decimals (off by 1.2e-9).
        XCTAssertEqual(s.potential, 0.6 - 0.367_879_44, accuracy: 1e-8)
    }

    /// With weight 1.2 every ipsilateral spike reaches threshold alone, so the neuron fires at each
    /// one that is at least the refractory time (1 ms) after its last spike: 0, 0.5 (refractory,
    /// no), 1.0, 1.2 (no), 2.5 ms.
    func testRefractoryTime() {
        var p = handParameters()
        p.excitatoryWeight = 1.2
        let out = LSO.simulate(ipsilateral: [0, 0.0005, 0.001, 0.0012, 0.0025], contralateral: [], parameters: p)
        XCTAssertEqual(out, [0, 0.001, 0.0025])
    }

    /// The inhibition's delay shifts the contralateral spike: at 0.15 ms plus a 0.1 ms delay it lands
    /// after the second excitatory spike (0.2 ms), too late to veto it.
    func testInhibitoryDelay() {
        var p = handParameters()
        p.inhibitoryDelaySeconds = 0.0001
        XCTAssertEqual(LSO.simulate(ipsilateral: [0, 0.0002], contralateral: [0.00015], parameters: p), [0.0002])
        XCTAssertEqual(LSO.simulate(ipsilateral: [0, 0.0002], contralateral: [0.00005], parameters: p), [])
    }

    func poisson(_ g: inout SeededGenerator, ratePerSecond: Double, seconds: Double) -> [Double] {
        var out: [Double] = []
        var t = 0.0
        guard ratePerSecond > 0 else { return out }
        while true {
            t += g.nextExponential() / ratePerSecond
            if t >= seconds { return out }
            out.append(t)
        }
    }

    /// The ILD code: with the ipsilateral drive fixed, the rate falls as the other ear's rate rises.
    /// With the default parameters.
    func testRateFallsWithContralateralRate() {
        var g = SeededGenerator(seed: 7)
        let ipsi = poisson(&g, ratePerSecond: 3000, seconds: 1)
        var counts: [Int] = []
        for rate in [0.0, 1000, 2000, 3000, 5000] {
            let contra = poisson(&g, ratePerSecond: rate, seconds: 1)
            counts.append(LSO.simulate(ipsilateral: ipsi, contralateral: contra, parameters: .init()).count)
        }
        XCTAssertGreaterThan(counts[0], 100, "\(counts)")
        for k in 1..<counts.count { XCTAssertLessThan(counts[k], counts[k - 1], "\(counts)") }
    }

    /// The bank fed in uneven blocks gives exactly the reference simulation of each side, and its
    /// rate difference points to the louder (busier) ear.
    func testBankMatchesReferenceInAnyBlocks() {
        var g = SeededGenerator(seed: 3)
        let p = LSO.Parameters()
        let left = [poisson(&g, ratePerSecond: 4000, seconds: 0.5), poisson(&g, ratePerSecond: 1500, seconds: 0.5)]
        let right = [poisson(&g, ratePerSecond: 1500, seconds: 0.5), poisson(&g, ratePerSecond: 4000, seconds: 0.5)]
        var bank = LateralSuperiorOliveBank(parameters: p, channelCount: 2)
        var start = 0.0
        for end in [0.013, 0.1, 0.10005, 0.37, 0.5] {
            let l = SpikeBlock(trains: left, startSeconds: start, endSeconds: end)
            let r = SpikeBlock(trains: right, startSeconds: start, endSeconds: end)
            bank.process(left: l, right: r)
            start = end
        }
        bank.finish()
        for c in 0..<2 {
            XCTAssertEqual(
                bank.spikeCounts[0][c],
                LSO.simulate(ipsilateral: left[c], contralateral: right[c], parameters: p).count)
            XCTAssertEqual(
                bank.spikeCounts[1][c],
                LSO.simulate(ipsilateral: right[c], contralateral: left[c], parameters: p).count)
        }
        let d = bank.rateDifferences
        XCTAssertLessThan(d[0], -0.3, "left ear busier in channel 0: \(d)")
        XCTAssertGreaterThan(d[1], 0.3, "right ear busier in channel 1: \(d)")
    }

    /// No input, no spikes, no difference (and no NaN).
    func testSilence() {
        var bank = LateralSuperiorOliveBank(channelCount: 3)
        var b = SpikeBlock(channelCount: 3)
        b.endSeconds = 1
        bank.process(left: b, right: b)
        bank.finish()
        XCTAssertEqual(bank.rateDifferences, [0, 0, 0])
    }
}
