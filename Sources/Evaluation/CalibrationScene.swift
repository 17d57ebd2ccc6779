import DSP
import Decoding
import HRTF
import Stimuli

/// A synthetic mono sound, made again from its seed whenever it is needed.
public struct SeededSound: Sendable, Equatable {
    public var stimulus: Stimulus
    public var seed: UInt64

    public init(_ stimulus: Stimulus, seed: UInt64) {
        self.stimulus = stimulus
        self.seed = seed
    }

    /// For example "noise#9001".
    public var name: String { "\(stimulus.name)#\(seed)" }

    /// `durationSeconds` of the sound at `rms` (full scale = 1).
    public func samples(durationSeconds: Double, sampleRateHz: Double, rms: Double) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return stimulus.render(durationSeconds: durationSeconds, sampleRateHz: sampleRateHz, rms: rms, generator: &generator)
    }
}

/// Places seeded sounds around a head described by a SOFA file and runs the model on the ear
/// signals, all in memory: what `soundloc render` followed by `soundloc localize` does, without files.
public struct HRTFScene {
    public let sofa: SofaFile
    /// Length of each sound, in seconds (before the response's tail).
    public var durationSeconds: Double = 0.5
    /// RMS of each mono sound before rendering (full scale = 1); 0.05 is -26 dB FS, as in audio-samples.
    public var sourceRMS: Double = 0.05

    public init(sofa: SofaFile, durationSeconds: Double = 0.5) {
        self.sofa = sofa
        self.durationSeconds = durationSeconds
    }

    /// The two ears' signals for `sound` at `azimuthDegrees` (elevation 0), with uncorrelated
    /// noise at `snrDecibels` per ear when given (drawn from `noiseSeed`).
    public func ears(_ sound: SeededSound, azimuthDegrees: Double, snrDecibels: Double?, noiseSeed: UInt64)
        -> (left: [Float], right: [Float]) {
        let mono = sound.samples(durationSeconds: durationSeconds, sampleRateHz: sofa.sampleRateHz, rms: sourceRMS)
        var (left, right) = BinauralRenderer.render(mono, through: sofa.impulseResponse(azimuthDegrees: azimuthDegrees))
        if let snrDecibels {
            var generator = SeededGenerator(seed: noiseSeed)
            BinauralRenderer.addUncorrelatedNoise(left: &left, right: &right, snrDecibels: snrDecibels, generator: &generator)
        }
        return (left, right)
    }

    /// Runs the model on the scene and returns the temporal code's estimate (nil if none).
    public func temporalEstimate(_ sound: SeededSound, azimuthDegrees: Double, snrDecibels: Double?, noiseSeed: UInt64,
                                 configuration: LocalizerConfiguration) -> DirectionEstimate? {
        let (left, right) = ears(sound, azimuthDegrees: azimuthDegrees, snrDecibels: snrDecibels, noiseSeed: noiseSeed)
        let localizer = Localizer(configuration: configuration, sampleRateHz: sofa.sampleRateHz)
        let block = 8192
        var start = 0
        while start < left.count {
            let end = min(start + block, left.count)
            localizer.process(left: Array(left[start..<end]), right: Array(right[start..<end]))
            start = end
        }
        return localizer.finish().temporal
    }
}
