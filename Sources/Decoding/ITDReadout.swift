#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Brainstem

/// The best interaural time difference read from Jeffress-array activity.
public struct ITDEstimate: Sendable, Equatable {
    /// Best ITD, in seconds (positive = right ear leads = source on the right).
    public var itdSeconds: Double
    /// 0...1: how far the peak stands above the rest of the curve.
    public var confidence: Double
    /// How many standard deviations of Poisson counting noise the peak stands above the mean.
    public var significance: Double
}

/// Reads a direction from detector counts: across-frequency integration, then a peak with
/// sub-grid interpolation.
///
/// Across frequency: each channel's counts minus its own mean are summed. Channels above about
/// 700 Hz have periodic ghosts (their count curve repeats every period), but the true ITD lines up
/// across all channels while the ghosts, spaced 1/fc apart, fall at different delays and average
/// out (Stern, Zeiberg & Trahiotis 1988, J. Acoust. Soc. Am. 84:156, "straightness").
public struct ITDReadout: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// A peak must stand this many standard deviations of counting noise above the mean,
        /// or the frame has no direction.
        public var minimumSignificance: Double = 4
        /// Half-width, in grid points, of the least-squares parabola fitted around the peak.
        public var peakFitHalfWidth: Int = 4
        public init() {}
    }

    public var parameters: Parameters
    public let delaysSeconds: [Double]

    public init(parameters: Parameters = .init(), delaysSeconds: [Double]) {
        self.parameters = parameters
        self.delaysSeconds = delaysSeconds
    }

    /// Across-frequency curve: for each delay, the sum over channels of (count - channel mean).
    public func integrate<Count: BinaryInteger>(counts: [Count], channelCount: Int) -> [Double] {
        let n = delaysSeconds.count
        var curve = [Double](repeating: 0, count: n)
        for c in 0..<channelCount {
            var mean = 0.0
            for d in 0..<n { mean += Double(counts[c * n + d]) }
            mean /= Double(n)
            for d in 0..<n { curve[d] += Double(counts[c * n + d]) - mean }
        }
        return curve
    }

    /// The best ITD in a map of counts (`counts[channel * delays + delay]`), or nil when the
    /// peak is not significant (silence, or no consistent time difference).
    public func estimate<Count: BinaryInteger>(counts: [Count], channelCount: Int) -> ITDEstimate? {
        let n = delaysSeconds.count
        guard n >= 3 else { return nil }
        let curve = integrate(counts: counts, channelCount: channelCount)
        let total = counts.reduce(0) { $0 + Int($1) }
        guard total > 0 else { return nil }
        var best = 0
        for d in 1..<n where curve[d] > curve[best] { best = d }
        // Noise: each delay's summed count is roughly Poisson with variance equal to its mean.
        let meanPerDelay = Double(total) / Double(n)
        let significance = curve[best] / max(meanPerDelay, 1).squareRoot()
        guard significance >= parameters.minimumSignificance else { return nil }
        let itd = refinePeak(curve: curve, at: best)
        let lowest = curve.min() ?? 0
        let confidence = curve[best] > lowest ? min(1, max(0, curve[best] / (curve[best] - lowest + meanPerDelay) * 2)) : 0
        return ITDEstimate(itdSeconds: itd, confidence: confidence, significance: significance)
    }

    /// Sub-grid peak: a least-squares parabola through the points around the maximum; its vertex,
    /// clamped to the neighbouring grid points.
    func refinePeak(curve: [Double], at best: Int) -> Double {
        let n = curve.count
        let h = parameters.peakFitHalfWidth
        let lo = max(0, best - h), hi = min(n - 1, best + h)
        guard hi - lo >= 2 else { return delaysSeconds[best] }
        // Fit y = a + b x + c x^2 with x in grid units relative to `best`.
        var s = [Double](repeating: 0, count: 5), t = [Double](repeating: 0, count: 3)
        for d in lo...hi {
            let x = Double(d - best), y = curve[d]
            var p = 1.0
            for k in 0..<5 { s[k] += p; if k < 3 { t[k] += p * y }; p *= x }
        }
        // Solve the 3x3 normal equations by Cramer's rule.
        let m = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]]
        func det(_ a: [[Double]]) -> Double {
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        }
        let dm = det(m)
        guard abs(dm) > 1e-12 else { return delaysSeconds[best] }
        var mb = m, mc = m
        for r in 0..<3 { mb[r][1] = t[r]; mc[r][2] = t[r] }
        let b = det(mb) / dm, c = det(mc) / dm
        guard c < 0 else { return delaysSeconds[best] }
        let offset = max(-1, min(1, -b / (2 * c)))
        let step = delaysSeconds[1] - delaysSeconds[0]
        return delaysSeconds[best] + offset * step
    }
}

/// Reads Jeffress-array frames as they come: adds them to the whole sound's activity and, when
/// asked, estimates each frame on its own (the track).
public struct FrameReadout: Sendable {
    public let readout: ITDReadout
    public let channelCount: Int
    public let keepsTrack: Bool
    /// Detector spikes summed over all frames so far, `[channel * delays + delay]`.
    public private(set) var activity: [Int64]

    public init(readout: ITDReadout, channelCount: Int, keepsTrack: Bool) {
        self.readout = readout
        self.channelCount = channelCount
        self.keepsTrack = keepsTrack
        activity = .init(repeating: 0, count: channelCount * readout.delaysSeconds.count)
    }

    /// Adds one frame; returns its own estimate when the track is kept (nil otherwise, or when
    /// the frame has no direction).
    public mutating func absorb(_ frame: ITDFrame) -> ITDEstimate? {
        frame.counts.withUnsafeBufferPointer { counts in
            activity.withUnsafeMutableBufferPointer { sum in
                for i in 0..<min(counts.count, sum.count) { sum[i] += Int64(counts[i]) }
            }
        }
        return keepsTrack ? readout.estimate(counts: frame.counts, channelCount: channelCount) : nil
    }

    /// The estimate from all frames so far.
    public func overall() -> ITDEstimate? { readout.estimate(counts: activity, channelCount: channelCount) }
}
