import Decoding
import HRTF
import Pipeline
import Stimuli

/// Learns the model's own ITD-to-azimuth curve from a head-related transfer function set: it
/// renders calibration sounds at many azimuths, runs the temporal code on each, and keeps the
/// mean best ITD per azimuth. The model's ITD differs from the acoustic one (low frequencies see
/// larger ITDs than high ones, Kuhn 1977), so learning it through the model itself absorbs that.
///
/// Beside the broadband curve it learns each channel's own: the best ITD of that channel's
/// detectors alone (the peak nearest the whole sound's ITD, refined as the readout refines it),
/// averaged over the sounds. A channel whose detectors show no peak at an azimuth (the highest
/// ones, whose phase locking has faded) takes the broadband ITD there. It also keeps how much each
/// channel carried the calibration sounds' ITDs, so that a sound weighed like them is read on the
/// broadband curve (`ITDCalibration.azimuthDegrees(itdSeconds:channelWeights:)`).
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
        let readout = ITDReadout(parameters: configuration.readout, delaysSeconds: configuration.jeffress.delaysSeconds)
        let channels = configuration.cochlea.centreFrequenciesHz(sampleRateHz: sofa.sampleRateHz).count
        var azimuths: [Double] = []
        var itds: [Double] = []
        var channelITDs: [[Double]] = []
        var weightSums = [Double](repeating: 0, count: channels)
        for (n, az) in azimuthsDegrees.enumerated() {
            var found: [Double] = []
            var sums = [Double](repeating: 0, count: channels)
            var counts = [Int](repeating: 0, count: channels)
            for sound in sounds {
                let (left, right) = scene.ears(sound, azimuthDegrees: az, snrDecibels: nil, noiseSeed: 0)
                let result = Localizer.localize(
                    left: left, right: right, sampleRateHz: sofa.sampleRateHz, configuration: configuration)
                guard let itd = result.temporal?.itdSeconds else { continue }
                found.append(itd)
                let activity = result.activity.map(Double.init)
                let w = readout.channelWeights(counts: activity, channelCount: channels, itdSeconds: itd)
                let total = w.reduce(0, +)
                if total > 0 { for c in 0..<channels { weightSums[c] += w[c] / total } }
                for c in 0..<channels {
                    if let x = Self.channelITD(
                        activity, channel: c, delayCount: configuration.jeffress.delaysSeconds.count, readout: readout,
                        near: itd)
                    {
                        sums[c] += x
                        counts[c] += 1
                    }
                }
            }
            if !found.isEmpty {
                let mean = found.reduce(0, +) / Double(found.count)
                azimuths.append(az)
                itds.append(mean)
                channelITDs.append((0..<channels).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : mean })
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
        let weightTotal = weightSums.reduce(0, +)
        return ITDCalibration(
            azimuthsDegrees: azimuths, itdsSeconds: itds, source: source, channelITDsSeconds: channelITDs,
            calibrationChannelWeights: weightTotal > 0 ? weightSums.map { $0 / weightTotal } : nil)
    }

    /// Channel `c`'s best ITD in `activity` (`[channel * delays + delay]`), on its own: the peak
    /// nearest `itd` (a channel's curve repeats every period), nil where it has no significant one.
    static func channelITD(
        _ activity: [Double], channel c: Int, delayCount n: Int, readout: ITDReadout, near itd: Double
    ) -> Double? {
        let counts = Array(activity[(c * n)..<((c + 1) * n)])
        let decision = readout.decide(counts: counts, channelCount: 1, preferringPeakNear: itd, sideSettled: true)
        return try? decision.get().itdSeconds
    }
}
