import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The interaural time difference by the generalised cross-correlation with the phase transform
/// (GCC-PHAT; Knapp & Carter 1976, "The generalized correlation method for estimation of time
/// delay", IEEE Trans. ASSP 24:320-327): the standard signal-processing answer, beside which the
/// spiking model is judged. Samples in, ITD out; mapping the ITD to a direction is the caller's.
///
/// Each frame (Hann window, half-frame hop) gives the cross-power spectrum G = L conj(R) of the two
/// ears, in the band `bandHz`; the phase transform keeps only its phase, G / |G| (bins under `floorRelative` of the
/// frame's strongest bin are divided by that floor instead, so that silent bins stay silent). The
/// weighted spectra are summed over frames (constant memory), and at the end one inverse transform,
/// interpolated `interpolation` times, gives the correlation over lag. Its peak within the head's
/// range of ITDs, refined by a parabola through the peak and its neighbours, is the ITD; positive
/// when the right ear leads (the left signal is a delayed copy of the right).
///
/// The correlation is normalised so that two identical (but delayed) signals peak at 1. When the
/// ears share nothing, every bin's phase is random, and the correlation at any lag is a sum of
/// terms: near-Gaussian with zero mean and a variance `noiseSigma`^2 computed from the weights
/// actually used and the window's correlation between neighbouring bins and frames. No answer is given unless the peak exceeds `threshold` = z sigma, with z
/// chosen so that noise alone crosses it at any of the searched lags with probability at most
/// `falseAlarmProbability` (a union bound over the lags).
public struct GCCPHAT: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Frame length, in seconds; rounded up to a power of two of samples.
        var frameSeconds = 0.02
        /// Upsampling of the correlation before the parabolic peak fit (a whole number >= 1). On the
        /// raw samples the parabola is biased by up to about 0.1 sample on the sharp PHAT peak;
        /// four times finer makes that bias a few thousandths of a sample.
        var interpolation = 4
        /// Bins weaker than this fraction of the frame's strongest |G| are weighted by 1 / (this
        /// fraction times the strongest) rather than 1 / |G|: 1e-6 of |L||R| is each ear about
        /// 60 dB under its strongest bin.
        var floorRelative = 1e-6
        /// Chance that a sound with no interaural coherence gets an answer.
        public var falseAlarmProbability = 1e-3
        /// Bins outside this band, in Hz, are left out. The default is the band the model's cochlea
        /// hears (100 Hz to 8 kHz), so both see the same part of the sound; a head's ITD shrinks
        /// with frequency (Kuhn 1977), and the same head model maps both codes' ITDs.
        var bandHz: ClosedRange<Double> = 100...8000
        public init() {}
    }

    public struct Result: Sendable, Equatable {
        /// Best ITD, in seconds (positive = right ear leads); nil when the peak is not above what
        /// noise gives, or the sound was silent.
        public var itdSeconds: Double?
        /// Normalised correlation at the best whole-sample lag (1 for identical delayed signals).
        public var peak: Double
        /// The no-answer threshold the peak was held against (z times `noiseSigma`).
        public var threshold: Double
        /// Standard deviation of the correlation for incoherent ears, with these weights.
        public var noiseSigma: Double
        /// Frames that contributed (frames where either ear is all zeros do not).
        public var frames: Int
        /// Cost, by `RealFFT.multiplyAccumulates`' counting rule; see `GCCPHAT.frameCost`.
        public var multiplyAccumulates: Int
    }

    let configuration: Configuration
    let sampleRateHz: Double
    /// Largest |ITD| searched, in seconds.
    let maximumLagSeconds: Double
    /// Frame length, in samples.
    public let frameLength: Int
    let fft: RealFFT, window: [Double]
    var left: [Double], right: [Double]
    var filled = 0
    /// Samples in the buffer that no processed frame has covered yet.
    var fresh = 0
    var sumRe: [Double], sumIm: [Double]
    /// Sum over frames and bins of c_k |P_k|^2 (c = 2 inside, 1 at DC and Nyquist): N^2 F^2 times
    /// the correlation's variance when the ears are incoherent.
    var nullVariance = 0.0
    var frames = 0
    /// How much the window's leakage and the frames' overlap raise the null variance; see
    /// `Self.varianceInflation(window:hop:)`.
    let varianceInflation: Double
    /// Bins used, in -N/2..<N/2 (sum of c_k over the band, c as in `nullVariance`): N when all are.
    let bandBins: Double
    let firstBin: Int, lastBin: Int

    public init(configuration: Configuration = .init(), sampleRateHz: Double, maximumLagSeconds: Double) {
        precondition(sampleRateHz > 0 && maximumLagSeconds >= 0 && configuration.interpolation >= 1)
        self.configuration = configuration
        self.sampleRateHz = sampleRateHz
        self.maximumLagSeconds = maximumLagSeconds
        // At least 8 times the largest lag, so that circular wrap-around never reaches the search.
        let wanted = max(
            64, Int((configuration.frameSeconds * sampleRateHz).rounded(.up)),
            8 * Int((maximumLagSeconds * sampleRateHz).rounded(.up)))
        var n = 64
        while n < wanted { n *= 2 }
        frameLength = n
        fft = RealFFT(size: n)
        // Periodic Hann window, so that half-overlapped frames sum to a constant.
        window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        varianceInflation = Self.varianceInflation(window: window, hop: n / 2)
        let binHz = sampleRateHz / Double(n)
        firstBin = max(0, Int((configuration.bandHz.lowerBound / binHz).rounded(.up)))
        lastBin = min(n / 2, Int((configuration.bandHz.upperBound / binHz).rounded(.down)))
        bandBins = firstBin > lastBin ? 0 : (firstBin...lastBin).reduce(0.0) { $0 + ($1 == 0 || $1 == n / 2 ? 1 : 2) }
        left = [Double](repeating: 0, count: n)
        right = left
        sumRe = [Double](repeating: 0, count: n / 2 + 1)
        sumIm = sumRe
    }

    var hop: Int { frameLength / 2 }

    /// Multiply-accumulates per frame: two windowings (N each), two forward FFTs, and per bin the
    /// cross-power product (one complex multiply: 4), the phase transform and its accumulation
    /// (|G|^2, a square root and a reciprocal, counted as one multiplication each, two scalings,
    /// three additions: 6) and the null-variance sum (2).
    public var frameCost: Int { 2 * frameLength + 2 * RealFFT.multiplyAccumulates(size: frameLength) + 12 * (hop + 1) }

    /// Takes the next block of each ear (equal lengths).
    public mutating func process(left l: [Float], right r: [Float]) {
        precondition(l.count == r.count, "left and right blocks differ in length")
        var i = 0
        while i < l.count {
            let take = min(frameLength - filled, l.count - i)
            for j in 0..<take {
                left[filled + j] = Double(l[i + j])
                right[filled + j] = Double(r[i + j])
            }
            filled += take
            fresh += take
            i += take
            if filled == frameLength { analyseFrame() }
        }
    }

    private mutating func analyseFrame() {
        let n = frameLength
        if left.contains(where: { $0 != 0 }) && right.contains(where: { $0 != 0 }) {
            let a = fft.forward((0..<n).map { left[$0] * window[$0] })
            let b = fft.forward((0..<n).map { right[$0] * window[$0] })
            var gr = [Double](repeating: 0, count: hop + 1)
            var gi = gr
            var mag = gr
            for k in 0...hop {
                // G = L conj(R): its phase is the left ear's lag behind the right.
                gr[k] = a.re[k] * b.re[k] + a.im[k] * b.im[k]
                gi[k] = a.im[k] * b.re[k] - a.re[k] * b.im[k]
                mag[k] = (gr[k] * gr[k] + gi[k] * gi[k]).squareRoot()
            }
            let strongest = mag.max() ?? 0
            if strongest > 0 {
                let floor = configuration.floorRelative * strongest
                for k in 0...hop where k >= firstBin && k <= lastBin {
                    let w = 1 / max(mag[k], floor)
                    sumRe[k] += gr[k] * w
                    sumIm[k] += gi[k] * w
                    let p2 = (mag[k] * w) * (mag[k] * w)
                    nullVariance += (k == 0 || k == hop ? 1 : 2) * p2
                }
                frames += 1
            }
        }
        // Keep the second half as the next frame's first half.
        for j in 0..<(n - hop) {
            left[j] = left[j + hop]
            right[j] = right[j + hop]
        }
        filled = n - hop
        fresh = 0
    }

    /// The factor by which correlated bins raise the variance of the correlation of incoherent ears
    /// above that of independent unit phasors (1.76 for the Hann window at half overlap).
    ///
    /// A window's spectrum leaks: for white noise, bins dk apart in frames df hops apart correlate
    /// with rho = |sum_n w[n] w[n - df hop] exp(-2 pi i dk n / N)| / sum_n w[n]^2 (2/3 for adjacent
    /// Hann bins, 1/6 for the same bin in overlapping frames; Harris 1978, Proc. IEEE 66:51, gives
    /// the latter as the window's overlap correlation). The phase transform keeps only each bin's
    /// phase; for circular complex Gaussians of correlation rho the mean phasor of the phase
    /// difference is (pi/4) rho 2F1(1/2, 1/2; 2; rho^2), and the two ears are independent, so the
    /// weighted bins correlate by its square. Summing over neighbours gives the factor (taken at
    /// lag 0, its largest; the searched lags are a few hundredths of the frame). The tests check it
    /// against independent noises.
    static func varianceInflation(window w: [Double], hop: Int) -> Double {
        let n = w.count
        let energy = w.reduce(0) { $0 + $1 * $1 }
        func meanPhasor(_ rho: Double) -> Double {
            var term = 1.0
            var sum = 1.0
            for j in 0..<400 {
                let a = 0.5 + Double(j)
                term *= a * a / ((2 + Double(j)) * (1 + Double(j))) * rho * rho
                sum += term
                if term < 1e-12 * sum { break }
            }
            return Double.pi / 4 * rho * sum
        }
        var total = 0.0
        for df in -((n - 1) / hop)...((n - 1) / hop) {
            for dk in -8...8 {
                if df == 0 && dk == 0 {
                    total += 1
                    continue
                }
                var re = 0.0
                var im = 0.0
                for i in 0..<n where i - df * hop >= 0 && i - df * hop < n {
                    let p = w[i] * w[i - df * hop]
                    let angle = -2 * Double.pi * Double(dk * i) / Double(n)
                    re += p * cos(angle)
                    im += p * sin(angle)
                }
                let g = meanPhasor(min(1, (re * re + im * im).squareRoot() / energy))
                total += g * g
            }
        }
        return total
    }

    /// The z of the no-answer rule: `lags` * Q(z) = `falseAlarmProbability`, Q the Gaussian tail.
    static func threshold(lags: Int, falseAlarmProbability p: Double) -> Double {
        let target = p / Double(max(1, lags))
        var lo = 0.0
        var hi = 40.0
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if 0.5 * erfc(mid / 2.0.squareRoot()) > target { lo = mid } else { hi = mid }
        }
        return hi
    }

    /// Analyses the last, zero-padded frame and returns the estimate.
    public mutating func finish() -> Result {
        if fresh > 0 {
            for j in filled..<frameLength {
                left[j] = 0
                right[j] = 0
            }
            analyseFrame()
        }
        let n = frameLength
        let u = configuration.interpolation
        let maxLag = Int((maximumLagSeconds * sampleRateHz).rounded(.up))
        // Normalised by the bins used, so that identical delayed signals still peak at 1.
        let sigma =
            frames > 0 && bandBins > 0
            ? (nullVariance * varianceInflation).squareRoot() / (bandBins * Double(frames)) : 0
        let z = Self.threshold(lags: 2 * maxLag + 1, falseAlarmProbability: configuration.falseAlarmProbability)
        var cost = frames * frameCost
        guard frames > 0 && bandBins > 0 else {
            return Result(itdSeconds: nil, peak: 0, threshold: 0, noiseSigma: 0, frames: 0, multiplyAccumulates: cost)
        }
        // Zero-padded spectrum: the correlation at u times the sample rate. Bin N/2 splits evenly
        // between +N/2 and -N/2 of the longer transform.
        let big = RealFFT(size: n * u)
        var re = [Double](repeating: 0, count: n * u / 2 + 1)
        var im = re
        for k in 0...hop {
            let share = k == hop && u > 1 ? 0.5 : 1
            re[k] = sumRe[k] * share
            im[k] = sumIm[k] * share
        }
        let scale = Double(u) * Double(n) / (bandBins * Double(frames))
        let correlation = big.inverse(re: re, im: im).map { $0 * scale }
        cost += RealFFT.multiplyAccumulates(size: n * u)
        func at(_ m: Int) -> Double { correlation[((m % (n * u)) + n * u) % (n * u)] }
        let wholePeak = (-maxLag...maxLag).map { at($0 * u) }.max() ?? 0
        let span = maxLag * u
        var best = -span
        for m in -span...span where at(m) > at(best) { best = m }
        let offset = parabolicVertex(at(best - 1), at(best), at(best + 1))
        let itd = (Double(best) + offset) / (Double(u) * sampleRateHz)
        let threshold = z * sigma
        return Result(
            itdSeconds: wholePeak > threshold ? itd : nil, peak: wholePeak, threshold: threshold,
            noiseSigma: sigma, frames: frames, multiplyAccumulates: cost)
    }
}
