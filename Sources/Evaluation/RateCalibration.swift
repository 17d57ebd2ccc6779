import DSP
import Decoding
import Foundation
import HRTF
import Pipeline
import RateCoding
import Stimuli

/// A stereo sound of known direction, for calibrating a decoder. Any renderer can make them (pure
/// ITD today; a head-related transfer function set once one is available), so both codes can be
/// calibrated on the same sounds.
public struct CalibrationSound: Sendable {
    /// True lateral angle, in degrees.
    public var azimuthDegrees: Double
    public var left: [Float], right: [Float]
    var sampleRateHz: Double
    /// Cross-validation fold (0 or 1); every direction should have sounds in both.
    public var fold: Int
    /// What it is, e.g. "noise token 1".
    var label: String

    init(azimuthDegrees: Double, left: [Float], right: [Float], sampleRateHz: Double, fold: Int, label: String) {
        self.azimuthDegrees = azimuthDegrees
        self.left = left
        self.right = right
        self.sampleRateHz = sampleRateHz
        self.fold = fold
        self.label = label
    }
}

/// The calibration sounds soundloc makes itself.
public enum CalibrationSounds {
    /// How calibration sounds are placed at their directions.
    public enum Renderer: Sendable, Equatable, CustomStringConvertible {
        /// The head model's ITD, nothing else (`pureITD`).
        case pureITD(HeadModel)
        /// Through a SOFA file's head-related impulse responses (`hrtf`).
        case hrtf(sofaPath: String)

        public var description: String {
            switch self {
            case .pureITD: "pure-ITD sounds (the head model's ITD, no level difference)"
            case .hrtf(let path): "sounds rendered through \((path as NSString).lastPathComponent)"
            }
        }
    }

    /// Renders calibration sounds at `sampleRateHz`. Throws `SofaError` when the SOFA file is unusable.
    static func render(_ renderer: Renderer, sampleRateHz: Double, settings: Settings = .init()) throws
        -> [CalibrationSound]
    {
        switch renderer {
        case .pureITD(let head): return pureITD(headModel: head, sampleRateHz: sampleRateHz, settings: settings)
        case .hrtf(let path):
            return hrtf(
                scene: HRTFScene(sofa: try SofaFile(path: path, sampleRateHz: sampleRateHz)), settings: settings)
        }
    }

    /// What `pureITD` and `hrtf` render, with units.
    public struct Settings: Sendable, Equatable {
        /// Directions from -90 to 90 degrees in this step, in degrees.
        public var azimuthStepDegrees = 10.0
        public var durationSeconds = 0.5
        /// Independent tokens per source and direction (alternate tokens go to alternate folds).
        var tokensPerSource = 2
        /// RMS level, full scale = 1 (0.05 is -26 dB, the level of the bundled samples).
        var rms = 0.05
        /// Seed of the calibration sounds; differs from those the bundled samples were made with
        /// (11-24). Through an HRTF, the noises are seeded seed, seed + 1, ...: by default 9001-9004,
        /// the sounds `CalibrationBuilder` teaches the temporal code with.
        var seed: UInt64 = 9001
        public init() {}
    }

    /// White noise and a 150 Hz harmonic complex (not the 220 Hz of the bundled samples) at each
    /// direction, with the head model's ITD and no level difference: the ITD applied as a
    /// fractional delay, half to each ear, as `soundloc render --woodworth` does.
    public static func pureITD(headModel: HeadModel, sampleRateHz: Double, settings: Settings = .init())
        -> [CalibrationSound]
    {
        let steps = Int((180 / settings.azimuthStepDegrees).rounded(.down))
        let azimuths = (0...steps).map { -90 + Double($0) * settings.azimuthStepDegrees }
        let sources: [Stimulus] = [.whiteNoise, .harmonicComplex(fundamentalHz: 150, highestHz: 8000)]
        var sounds: [CalibrationSound] = []
        var g = SeededGenerator(seed: settings.seed)
        let delay = FractionalDelay()
        for az in azimuths {
            let itd = headModel.itdSeconds(azimuthDegrees: az)
            for source in sources {
                for token in 0..<settings.tokensPerSource {
                    let x = source.render(
                        durationSeconds: settings.durationSeconds, sampleRateHz: sampleRateHz,
                        rms: settings.rms, generator: &g)
                    let ears = delay.interauralPair(x, itdSeconds: itd, sampleRateHz: sampleRateHz)
                    sounds.append(
                        CalibrationSound(
                            azimuthDegrees: az, left: ears.left, right: ears.right,
                            sampleRateHz: sampleRateHz, fold: token % 2, label: "\(source.name) token \(token + 1)"))
                }
            }
        }
        return sounds
    }

    /// 2 x `tokensPerSource` white noises (seeds `seed`, `seed` + 1, ...) at each direction,
    /// rendered through the scene's head-related impulse responses at elevation 0, no added noise:
    /// the same sounds the temporal code's HRTF calibration learns from, so both codes are
    /// calibrated alike.
    static func hrtf(scene: HRTFScene, settings: Settings = .init()) -> [CalibrationSound] {
        var scene = scene
        scene.durationSeconds = settings.durationSeconds
        scene.sourceRMS = settings.rms
        let steps = Int((180 / settings.azimuthStepDegrees).rounded(.down))
        var sounds: [CalibrationSound] = []
        for az in (0...steps).map({ -90 + Double($0) * settings.azimuthStepDegrees }) {
            for k in 0..<(2 * settings.tokensPerSource) {
                let sound = SeededSound(.whiteNoise, seed: settings.seed + UInt64(k))
                let (left, right) = scene.ears(sound, azimuthDegrees: az, snrDecibels: nil, noiseSeed: 0)
                sounds.append(
                    CalibrationSound(
                        azimuthDegrees: az, left: left, right: right, sampleRateHz: scene.sofa.sampleRateHz,
                        fold: k % 2, label: sound.name))
            }
        }
        return sounds
    }
}

/// What one set of calibration sounds teaches both codes.
struct Calibrations: Sendable {
    /// The rate code's read-out, one per window width.
    var rate: [RateCodeCalibration]
    /// The temporal code's ITD-to-azimuth curve: its mean best ITD at each calibration direction.
    var temporal: ITDCalibration?
}

/// Learns both codes from one set of calibration sounds: the rate code's read-out, one per window
/// width, and the temporal code's ITD curve, all from the same spikes (one model run per sound).
enum Calibrator {
    /// Returns the rate read-out for each entry of `windowsSeconds`, in order, and the temporal
    /// code's ITD-to-azimuth curve. `configuration` supplies everything else (cochlea, seed); its
    /// rate settings are replaced. `readout` forces a read-out; nil keeps each window's best by
    /// cross-validation; `cues` limits what it reads. `jobs` sounds run in parallel; `progress`
    /// receives (sounds done, sounds in all).
    static func calibrate(
        sounds: [CalibrationSound], configuration: LocalizerConfiguration,
        windowsSeconds: [Double], readout: RateCodeCalibration.Readout? = nil,
        cues: RateCodeCalibration.Cues = .all, source: String, jobs: Int = 1,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> Calibrations {
        precondition(!windowsSeconds.isEmpty && !sounds.isEmpty)
        var c = configuration
        c.rateWindowSeconds = windowsSeconds[0]
        c.rateCalibration = nil
        c.sweepRateWindowsSeconds = Array(windowsSeconds.dropFirst())
        c.keepsTrack = false
        let runs = ParallelMap.run(count: sounds.count, jobs: jobs) {
            [c] i -> (features: [RateFeatures], itdSeconds: Double?) in
            let s = sounds[i]
            var sound = c
            // Each sound gets its own fibre noise, as a new recording would.
            sound.seed = configuration.seed &+ 7919 &* UInt64(i + 1)
            let r = Localizer.localize(left: s.left, right: s.right, sampleRateHz: s.sampleRateHz, configuration: sound)
            return ([r.rateFeatures] + r.rateSweep, r.temporal?.itdSeconds)
        } done: {
            progress?($0, sounds.count)
        }
        let rate = windowsSeconds.indices.map { w in
            RateCodeCalibration.train(
                sounds.indices.map {
                    RateCodeCalibration.Sample(
                        features: runs[$0].features[w], azimuthDegrees: sounds[$0].azimuthDegrees, fold: sounds[$0].fold
                    )
                }, source: source, readout: readout, cues: cues)
        }
        // Directions where no sound gave a temporal answer are left out of the curve.
        var itds: [Double: [Double]] = [:]
        for (s, run) in zip(sounds, runs) {
            if let itd = run.itdSeconds { itds[s.azimuthDegrees, default: []].append(itd) }
        }
        let azimuths = itds.keys.sorted()
        let temporal =
            azimuths.count < 2
            ? nil
            : ITDCalibration(
                azimuthsDegrees: azimuths,
                itdsSeconds: azimuths.map { itds[$0]!.reduce(0, +) / Double(itds[$0]!.count) }, source: source)
        return Calibrations(rate: rate, temporal: temporal)
    }
}
