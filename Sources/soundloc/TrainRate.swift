import ArgumentParser
import Decoding
import Evaluation
import Foundation
import HRTF
import RateCoding

struct TrainRate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-rate",
        abstract: "Train the rate code's read-out on synthetic sounds rendered through a head.",
        discussion: """
            Renders the training mix through the SOFA file's responses every 5 degrees from -90 to 90: \
            per direction --sounds sounds, the kinds in turn (white noise, harmonic complexes, click \
            trains, vowel-like sounds, tones of one to four harmonics; seeds from 70001, never used by the calibration, the bundled \
            samples or the development set), each 0.5 s, scaled so that the louder ear peaks at a \
            random -18...-3 dB FS (as the development set's files are), with uncorrelated noise at a random 0-30 dB SNR per ear (a fifth of them clean). The cochleae \
            and the rate coder turn each into decision frames (one per --rate-window-ms window, at least \
            10 ms; by default each channel's high-spontaneous-rate fibres counted apart from the others, \
            and the level cue read in 4 bands of adjacent channels per group), and a small network \
            (--hidden-units rectified units, then a softmax over the 37 directions) is fitted to them \
            (Adam, L2 penalty, seeded). The model is written as JSON, and with --swift-source as the \
            Swift source of the shipped default (`make rate-model`). It holds for the model settings it \
            was trained with.
            """)

    @Option(help: "SOFA file of head-related impulse responses.")
    var sofa: String = SofaFile.defaultKEMARPath

    @Option(name: .shortAndLong, help: "Output model file (JSON).")
    var output: String?

    @Option(
        name: .customLong("swift-source"),
        help: "Also write the model as Swift source (how the shipped default is made).")
    var swiftSource: String?

    @Option(help: "Training sounds per direction (5...64).")
    var sounds: Int = 10

    @Option(
        name: .customLong("mix-seed"),
        help:
            "First seed of the training sounds (sound i uses seed + i, its noise seed + i + 500000); keep it clear of 5000-6000 (the development set's noises) and 9001-9004 (the calibration's). (100...1e12)"
    )
    var mixSeed: UInt64 = RateTrainingMix().seed

    @Option(
        name: .customLong("fibre-groups"),
        help:
            "1: count each channel's fibres together; 2: count its high-spontaneous-rate fibres apart from the medium and low ones, which still code level where the first are saturated."
    )
    var fibreGroups: Int = 2

    @Option(
        help:
            "Bands of adjacent channels per fibre group in which the level cue is read, their counts summed (0: every channel apart; at most the channels)."
    )
    var bands: Int = 4

    @Option(help: "Training passes over the frames (1...500).")
    var epochs: Int = 30

    @Option(
        name: .customLong("hidden-units"),
        help: "Rectified linear units in the hidden layer (0...256); 0 fits multinomial logistic regression.")
    var hiddenUnits: Int = 32

    @Option(
        name: .customLong("levels-db"), help: "Range of the sounds' peak levels, in dB FS, as LOW,HIGH (each -80...0).")
    var levelsDb: String = "-18,-3"

    @Option(
        help:
            "How a file's frames are combined: file (pool the frames' features, classify once) or frames (classify every frame, sum the log-probabilities)."
    )
    var pooling: String = "frames"

    @Option(help: "Sounds rendered at the same time (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard (5...64).contains(sounds) else { throw ValidationError("--sounds must be 5...64") }
        guard (100...1_000_000_000_000).contains(mixSeed) else {
            throw ValidationError("--mix-seed must be 100...1000000000000 (got \(mixSeed))")
        }
        guard fibreGroups == 1 || fibreGroups == 2 else { throw ValidationError("--fibre-groups must be 1 or 2") }
        guard (0...model.cochlearChannels).contains(bands) else {
            throw ValidationError("--bands must be 0...\(model.cochlearChannels) (got \(bands))")
        }
        guard (1...500).contains(epochs) else { throw ValidationError("--epochs must be 1...500") }
        guard (0...256).contains(hiddenUnits) else { throw ValidationError("--hidden-units must be 0...256") }
        guard let l = levelRange, l.lowerBound >= -80, l.upperBound <= 0 else {
            throw ValidationError("--levels-db must be LOW,HIGH in -80...0 dB FS with LOW <= HIGH (got \(levelsDb))")
        }
        guard RateClassifier.Pooling(rawValue: pooling) != nil else {
            throw ValidationError("--pooling must be file or frames")
        }
        guard jobs >= 1 && jobs <= 1024 else { throw ValidationError("--jobs must be 1...1024 (got \(jobs))") }
    }

    var levelRange: ClosedRange<Double>? {
        let parts = levelsDb.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts[0] <= parts[1] else { return nil }
        return parts[0]...parts[1]
    }

    func run() throws {
        try reportingUserErrors {
            let file = try SofaFile(path: sofa, sampleRateHz: 44100)
            var mix = RateTrainingMix()
            mix.soundsPerAzimuth = sounds
            mix.levelRangeDecibels = levelRange!
            mix.seed = mixSeed
            var settings = RateTraining.Settings()
            settings.epochs = epochs
            settings.hiddenUnits = hiddenUnits
            settings.pooling = RateClassifier.Pooling(rawValue: pooling)!
            let window = model.rateWindowMs / 1000
            var configuration = model.localizerConfiguration(withRateModel: false, concurrentFiles: jobs)
            if fibreGroups == 2 { configuration.rateFibreGroups = .init(cochlea: configuration.cochlea) }
            configuration.rateBandsPerGroup = bands
            let started = Date()
            let collected = RateTraining.frames(
                items: mix.items(), scene: HRTFScene(sofa: file), durationSeconds: mix.durationSeconds,
                configuration: configuration,
                windowsSeconds: [window], jobs: jobs
            ) { done, total in
                FileHandle.standardError.write(Data("\rrendering and hearing: \(done)/\(total) sounds".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            let heard = Date()
            let name = (sofa as NSString).lastPathComponent
            let source =
                "\(mix.soundsPerAzimuth) synthetic sounds per 5 degrees through \(name), seeds from \(mix.seed)"
            let classifier = RateTraining.fit(
                collected.frames[0], layout: collected.layouts[0],
                azimuthsDegrees: mix.azimuthsDegrees, source: source, settings: settings)
            let done = Date()
            if let output { try RateModelFile.save(classifier, path: output) }
            if let swiftSource {
                let command =
                    "soundloc train-rate --sofa \(sofa) --sounds \(sounds) --epochs \(epochs) --hidden-units \(hiddenUnits) --pooling \(pooling) --levels-db=\(levelsDb) --mix-seed \(mixSeed) --fibre-groups \(fibreGroups) --bands \(bands) "
                    + "--rate-window-ms \(model.rateWindowMs) --swift-source FILE"
                try RateModelFile.writeSwiftSource(classifier, command: command, path: swiftSource)
            }
            let frames = collected.frames[0]
            let bySound = Dictionary(grouping: frames, by: \.sound)
            let errors = bySound.values.map { group -> Double in
                var e = RateEvidence(classifier: classifier)
                e.add(frames: group.map(\.features))
                return abs((e.azimuthDegrees ?? 0) - group[0].azimuthDegrees)
            }
            print("frames,features,classes,hearing_s,fitting_s,training_sounds_mae_deg")
            print(
                "\(frames.count),\(classifier.layout.featureCount),\(classifier.classCount),"
                    + String(
                        format: "%.1f,%.1f,%.2f", heard.timeIntervalSince(started), done.timeIntervalSince(heard),
                        errors.reduce(0, +) / Double(max(errors.count, 1))))
        }
    }
}
