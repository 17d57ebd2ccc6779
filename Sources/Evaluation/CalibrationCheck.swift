import Decoding
import HRTF
import Pipeline
import Stimuli

/// Scores a head model on HRTF renderings it was not learned from: held-out sounds at every
/// azimuth, in several noise conditions; the error is on the lateral angle, in degrees.
public struct CalibrationCheck {
    public struct Condition: Sendable, Equatable {
        public var name: String
        /// Per-ear signal-to-noise ratio in dB; nil = no added noise.
        var snrDecibels: Double?
        public init(name: String, snrDecibels: Double?) {
            self.name = name
            self.snrDecibels = snrDecibels
        }
    }

    /// The outcome for one condition.
    public struct Score: Sendable, Equatable {
        public var condition: Condition
        /// Mean absolute lateral-angle error, in degrees, per head model (same order as asked).
        public var meanAbsoluteErrorDegrees: [Double]
        /// Largest absolute error per head model, in degrees, and the true azimuth where it happened.
        public var maximumAbsoluteErrorDegrees: [Double]
        public var worstAzimuthDegrees: [Double]
        /// Renderings scored, and those where the model gave no direction (counted as a 90-degree error).
        public var trials: Int
        public var misses: Int
    }

    /// Model settings (the head model in it is ignored: the ones to compare are given to `run`).
    var configuration: LocalizerConfiguration
    public var azimuthsDegrees: [Double] = Array(stride(from: -90.0, through: 90, by: 5))
    /// A noise and a harmonic complex with seeds the calibration never uses.
    public var sounds: [SeededSound] = CalibrationCheck.heldOutSounds
    public var conditions: [Condition] = [
        .init(name: "anechoic", snrDecibels: nil), .init(name: "20 dB SNR", snrDecibels: 20),
        .init(name: "0 dB SNR", snrDecibels: 0),
    ]
    public var durationSeconds: Double = 0.5

    public static let heldOutSounds = [
        SeededSound(.whiteNoise, seed: 9101),
        SeededSound(.harmonicComplex(fundamentalHz: 200, highestHz: 5000), seed: 9102),
    ]

    public init(configuration: LocalizerConfiguration) {
        self.configuration = configuration
    }

    /// Runs the model once per rendering and maps its best ITD through each of `headModels`.
    public func run(sofa: SofaFile, headModels: [HeadModel], progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Score]
    {
        let scene = HRTFScene(sofa: sofa, durationSeconds: durationSeconds)
        let total = conditions.count * sounds.count * azimuthsDegrees.count
        var done = 0
        return conditions.enumerated().map { c, condition in
            var sum = [Double](repeating: 0, count: headModels.count)
            var worst = sum
            var worstAzimuth = sum
            var misses = 0
            var trials = 0
            for (s, sound) in sounds.enumerated() {
                for (a, az) in azimuthsDegrees.enumerated() {
                    let noiseSeed = 9500 + UInt64((c * sounds.count + s) * azimuthsDegrees.count + a)
                    let estimate = scene.temporalEstimate(
                        sound, azimuthDegrees: az, snrDecibels: condition.snrDecibels,
                        noiseSeed: noiseSeed, configuration: configuration)
                    trials += 1
                    if estimate == nil { misses += 1 }
                    for (m, model) in headModels.enumerated() {
                        let error = estimate.map { abs(model.azimuthDegrees(itdSeconds: $0.itdSeconds) - az) } ?? 90
                        sum[m] += error
                        if error > worst[m] {
                            worst[m] = error
                            worstAzimuth[m] = az
                        }
                    }
                    done += 1
                    progress?(done, total)
                }
            }
            return Score(
                condition: condition, meanAbsoluteErrorDegrees: sum.map { $0 / Double(max(trials, 1)) },
                maximumAbsoluteErrorDegrees: worst, worstAzimuthDegrees: worstAzimuth, trials: trials, misses: misses)
        }
    }
}
