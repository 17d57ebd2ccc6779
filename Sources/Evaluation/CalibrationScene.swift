import HRTF
import Pipeline
import Stimuli

extension HRTFScene {
    /// Runs the model on the scene and returns the temporal code's estimate (nil if none).
    func temporalEstimate(
        _ sound: SeededSound, azimuthDegrees: Double, snrDecibels: Double?, noiseSeed: UInt64,
        configuration: LocalizerConfiguration
    ) -> DirectionEstimate? {
        let (left, right) = ears(sound, azimuthDegrees: azimuthDegrees, snrDecibels: snrDecibels, noiseSeed: noiseSeed)
        return Localizer.localize(
            left: left, right: right, sampleRateHz: sofa.sampleRateHz,
            configuration: configuration
        ).temporal
    }
}
