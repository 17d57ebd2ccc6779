import DSP
import XCTest

final class FFTTests: XCTestCase {
    /// The DFT by its definition, in 80-bit extended precision (unit roundoff 2^-64, 2048 times
    /// finer than Double's), with the angle reduced exactly (k n mod N) before cos and sin. Its own
    /// error, at most about N * 2^-64 relative (under 3e-17 for N = 512), is a small fraction of
    /// the FFT's bound, so the difference measures the FFT.
    func directDFT(_ x: [Double]) -> (re: [Float80], im: [Float80]) {
        let n = x.count
        var re = [Float80](repeating: 0, count: n / 2 + 1)
        var im = re
        let twoPi = 2 * Float80.pi
        for k in 0...(n / 2) {
            var sr: Float80 = 0
            var si: Float80 = 0
            for j in 0..<n {
                let angle = twoPi * Float80((k * j) % n) / Float80(n)
                sr += Float80(x[j]) * Float80(cos(Double(angle)))
                si -= Float80(x[j]) * Float80(sin(Double(angle)))
            }
            re[k] = sr
            im[k] = si
        }
        return (re, im)
    }

    func randomSignal(_ n: Int, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0..<n).map { _ in g.nextGaussian() }
    }

    /// Relative 2-norm error of the spectrum over bins 0...N/2 (the rest mirrors them).
    func relativeError(_ fft: (re: [Double], im: [Double]), _ exact: (re: [Float80], im: [Float80])) -> Double {
        var err: Float80 = 0
        var norm: Float80 = 0
        for k in exact.re.indices {
            let dr = Float80(fft.re[k]) - exact.re[k]
            let di = Float80(fft.im[k]) - exact.im[k]
            err += dr * dr + di * di
            norm += exact.re[k] * exact.re[k] + exact.im[k] * exact.im[k]
        }
        return Double((err / norm).squareRoot())
    }

    func testForwardMatchesDirectDFTWithinHighamBound() {
        for (n, seed) in [(4, 1), (8, 2), (64, 3), (512, 4)] as [(Int, UInt64)] {
            let x = randomSignal(n, seed: seed)
            let fft = RealFFT(size: n)
            let error = relativeError(fft.forward(x), directDFT(x))
            // Higham's bound grows as log2 N times a few ulps (about 8e-15 at N = 512); the direct
            // DFT's twiddles are Double cos/sin, within an ulp each, which adds at most about u.
            XCTAssertLessThan(error, RealFFT.relativeErrorBound(size: n) + Double.ulpOfOne, "N = \(n)")
        }
    }

    /// A wrong twiddle or split would give errors of order 1, not 1e-15: check that the test sees
    /// a tone land in its own bin, with the sign convention exp(-2 pi i k n / N).
    func testToneLandsInItsBin() {
        let n = 64
        let x = (0..<n).map {
            cos(2 * Double.pi * 5 * Double($0) / Double(n)) + sin(2 * Double.pi * 9 * Double($0) / Double(n))
        }
        let s = RealFFT(size: n).forward(x)
        XCTAssertEqual(s.re[5], Double(n) / 2, accuracy: 1e-12)
        XCTAssertEqual(s.im[9], -Double(n) / 2, accuracy: 1e-12)
        let others = (0...(n / 2)).filter { $0 != 5 && $0 != 9 }.map { abs(s.re[$0]) + abs(s.im[$0]) }
        XCTAssertLessThan(others.max()!, 1e-12)
    }

    func testInverseRoundTrip() {
        for n in [4, 16, 1024] {
            let x = randomSignal(n, seed: UInt64(n))
            let fft = RealFFT(size: n)
            let s = fft.forward(x)
            let y = fft.inverse(re: s.re, im: s.im)
            let err = zip(x, y).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let norm = x.map { $0 * $0 }.reduce(0, +).squareRoot()
            // Forward and inverse each contribute at most the bound (the inverse is the same passes).
            XCTAssertLessThan(err / norm, 2 * RealFFT.relativeErrorBound(size: n), "N = \(n)")
        }
    }

    func testMultiplyAccumulateCountByHandForEight() {
        // N = 8: the complex FFT of 4 points has 2 stages of 2 butterflies (6 each), the split
        // has 5 bins (8 each): 24 + 40.
        XCTAssertEqual(RealFFT.multiplyAccumulates(size: 8), 64)
    }
}
