import DSP

/// Synthetic test sounds. All are mono, at a given sample rate, with raised-cosine onset and
/// offset ramps (so there are no clicks at the edges) and a given RMS level.
public enum Stimulus: Sendable, Equatable {
    /// Gaussian white noise.
    case whiteNoise
    /// Equal-amplitude harmonics of `fundamentalHz` up to `highestHz`, random starting phases.
    case harmonicComplex(fundamentalHz: Double, highestHz: Double)
    /// Alternating-free click train: one-sample pulses every 1/`rateHz` seconds.
    case clickTrain(rateHz: Double)
    /// A vowel-like sound: a glottal pulse train with a gliding pitch, shaped by three formant
    /// resonators and interrupted like syllables. Synthetic, so it carries no licence.
    case speechLike(fundamentalHz: Double)

    /// The short name used in file names and manifests.
    public var name: String {
        switch self {
        case .whiteNoise: "noise"
        case .harmonicComplex: "harmonic"
        case .clickTrain: "clicks"
        case .speechLike: "speechlike"
        }
    }

    /// Renders `durationSeconds` of the sound at `sampleRateHz`, scaled to `rms` (full scale = 1),
    /// with `rampSeconds` raised-cosine ramps at both ends.
    public func render(
        durationSeconds: Double, sampleRateHz: Double, rms: Double = 0.05,
        rampSeconds: Double = 0.01, generator: inout SeededGenerator
    ) -> [Float] {
        let n = max(0, Int((durationSeconds * sampleRateHz).rounded()))
        var x = [Double](repeating: 0, count: n)
        switch self {
        case .whiteNoise:
            for i in 0..<n { x[i] = generator.nextGaussian() }
        case .harmonicComplex(let f0, let fmax):
            // Bounded work whatever the caller passes: at most 10 000 components (a 0.5 Hz
            // fundamental up to 5 kHz); a non-positive or non-finite f0 gives a single component.
            let ratio = min(fmax, 0.45 * sampleRateHz) / f0
            let count = ratio.isFinite && ratio >= 1 ? min(10_000, Int(ratio)) : 1
            for h in 1...count {
                let phase = 2 * Double.pi * generator.nextOpenUnit()
                let w = 2 * Double.pi * Double(h) * f0 / sampleRateHz
                for i in 0..<n { x[i] += _cos(w * Double(i) + phase) }
            }
        case .clickTrain(let rate):
            let period = sampleRateHz / rate
            // Compared as Double: a rate near 0 gives a period too large for Int, one click or none.
            var t = 0.5 * period
            while t.isFinite && t >= 0 && t < Double(n) {
                x[Int(t)] = 1
                t += max(period, 1)
            }
        case .speechLike(let f0):
            x = Self.speechLike(n: n, f0: f0, fs: sampleRateHz, generator: &generator)
        }
        Self.applyRamps(&x, rampSamples: Int(rampSeconds * sampleRateHz))
        let power = x.reduce(0) { $0 + $1 * $1 } / Double(max(n, 1))
        let gain = power > 0 ? rms / power.squareRoot() : 0
        return x.map { Float($0 * gain) }
    }

    static func applyRamps(_ x: inout [Double], rampSamples: Int) {
        let r = min(rampSamples, x.count / 2)
        guard r > 0 else { return }
        for i in 0..<r {
            let g = 0.5 - 0.5 * _cos(Double.pi * Double(i) / Double(r))
            x[i] *= g
            x[x.count - 1 - i] *= g
        }
    }

    /// Pulse train with a slow pitch glide, through formant resonators (500, 1500, 2500 Hz, a
    /// neutral vowel), gated into 200 ms syllables with 50 ms gaps.
    static func speechLike(n: Int, f0: Double, fs: Double, generator: inout SeededGenerator) -> [Double] {
        var source = [Double](repeating: 0, count: n)
        var phase = 0.0
        for i in 0..<n {
            let t = Double(i) / fs
            let f = f0 * (1 + 0.15 * _sin(2 * Double.pi * 3 * t))
            phase += f / fs
            if phase >= 1 {
                phase -= 1
                source[i] = 1
            }
            source[i] += 0.02 * generator.nextGaussian()  // breath noise
        }
        var out = [Double](repeating: 0, count: n)
        for (formant, bandwidth) in [(500.0, 80.0), (1500.0, 120.0), (2500.0, 160.0)] {
            let r = _exp(-Double.pi * bandwidth / fs)
            let a1 = 2 * r * _cos(2 * Double.pi * formant / fs)
            let a2 = -r * r
            var y1 = 0.0
            var y2 = 0.0
            for i in 0..<n {
                let y = source[i] + a1 * y1 + a2 * y2
                y2 = y1
                y1 = y
                out[i] += y * (1 - r)
            }
        }
        let syllable = Int(0.25 * fs)
        let voiced = Int(0.2 * fs)
        for i in 0..<n where syllable > 0 && i % syllable >= voiced { out[i] = 0 }
        return out
    }
}
