import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vector strength of spike times at one frequency (Goldberg & Brown 1969, J. Neurophysiol.
/// 32:613): the length of the mean of unit vectors at each spike's phase. 1 means every spike at
/// the same phase; spikes unrelated to the frequency give about 1/sqrt(count).
///
/// Accumulates spike by spike, so a long sound needs no memory of its spikes.
public struct VectorStrength: Sendable {
    let frequencyHz: Double
    private(set) var count = 0
    var sumCos = 0.0, sumSin = 0.0

    public init(frequencyHz: Double) { self.frequencyHz = frequencyHz }

    mutating func add(spikeAtSeconds t: Double) {
        // Reduce the phase to one cycle first, so long times lose no precision in cos and sin.
        let cycles = t * frequencyHz
        let phase = 2 * Double.pi * (cycles - cycles.rounded(.down))
        sumCos += cos(phase)
        sumSin += sin(phase)
        count += 1
    }

    public mutating func add<S: Sequence>(spikesAtSeconds times: S) where S.Element == Double {
        for t in times { add(spikeAtSeconds: t) }
    }

    /// Nil without spikes.
    public var value: Double? {
        count > 0 ? (sumCos * sumCos + sumSin * sumSin).squareRoot() / Double(count) : nil
    }
}

/// Finds the fundamental frequency of a periodic sound, to measure phase locking against.
public enum Periodicity {
    /// The fundamental frequency of `samples`, in Hz, or nil if the sound is not periodic.
    ///
    /// The period is the shortest lag (within `lowestHz...highestHz`) at which the normalised
    /// autocorrelation has a local peak of at least `threshold` (a pure tone or a steady harmonic
    /// complex gives nearly 1; noise gives far less). The lag is then refined to a small fraction
    /// of a sample on a multiple of the period near a third of the excerpt, since vector strength
    /// over seconds needs the frequency to a fraction of a hertz.
    public static func fundamentalHz(
        of samples: [Float], sampleRateHz fs: Double, lowestHz: Double = 50,
        highestHz: Double = 5000, threshold: Double = 0.9
    ) -> Double? {
        let x = samples.map(Double.init)
        let n = x.count
        let maxLag = Int(fs / lowestHz)
        let minLag = max(2, Int(fs / highestHz))
        guard n >= 3 * maxLag, maxLag > minLag + 2 else { return nil }
        func r(_ lag: Int) -> Double {
            var xy = 0.0
            var xx = 0.0
            var yy = 0.0
            for i in 0..<(n - lag) {
                xy += x[i] * x[i + lag]
                xx += x[i] * x[i]
                yy += x[i + lag] * x[i + lag]
            }
            return xx > 0 && yy > 0 ? xy / (xx * yy).squareRoot() : 0
        }
        var previous = r(minLag - 1)
        var current = r(minLag)
        var period: Double?
        for lag in minLag...maxLag {
            let next = r(lag + 1)
            if current >= threshold && current >= previous && current > next {
                period = Double(lag) + parabolicVertex(previous, current, next)
                break
            }
            previous = current
            current = next
        }
        guard let t0 = period else { return nil }
        let k = max(1, Int(Double(n / 3) / t0))
        let centre = Int((Double(k) * t0).rounded())
        let lags = (centre - 2)...(centre + 2)
        let values = lags.map(r)
        let best = values.indices.max { values[$0] < values[$1] }!
        guard best > 0 && best < values.count - 1 else { return fs / t0 }
        let refined = Double(lags.lowerBound + best) + parabolicVertex(values[best - 1], values[best], values[best + 1])
        return fs * Double(k) / refined
    }
}
