import DSP
import Decoding
import HRTF
import Pipeline
import Stimuli

/// Learns what the model's lateral superior olives do at each azimuth of a head: renders a mix of
/// synthetic sounds through its SOFA responses, runs the model, and keeps per channel the mean
/// (right - left) / (right + left) LSO spike difference and its spread across the mix.
///
/// The mix stands for what the tool meets: broadband noise, harmonic complexes at 200, 700 and
/// 1400 Hz (the last two narrowband in the channels that matter, like alarms and chimes), a
/// speech-like sound and a click train; each at -26 dB FS in quiet and at -36 dB FS with
/// uncorrelated noise at 10 dB SNR per ear, so that the table holds for levels and noise as well.
/// Seeds 9201 and up are kept apart from the ITD calibration (9001+), its check (9101+) and
/// audio-samples; the development set's sources are never used.
public struct LSOCalibrationBuilder: Sendable {
    /// Model settings; the level cue is switched off while learning (the counts do not depend on it).
    var configuration: LocalizerConfiguration
    /// Azimuths, in degrees, ascending.
    var azimuthsDegrees: [Double] = Array(stride(from: -90.0, through: 90, by: 10))
    var sounds: [Stimulus] = [
        .whiteNoise, .harmonicComplex(fundamentalHz: 200, highestHz: 8000),
        .harmonicComplex(fundamentalHz: 700, highestHz: 8000), .harmonicComplex(fundamentalHz: 1400, highestHz: 8000),
        .speechLike(fundamentalHz: 130), .clickTrain(rateHz: 50),
    ]
    /// (source RMS re full scale, SNR in dB per ear or nil for none).
    var conditions: [(rms: Double, snrDecibels: Double?)] = [(0.05, nil), (0.0158, 10)]
    /// Length of each sound, in seconds.
    var durationSeconds: Double = 0.5
    /// Renderings run at once.
    public var jobs = 1

    public init(configuration: LocalizerConfiguration) {
        self.configuration = configuration
        self.configuration.lsoCalibration = nil
    }

    /// Builds the table. `progress` receives (renderings done, renderings in all).
    public func build(sofa: SofaFile, progress: (@Sendable (Int, Int) -> Void)? = nil) -> LSOCalibration {
        let scene = HRTFScene(sofa: sofa, durationSeconds: durationSeconds)
        let perAzimuth = sounds.count * conditions.count
        let total = azimuthsDegrees.count * perAzimuth
        let configuration = configuration
        let counts: [[[Int]]] = ParallelMap.run(
            count: total, jobs: jobs,
            { i in
                let az = azimuthsDegrees[i / perAzimuth]
                let k = i % perAzimuth
                let condition = conditions[k % conditions.count]
                let seed = 9201 + UInt64(i)
                var s = scene
                s.sourceRMS = condition.rms
                let (left, right) = s.ears(
                    SeededSound(sounds[k / conditions.count], seed: seed), azimuthDegrees: az,
                    snrDecibels: condition.snrDecibels, noiseSeed: seed)
                return Localizer.localize(
                    left: left, right: right, sampleRateHz: sofa.sampleRateHz, configuration: configuration
                ).lsoSpikeCounts
            }, done: { progress?($0, total) })
        let channels = counts.first?[0].count ?? 0
        var means: [[Double]] = []
        var spreads: [[Double]] = []
        for a in azimuthsDegrees.indices {
            let group = counts[(a * perAzimuth)..<((a + 1) * perAzimuth)]
            var mean = [Double](repeating: 0, count: channels)
            var spread = [Double](repeating: 0, count: channels)
            for c in 0..<channels {
                // Spike-weighted, so that a rendering with few LSO spikes counts for little.
                var n = 0.0
                var sum = 0.0
                var squares = 0.0
                for s in group {
                    let l = Double(s[0][c])
                    let r = Double(s[1][c])
                    guard l + r > 0 else { continue }
                    let d = (r - l) / (r + l)
                    n += l + r
                    sum += (r - l)
                    squares += d * d * (l + r)
                }
                guard n > 0 else { continue }
                mean[c] = sum / n
                spread[c] = max(0, squares / n - mean[c] * mean[c]).squareRoot()
            }
            means.append(mean)
            spreads.append(spread)
        }
        let file = sofa.path.split(separator: "/").last.map(String.init) ?? sofa.path
        return LSOCalibration(
            azimuthsDegrees: azimuthsDegrees, rateDifferences: means, spreads: spreads,
            source:
                "\(file), \(sounds.map(\.name).joined(separator: " ")), \(conditions.count) levels, "
                + "\(durationSeconds) s, \(channels) channels")
    }

    /// The table as Swift source, for the shipped default.
    public static func swiftSource(_ calibration: LSOCalibration, command: String) -> String {
        func rows(_ table: [[Double]]) -> String {
            table.map { row in
                "            ["
                    + stride(from: 0, to: row.count, by: 12).map { i in
                        row[i..<min(i + 12, row.count)].map { String(format: "%.3f", $0) }.joined(separator: ", ")
                    }.joined(separator: ",\n             ") + ",\n            ],"
            }.joined(separator: "\n")
        }
        return """
            // Generated by `\(command)`.
            // Regenerate it whenever the model changes; do not edit by hand.
            import Decoding

            extension LSOCalibration {
                /// The LSO spike differences per azimuth (rows, degrees) and channel (columns), learned
                /// from a synthetic mix rendered through the MIT KEMAR head-related impulse responses
                /// (Gardner & Martin 1994) with the default model settings.
                static let kemar = LSOCalibration(
                    azimuthsDegrees: [
            \(rows([calibration.azimuthsDegrees]).replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: ""))
                    ],
                    rateDifferences: [
            \(rows(calibration.rateDifferences))
                    ],
                    spreads: [
            \(rows(calibration.spreads))
                    ],
                    source: \(String(reflecting: calibration.source)))
            }

            """
    }
}
