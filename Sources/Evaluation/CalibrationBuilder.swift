import Decoding
import HRTF
import Pipeline
import Stimuli

/// Learns the model's own ITD-to-azimuth curve from a head-related transfer function set: it
/// renders calibration sounds at many azimuths, runs the temporal code on each, and keeps the
/// mean best ITD per azimuth. The model's ITD differs from the acoustic one (low frequencies see
/// larger ITDs than high ones, Kuhn 1977), so learning it through the model itself absorbs that.
///
/// The calibration sounds use seeds 9001 and up, kept apart from audio-samples (11-24, noise
/// 1001+) and from `CalibrationCheck`'s held-out sounds (9101+), so it is never scored on what
/// it learned from.
public struct CalibrationBuilder {
    /// Model settings; the head model in it is irrelevant (the raw ITDs are learned).
    var configuration: LocalizerConfiguration
    /// Azimuths to calibrate at, in degrees, ascending; default every 5 degrees from -90 to 90.
    public var azimuthsDegrees: [Double] = Array(stride(from: -90.0, through: 90, by: 5))
    /// Broadband noises whose best ITDs are averaged per azimuth: four, so that the model's own
    /// spike-to-spike scatter in the table is halved against one.
    public var sounds: [SeededSound] = (9001...9004).map { SeededSound(.whiteNoise, seed: $0) }
    /// Length of each calibration sound, in seconds.
    public var durationSeconds: Double = 1

    public init(configuration: LocalizerConfiguration) {
        self.configuration = configuration
    }

    /// Builds the calibration. `progress` receives (azimuths done, azimuths in all).
    /// Throws `SofaError.unusable` when fewer than two azimuths gave the model a direction.
    public func build(sofa: SofaFile, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ITDCalibration {
        let scene = HRTFScene(sofa: sofa, durationSeconds: durationSeconds)
        var azimuths: [Double] = []
        var itds: [Double] = []
        for (n, az) in azimuthsDegrees.enumerated() {
            let found = sounds.compactMap {
                scene.temporalEstimate(
                    $0, azimuthDegrees: az, snrDecibels: nil, noiseSeed: 0, configuration: configuration)?.itdSeconds
            }
            if !found.isEmpty {
                azimuths.append(az)
                itds.append(found.reduce(0, +) / Double(found.count))
            }
            progress?(n + 1, azimuthsDegrees.count)
        }
        guard azimuths.count >= 2 else {
            throw SofaError.unusable(path: sofa.path, reason: "the model found a direction at fewer than two azimuths")
        }
        let file = sofa.path.split(separator: "/").last.map(String.init) ?? sofa.path
        let source =
            "\(file), \(sounds.map(\.name).joined(separator: " ")), \(durationSeconds) s, "
            + "\(configuration.cochlea.channelCount) channels, \(configuration.jeffress.delayCount) delays"
        return ITDCalibration(azimuthsDegrees: azimuths, itdsSeconds: itds, source: source)
    }
}
