import Cochlea
import Foundation
import XCTest

/// Checks the filterbank against the gammatone's textbook bandwidths, measured on the filter's own
/// impulse response.
final class GammatoneTests: XCTestCase {
    func testERBFormulaMatchesGlasbergAndMoore() {
        // ERB(1 kHz) = 24.7 x 5.37 = 132.639 Hz; ERB-rate(1 kHz) = 21.4 log10(5.37) = 15.62 Cams.
        // Both are closed forms; the tolerances allow rounding only (1.1e-16 relative per
        // operation, so below 1e-13 Hz and 1e-14 Cams here).
        XCTAssertEqual(ERBScale.bandwidth(atHz: 1000), 132.639, accuracy: 1e-9)
        XCTAssertEqual(ERBScale.rate(atHz: 1000), 21.4 * log10(5.37), accuracy: 1e-12)
        let fcs = ERBScale.centreFrequencies(lowestHz: 100, highestHz: 8000, count: 64)
        // The ends go through ERB-rate and back (a log10 and a power of 10), whose rounding grows
        // with the frequency: 1e-12 relative is 1e-10 Hz at 100 Hz and 1e-8 Hz at 8 kHz, inside
        // both bounds, while a wrong end would be off by a channel spacing (tens of Hz).
        XCTAssertEqual(fcs.first!, 100, accuracy: 1e-9)
        XCTAssertEqual(fcs.last!, 8000, accuracy: 1e-6)
        let steps = zip(fcs.dropFirst(), fcs).map { ERBScale.rate(atHz: $0) - ERBScale.rate(atHz: $1) }
        // Evenly spaced in ERB-rate: steps of 0.49 Cams, equal up to the round trip's rounding.
        for s in steps { XCTAssertEqual(s, steps[0], accuracy: 1e-9) }
    }

    struct Measured {
        var erb: Double
        var minus3dB: Double
        var peakHz: Double
        var gainAtFc: Double
    }

    /// Power response of one channel from its impulse response, by direct DFT on a fine grid.
    func measure(fc: Double, fs: Double) -> Measured {
        var fb = GammatoneFilterbank(.init(centreFrequenciesHz: [fc], sampleRateHz: fs))
        let bw = 1.019 * ERBScale.bandwidth(atHz: fc)
        // Long enough for the envelope t^3 exp(-2 pi b t) to fall below 1e-12 of its peak.
        let n = Int(fs * 12 / (2 * Double.pi * bw) * 3) + 1000
        var impulse = [Float](repeating: 0, count: n)
        impulse[0] = 1
        var out = ChannelBlock(channelCount: 1, capacityFrames: n)
        fb.process(impulse, into: &out)
        let h = out.channel(0).map(Double.init)
        let lo = max(1, fc - 8 * bw)
        let hi = min(fs / 2, fc + 8 * bw)
        let points = 3000
        let df = (hi - lo) / Double(points - 1)
        func power(_ f: Double) -> Double {
            var re = 0.0
            var im = 0.0
            let w = 2 * Double.pi * f / fs
            for (k, v) in h.enumerated() {
                re += v * cos(w * Double(k))
                im -= v * sin(w * Double(k))
            }
            return re * re + im * im
        }
        let grid = (0..<points).map { lo + Double($0) * df }
        let p = grid.map(power)
        let peak = p.indices.max { p[$0] < p[$1] }!
        let pmax = p[peak]
        let erb = p.reduce(0, +) * df / pmax
        let above = p.indices.filter { p[$0] >= pmax / 2 }
        return Measured(
            erb: erb, minus3dB: Double(above.count) * df, peakHz: grid[peak], gainAtFc: power(fc).squareRoot())
    }

    func testImpulseResponseBandwidthsMatchTheory() {
        for (fc, fs) in [
            (250.0, 44100.0), (1000.0, 44100.0), (4000.0, 44100.0), (80.0, 48000.0),
            (1000.0, 8000.0), (4000.0, 192_000.0),
        ] {
            let m = measure(fc: fc, fs: fs)
            let erb = ERBScale.bandwidth(atHz: fc)
            // Measured at these six settings (printed below): ERB within 0.24%, -3 dB width within
            // 0.52% (the grid counts it in steps of 16 bandwidths / 3000 = 0.6% of it), peak within
            // 0.07%, gain at fc within 3e-5. The bounds sit several times above those.
            print(
                "gammatone \(fc) Hz at \(fs) Hz: ERB \(m.erb / erb), -3 dB \(m.minus3dB / (0.887 * erb)), "
                    + "peak \(m.peakHz / fc), gain \(m.gainAtFc)")
            // For a 4th-order gammatone the equivalent rectangular bandwidth is 1.019 x 0.982 =
            // 1.0004 ERB (Patterson et al. 1987). 1% is four times the measured spread and refuses a
            // bandwidth without the factor 1.019 (1.9% narrow).
            XCTAssertEqual(m.erb / erb, 1, accuracy: 0.01, "ERB at \(fc) Hz")
            // -3 dB bandwidth = 1.019 x 2 sqrt(2^(1/4) - 1) ERB = 0.887 ERB; 5% allows the grid's
            // 0.6% steps many times over and still refuses a filter of another order (a 3rd-order
            // gammatone's -3 dB width is 1.019 x 2 sqrt(2^(1/3) - 1) = 1.04 ERB, 17% wider).
            XCTAssertEqual(m.minus3dB / (0.887 * erb), 1, accuracy: 0.05, "-3 dB bandwidth at \(fc) Hz")
            // Peak within 2% of fc: the measured 0.07% is the grid step; a filter centred a
            // channel away (5.5-10% at 64 channels over 100 Hz-8 kHz) fails it.
            XCTAssertEqual(m.peakHz / fc, 1, accuracy: 0.02, "peak at \(fc) Hz")
            // Unit gain at fc by construction; 1e-3 allows single-precision filtering (the state
            // is Float, 6e-8 relative per operation, over thousands of samples of the response).
            XCTAssertEqual(m.gainAtFc, 1, accuracy: 1e-3, "gain at \(fc) Hz")
        }
    }

    func testStableAtExtremeRatesInSinglePrecision() {
        // The extremes of the supported range (centre frequencies 80 Hz ... 0.45 fs, the rates of
        // `supportedSampleRatesHz`, 8 ... 192 kHz) and points between.
        for (fc, fs) in [
            (80.0, 192_000.0), (3600.0, 8000.0), (86_400.0, 192_000.0), (80.0, 8000.0), (80.0, 44100.0),
            (19_845.0, 44100.0), (21_600.0, 48000.0), (1000.0, 192_000.0), (1000.0, 8000.0),
        ] {
            var fb = GammatoneFilterbank(.init(centreFrequenciesHz: [fc], sampleRateHz: fs))
            // A tone at fc, 2 s long: the output must settle to amplitude 1 and stay finite.
            let n = Int(2 * fs)
            let x = (0..<n).map { Float(sin(2 * Double.pi * fc * Double($0) / fs)) }
            var out = ChannelBlock(channelCount: 1, capacityFrames: n)
            fb.process(x, into: &out)
            let y = out.channel(0)
            XCTAssertTrue(y.allSatisfy(\.isFinite))
            let tail = y[(n - Int(fs / fc) * 20)...]
            let peak = tail.map { abs($0) }.max()!
            // Accumulated Float rounding in the recursion stays within 1%.
            XCTAssertEqual(Double(peak), 1, accuracy: 0.01, "fc \(fc) Hz at \(fs) Hz")
        }
    }
}
