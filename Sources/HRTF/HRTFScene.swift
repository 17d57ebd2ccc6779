import DSP
import Stimuli

/// Places seeded sounds around a head described by a SOFA file, all in memory: what
/// `soundloc render` does, without files (Evaluation runs the model on the ear signals).
public struct HRTFScene: Sendable {
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
        -> (left: [Float], right: [Float])
    {
        let mono = sound.samples(durationSeconds: durationSeconds, sampleRateHz: sofa.sampleRateHz, rms: sourceRMS)
        var (left, right) = BinauralRenderer.render(mono, through: sofa.impulseResponse(azimuthDegrees: azimuthDegrees))
        if let snrDecibels {
            var generator = SeededGenerator(seed: noiseSeed)
            BinauralRenderer.addUncorrelatedNoise(
                left: &left, right: &right, snrDecibels: snrDecibels, generator: &generator)
        }
        return (left, right)
    }
}
