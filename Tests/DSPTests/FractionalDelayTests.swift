import DSP
import XCTest

final class FractionalDelayTests: XCTestCase {
    /// A delayed sinusoid must equal the sinusoid evaluated at the shifted time.
    func testDelaysSinusoidByFractionalSamples() {
        let fs = 44100.0
        for (f, delay) in [(500.0, 0.37), (3000.0, 13.25), (8000.0, -2.6)] {
            let x = (0..<4000).map { Float(sin(2 * Double.pi * f * Double($0) / fs)) }
            let y = FractionalDelay().apply(x, delaySamples: delay)
            var worst = 0.0
            for n in 200..<3800 {
                let expected = sin(2 * Double.pi * f * (Double(n) - delay) / fs)
                worst = max(worst, abs(Double(y[n]) - expected))
            }
            // A 64-tap Kaiser(beta 9) interpolator keeps errors near -80 dB below 0.2 fs;
            // 1e-3 (-60 dB) leaves room for Float rounding in the 64-term sum.
            XCTAssertLessThan(worst, 1e-3, "f = \(f) Hz, delay = \(delay)")
        }
    }

    /// A positive ITD puts the right ear ahead: the left ear hears the tone half the ITD late and
    /// the right half early, so the phases differ by 2 pi f ITD, split evenly about the original.
    func testInterauralPairSplitsTheDelayWithTheRightEarLeading() {
        let fs = 44100.0
        let f = 500.0
        let itd = 300e-6  // 13.23 samples: not a whole number, so the fractional path is exercised
        let x = (0..<4000).map { Float(sin(2 * Double.pi * f * Double($0) / fs)) }
        let (left, right) = FractionalDelay().interauralPair(x, itdSeconds: itd, sampleRateHz: fs)
        var worst = 0.0
        for n in 200..<3800 {
            let t = Double(n) / fs
            worst = max(worst, abs(Double(left[n]) - sin(2 * Double.pi * f * (t - itd / 2))))
            worst = max(worst, abs(Double(right[n]) - sin(2 * Double.pi * f * (t + itd / 2))))
        }
        // The same interpolator and bound as the test above; swapping the ears would err by
        // 2 sin(pi f ITD) = 0.93 at 500 Hz, far outside it.
        XCTAssertLessThan(worst, 1e-3)
    }
}
