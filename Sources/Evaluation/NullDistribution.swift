import DSP
import Decoding
import Pipeline
import Stimuli

/// Stereo inputs that carry no direction, for measuring how often the model reports one anyway
/// (its false-alarm rate). None is bit-identical in the two ears: identical channels are
/// answered as "ahead" by construction (`LocalizationResult.isDiotic`), which would hide the
/// read-out's own behaviour.
public enum NullInput: String, CaseIterable, Sendable {
    /// Half a second of zeros with one sample of 1e-30 in each ear, at different times: not
    /// digital silence, so the model runs, but the fibres fire only spontaneously.
    case nearSilence = "near-silence"
    /// Independent Gaussian noise in each ear at -100 dBFS (RMS 1e-5), far below the fibres'
    /// thresholds.
    case quietNoise = "noise-100dBFS"
    /// Independent noise in each ear at an ordinary level (RMS 0.05): audible, but with no
    /// interaural correlation, so no time difference to find (a perfectly diffuse field).
    case independentNoise = "independent-noise"
    /// One noise with the right ear's polarity inverted (left = -right), at RMS 0.05: there is no
    /// time difference, and the cross-correlation has a trough where a diotic sound has its peak.
    case antiPhase = "anti-phase"
    /// One noise in both ears (RMS 0.05) with independent dither of one 16-bit step (RMS
    /// 2^-15) added to each: a sound straight ahead whose channels are not bit-identical. Its
    /// truthful answer is "ahead", so what counts here is a direction more than
    /// `NullMeasurement.aheadToleranceDegrees` to either side.
    case dioticDither = "diotic+dither"

    /// Half a second at `sampleRateHz`; the noise comes from `seed`.
    public func samples(seed: UInt64, sampleRateHz fs: Double) -> (left: [Float], right: [Float]) {
        let seconds = 0.5
        var g = SeededGenerator(seed: seed)
        func noise(rms: Double) -> [Float] {
            Stimulus.whiteNoise.render(durationSeconds: seconds, sampleRateHz: fs, rms: rms, generator: &g)
        }
        switch self {
        case .nearSilence:
            let n = Int(seconds * fs)
            var left = [Float](repeating: 0, count: n)
            var right = left
            left[n / 4] = 1e-30
            right[n / 2] = 1e-30
            return (left, right)
        case .quietNoise:
            return (noise(rms: 1e-5), noise(rms: 1e-5))
        case .independentNoise:
            return (noise(rms: 0.05), noise(rms: 0.05))
        case .antiPhase:
            let x = noise(rms: 0.05)
            return (x, x.map { -$0 })
        case .dioticDither:
            let x = noise(rms: 0.05)
            let lsb = 1.0 / 32768
            return (
                zip(x, noise(rms: lsb)).map { $0 + $1 },
                zip(x, noise(rms: lsb)).map { $0 + $1 }
            )
        }
    }
}

/// How often each code reported a direction it should not have for one kind of null input.
public struct NullMeasurement: Sendable {
    /// For `NullInput.dioticDither`, whose truthful answer is ahead: a direction within this many
    /// degrees of 0 is right, not a false alarm. 10 degrees is the coarsest accuracy bin that
    /// `compare` reports.
    public static let aheadToleranceDegrees = 10.0

    var input: NullInput
    var runs: Int
    /// Runs whose temporal (rate) direction was a false alarm: any direction, or for
    /// `dioticDither` one more than `aheadToleranceDegrees` from ahead.
    public var temporalFalseAlarms: Int
    public var rateFalseAlarms: Int
    /// Runs whose rate direction was more than `aheadToleranceDegrees` from ahead. A count code sees
    /// each ear's level and envelope only, and every null input has the same level in both ears, so
    /// "ahead" is what a level observer truthfully reports; a side answer is made up.
    public var rateSideAnswers: Int
    /// The temporal read-out's detection statistic (`ITDReadout.evidence`) of each run, whether
    /// or not it passed the threshold: the null distribution itself.
    public var evidence: [Double]

    public var temporalRate: Double { Double(temporalFalseAlarms) / Double(max(runs, 1)) }
    public var rateRate: Double { Double(rateFalseAlarms) / Double(max(runs, 1)) }

    /// Whether `estimate` is a false alarm for this input.
    func isFalseAlarm(_ estimate: DirectionEstimate?) -> Bool {
        guard let estimate else { return false }
        return input != .dioticDither || abs(estimate.azimuthDegrees) > Self.aheadToleranceDegrees
    }
}

/// Runs the model over null inputs, one fibre seed per run.
public struct NullDistribution: Sendable {
    var configuration: LocalizerConfiguration
    var sampleRateHz: Double

    public init(configuration: LocalizerConfiguration = .init(), sampleRateHz: Double = 44100) {
        self.configuration = configuration
        self.sampleRateHz = sampleRateHz
    }

    /// `seeds` runs of `input`; run k uses fibre seed `firstSeed + k` and sound seed
    /// `firstSeed + k + 1_000_000` (so that the sound and the fibres never share a stream).
    public func measure(_ input: NullInput, seeds: Int, firstSeed: UInt64 = 1) -> NullMeasurement {
        var m = NullMeasurement(
            input: input, runs: seeds, temporalFalseAlarms: 0, rateFalseAlarms: 0, rateSideAnswers: 0, evidence: [])
        let readout = ITDReadout(
            parameters: configuration.readout, delaysSeconds: configuration.jeffress.delaysSeconds)
        for k in 0..<UInt64(max(0, seeds)) {
            var c = configuration
            c.seed = firstSeed + k
            let (left, right) = input.samples(seed: firstSeed + k + 1_000_000, sampleRateHz: sampleRateHz)
            let r = Localizer.localize(left: left, right: right, sampleRateHz: sampleRateHz, configuration: c)
            if m.isFalseAlarm(r.temporal) { m.temporalFalseAlarms += 1 }
            if m.isFalseAlarm(r.rate) { m.rateFalseAlarms += 1 }
            if let rate = r.rate, abs(rate.azimuthDegrees) > NullMeasurement.aheadToleranceDegrees {
                m.rateSideAnswers += 1
            }
            m.evidence.append(readout.evidence(counts: r.activity, channelCount: r.channelCount))
        }
        return m
    }
}
