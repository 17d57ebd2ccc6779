import Cochlea
import DSP
import Foundation
import XCTest

/// The cochlea's auditory-nerve output against what is measured in real fibres.
final class CochleaPhysiologyTests: XCTestCase {
    /// Spikes of one channel centred on `centreHz` for `samples`, with the given fibres.
    func spikes(
        _ samples: [Float], sampleRateHz fs: Double, centreHz: Double,
        fibres: [SpontaneousRateClass: Int], seed: UInt64 = 1
    ) -> (times: [Double], fibre: [UInt16]) {
        var config = CochleaConfiguration()
        config.channelCount = 1
        config.lowestCentreFrequencyHz = centreHz
        config.highestCentreFrequencyHz = centreHz
        config.fibresPerChannel = fibres
        let cochlea = Cochlea(configuration: config, sampleRateHz: fs, ear: .left, seed: seed)
        var block = SpikeBlock(channelCount: 1)
        cochlea.process(samples, into: &block)
        return (block.times[0], block.fibre[0])
    }

    /// A tone of `frequencyHz` at `levelSPL` (the hair cell maps a full-scale sine to 100 dB SPL).
    func tone(_ frequencyHz: Double, levelSPL: Double, seconds: Double, sampleRateHz fs: Double) -> [Float] {
        let amplitude = pow(10, (levelSPL - InnerHairCell.Parameters().fullScaleSPL) / 20)
        return (0..<Int(seconds * fs)).map { Float(amplitude * sin(2 * Double.pi * frequencyHz * Double($0) / fs)) }
    }

    func testVectorStrengthOfKnownSpikeTrains() {
        // All spikes at one phase: exactly 1. Spikes spread evenly over the cycle: exactly 0.
        var locked = VectorStrength(frequencyHz: 250)
        locked.add(spikesAtSeconds: (0..<100).map { 0.001 + Double($0) * 0.004 * 3 })
        // Exact but for rounding: 100 sines and cosines of phases that differ from one another
        // only by whole cycles of 2 pi x 250 x 0.012 (1e-13 each at most), far below 1e-9.
        XCTAssertEqual(locked.value!, 1, accuracy: 1e-9)
        var spread = VectorStrength(frequencyHz: 250)
        spread.add(spikesAtSeconds: (0..<100).map { Double($0) * 0.004 * (1 + 1 / 100) })
        XCTAssertEqual(spread.value!, 0, accuracy: 1e-9)
        XCTAssertNil(VectorStrength(frequencyHz: 1).value)
    }

    func testPeriodicityFindsAToneAndRejectsNoise() {
        let fs = 44100.0
        let x = tone(523.25, levelSPL: 70, seconds: 0.5, sampleRateHz: fs)
        // Refined on a lag about 55 periods long, so a 0.01-sample error in the lag is 0.001 Hz;
        // 0.02 Hz keeps a 1 s vector strength within 2% of its true value (drift 0.02 cycles).
        XCTAssertEqual(Periodicity.fundamentalHz(of: x, sampleRateHz: fs) ?? 0, 523.25, accuracy: 0.02)
        var g = SeededGenerator(seed: 9)
        let noise = (0..<Int(0.5 * fs)).map { _ in Float(0.01 * g.nextGaussian()) }
        XCTAssertNil(Periodicity.fundamentalHz(of: noise, sampleRateHz: fs))
    }

    /// Phase locking to a tone at the fibre's centre frequency fades with frequency as in the cat's
    /// auditory nerve (Johnson 1980, J. Acoust. Soc. Am. 68:1115): high below 1 kHz, low by 4 kHz.
    func testPhaseLockingFadesWithFrequencyLikeJohnson1980() {
        let fs = 44100.0
        var strengths: [Double] = []
        for f in [500.0, 1000, 2000, 3000, 4000] {
            // 70 dB SPL saturates the high-spontaneous-rate fibres' rate but not their locking.
            let s = spikes(
                tone(f, levelSPL: 70, seconds: 0.5, sampleRateHz: fs), sampleRateHz: fs,
                centreHz: f, fibres: [.high: 20])
            var vs = VectorStrength(frequencyHz: f)
            vs.add(spikesAtSeconds: s.times.filter { $0 > 0.05 })  // after the onset response
            strengths.append(vs.value ?? 0)
        }
        // About 2000 spikes each, so each vector strength has a standard error near 0.015: the
        // thresholds below sit 0.06 or more (4 standard errors) from the values the model gives
        // (docs/cochlea.md), and neighbours in the list differ by 0.07 or more.
        // Johnson (1980) finds about 0.8-0.9 at 500 Hz; the model gives 0.82 (docs/cochlea.md), so
        // 0.7 is 8 standard errors below it and below every fibre in Johnson's figure.
        XCTAssertGreaterThanOrEqual(strengths[0], 0.7, "500 Hz")
        // ... and near 0.2 at 4 kHz, where the model gives 0.23: 0.3 is 4.7 standard errors above
        // it, and the 3 kHz value (0.35) already fails it.
        XCTAssertLessThanOrEqual(strengths[4], 0.3, "4 kHz")
        for i in 1..<strengths.count {
            XCTAssertLessThan(strengths[i], strengths[i - 1], "vector strengths \(strengths) must fall with frequency")
        }
    }

    func testSilenceGivesTheSpontaneousRatePerClass() {
        let fs = 16000.0
        let seconds = 2.0
        let fibres: [SpontaneousRateClass: Int] = [.high: 20, .medium: 50, .low: 400]
        let s = spikes(
            [Float](repeating: 0, count: Int(seconds * fs)), sampleRateHz: fs, centreHz: 1000, fibres: fibres)
        // Fibre indices run through the classes in SpontaneousRateClass.allCases order.
        var first = 0
        for c in SpontaneousRateClass.allCases {
            let n = fibres[c]!
            let range = UInt16(first)..<UInt16(first + n)
            let rate = Double(s.fibre.filter { range.contains($0) }.count) / (Double(n) * seconds)
            let expected = AuditoryNerveFiber.Parameters.typical(c).spontaneousRateHz
            // 20%: with the expected counts (2400, 500 and 400 spikes) that is 4 Poisson standard
            // errors for the smallest (sqrt(400) = 20 spikes = 5%), so chance alone fails it
            // about once in 15 000 runs, while a class at another class's nominal rate (60, 5,
            // 0.5 spikes/s) misses by a factor of 10 or more.
            XCTAssertEqual(rate / expected, 1, accuracy: 0.2, "\(c) spontaneous rate \(rate) spikes/s")
            first += n
        }
    }

    func testLoudTonesSaturateAndRefractorinessHolds() {
        let fs = 44100.0
        let fibres: [SpontaneousRateClass: Int] = [.high: 10, .medium: 10, .low: 10]
        for (f, level) in [(1000.0, 100.0), (4000, 110)] {
            let s = spikes(
                tone(f, levelSPL: level, seconds: 0.5, sampleRateHz: fs), sampleRateHz: fs,
                centreHz: f, fibres: fibres)
            var perFibre = [[Double]](repeating: [], count: 30)
            for (t, i) in zip(s.times, s.fibre) { perFibre[Int(i)].append(t) }
            for (i, times) in perFibre.enumerated() {
                let steady = times.filter { $0 > 0.05 }
                let rate = Double(steady.count) / 0.45
                // Saturated rates of real fibres are 200-300 spikes/s (Sachs & Abbas 1974; the
                // model's saturated hazards are 260-300 spikes/s, docs/cochlea.md, and
                // refractoriness only lowers them): 350 is above any of them, so only a fibre that
                // fires faster than its hazard allows fails. Above 100 shows the tone did drive
                // every fibre (the spontaneous rates are 60 spikes/s at most).
                XCTAssertLessThan(rate, 350, "fibre \(i) at \(f) Hz, \(level) dB")
                XCTAssertGreaterThan(rate, 100, "fibre \(i) at \(f) Hz, \(level) dB")
                // No interval shorter than the absolute refractory period (exact by construction:
                // the fibre restarts its hazard integral at the period's end; 1e-12 s allows the
                // rounding of the spike times).
                let dead = AuditoryNerveFiber.Parameters.typical(.high).absoluteRefractorySeconds
                for (a, b) in zip(times, times.dropFirst()) { XCTAssertGreaterThanOrEqual(b - a, dead - 1e-12) }
            }
        }
    }

    func testSeedDecidesTheSpikes() {
        var g = SeededGenerator(seed: 4)
        let x = (0..<4410).map { _ in Float(0.05 * g.nextGaussian()) }
        let fibres: [SpontaneousRateClass: Int] = [.high: 4, .medium: 1, .low: 1]
        let a = spikes(x, sampleRateHz: 44100, centreHz: 1000, fibres: fibres, seed: 7)
        let b = spikes(x, sampleRateHz: 44100, centreHz: 1000, fibres: fibres, seed: 7)
        let c = spikes(x, sampleRateHz: 44100, centreHz: 1000, fibres: fibres, seed: 8)
        XCTAssertGreaterThan(a.times.count, 50)
        XCTAssertEqual(a.times, b.times)
        XCTAssertEqual(a.fibre, b.fibre)
        XCTAssertNotEqual(a.times, c.times)
    }
}
