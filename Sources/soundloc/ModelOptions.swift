import ArgumentParser
import DSP
import Decoding
import Evaluation
import Foundation
import Pipeline
import Reference

/// Options that shape the model, shared by the commands that run it.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Seed for the auditory-nerve fibres' randomness; the same seed gives the same spikes.")
    var seed: UInt64 = 1

    @Option(name: .customLong("rate-window-ms"), help: "Rate code counting window, in milliseconds (0.05...100).")
    var rateWindowMs: Double = 10

    @Option(
        name: .customLong("rate-readout"),
        help:
            "Rate code read-out: trained (the shipped read-out trained on KEMAR renderings, for 10 ms windows; other windows fall back to lag) or lag (the binned cross-correlation's peak lag through the head model, uncalibrated). (compare --rate-calibration replaces both.)"
    )
    var rateReadout: String = "trained"

    @Option(
        name: .customLong("rate-model"),
        help: "With --rate-readout trained: a read-out from `soundloc train-rate -o FILE` instead of the shipped one.",
        transform: { LoadedModelFile(path: $0, load: RateModelFile.load) })
    var rateModelFile: LoadedModelFile<RateClassifier>?

    var rateModel: RateClassifier? { try? rateModelFile?.model.get() }

    @Option(name: .customLong("frame-ms"), help: "Readout frame of the Jeffress array, in milliseconds.")
    var frameMs: Double = 50

    @Option(name: .customLong("cochlear-channels"), help: "Frequency channels per ear (ERB-spaced, 100 Hz to 8 kHz).")
    var cochlearChannels: Int = 64

    @Option(name: .customLong("delays"), help: "Coincidence detectors (internal delays) per channel.")
    var delays: Int = 81

    @Option(name: .customLong("max-delay-us"), help: "Internal delays span -this...+this, in microseconds.")
    var maxDelayUs: Double = 900

    @Option(
        name: .customLong("calibration"),
        help: "ITD-to-azimuth calibration file from `soundloc calibrate` (default: the shipped KEMAR calibration).",
        transform: { LoadedModelFile(path: $0, load: CalibrationFile.load) })
    var calibrationFile: LoadedModelFile<ITDCalibration>?

    var calibration: ITDCalibration? { try? calibrationFile?.model.get() }

    @Option(
        name: .customLong("head-radius-cm"),
        help: "Instead of the KEMAR calibration: Woodworth's spherical head of this radius, in cm (e.g. 8.75).")
    var headRadiusCm: Double?

    @Option(
        name: .customLong("mics"),
        help: "Instead of a head: two microphones this far apart, in metres: azimuth = asin(c ITD / spacing).")
    var micsSpacingM: Double?

    @Option(
        name: .customLong("threads"),
        help:
            "Threads for one file: 2 runs the two ears at once and splits the coincidence network (default: the cores left over when files run in parallel, at most 2). Answers do not depend on it."
    )
    var threads: Int?

    @Option(
        name: .customLong("ablate"),
        help: ArgumentHelp(
            "Switch mechanisms of the model off, comma-separated, to see what each one buys: lso (the level "
                + "difference that chooses among the ITD curve's peaks), side-veto (a clear level difference "
                + "against the ITD answer's side moves it to the other side), channel-itd (the answer read on "
                + "the ITD curves of the channels that carried it, not the broadband one), frame-selection (each "
                + "frame weighs in by how sharp its detector map is; off, every frame counts alike), precedence "
                + "(detector spikes just after an onset count more).", valueName: "mechanisms"))
    var ablate: String?

    /// The mechanisms `--ablate` can switch off.
    static let ablatable = ["lso", "side-veto", "channel-itd", "frame-selection", "precedence"]

    var ablated: Set<String> {
        Set((ablate ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    func validate() throws {
        for file in [calibrationFile?.problem, rateModelFile?.problem] {
            if let problem = file {
                printError(problem)
                throw ExitCode(1)
            }
        }
        if let unknown = ablated.subtracting(Self.ablatable).sorted().first {
            throw ValidationError(
                "--ablate: unknown mechanism '\(unknown)' (known: \(Self.ablatable.joined(separator: ", ")))")
        }
        if let t = threads, !(1...64).contains(t) { throw ValidationError("--threads must be 1...64 (got \(t))") }
        guard rateWindowMs >= 0.05 && rateWindowMs <= 100 else {
            throw ValidationError("--rate-window-ms must be between 0.05 and 100 (got \(rateWindowMs))")
        }
        guard frameMs >= 5 && frameMs <= 10_000 else { throw ValidationError("--frame-ms must be between 5 and 10000") }
        guard (1...512).contains(cochlearChannels) else { throw ValidationError("--cochlear-channels must be 1...512") }
        guard (3...1001).contains(delays) else { throw ValidationError("--delays must be 3...1001") }
        guard maxDelayUs >= 100 && maxDelayUs <= 5000 else {
            throw ValidationError("--max-delay-us must be 100...5000")
        }
        if let r = headRadiusCm, !(r > 1 && r < 50) {
            throw ValidationError("--head-radius-cm must be between 1 and 50")
        }
        guard [calibration != nil, headRadiusCm != nil, micsSpacingM != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --calibration, --head-radius-cm and --mics")
        }
        if let m = micsSpacingM, !(m > 0.001 && m < 10) {
            throw ValidationError("--mics must be a spacing between 0.001 and 10 m")
        }
        guard rateReadout == "trained" || rateReadout == "lag" else {
            throw ValidationError("--rate-readout must be trained or lag (got '\(rateReadout)')")
        }
        if rateModel != nil && rateReadout != "trained" {
            throw ValidationError("--rate-model needs --rate-readout trained")
        }
    }

    /// The model these options describe; `withRateModel: false` leaves out the trained rate
    /// read-out (for training a new one, which must not need the old one to fit).
    ///
    /// `concurrentFiles`: how many files run at once, so that by default each one gets the cores
    /// the others leave (two ears give at most two useful threads).
    func localizerConfiguration(withRateModel: Bool = true, concurrentFiles: Int = 1) -> LocalizerConfiguration {
        var c = LocalizerConfiguration()
        let spare = ProcessInfo.processInfo.activeProcessorCount / max(1, concurrentFiles)
        c.threadCount = threads ?? min(2, max(1, spare))
        c.seed = seed
        c.rateWindowSeconds = rateWindowMs / 1000
        if withRateModel && rateReadout == "trained" {
            c.rateModels = [rateModel ?? .kemar]
            c.countRateSpikes(like: c.rateModels[0])
        }
        c.jeffress.frameSeconds = frameMs / 1000
        c.cochlea.channelCount = cochlearChannels
        c.jeffress.delayCount = delays
        c.jeffress.maximumDelaySeconds = maxDelayUs * 1e-6
        if ablated.contains("lso") { c.lsoCalibration = nil }
        if ablated.contains("side-veto") { c.lsoSideVeto = false }
        if ablated.contains("channel-itd") { c.channelITDCurves = false }
        if ablated.contains("frame-selection") { c.readout.minimumFrameSignificance = nil }
        if ablated.contains("precedence") { c.jeffress.precedence = nil }
        if let m = micsSpacingM {
            c.headModel = .microphones(spacingMetres: m)
        } else if let r = headRadiusCm {
            c.headModel = .woodworth(
                radiusMetres: r / 100, speedOfSoundMetresPerSecond: Acoustics.speedOfSoundMetresPerSecond)
        } else if let calibration {
            c.headModel = .calibrated(calibration)
        }
        return c
    }
}

/// A model file named by an option (`--calibration`, `--rate-model`), read as the options are parsed.
/// Its transform must not throw: ArgumentParser would bury the reason in its own lines of usage
/// and help. `ModelOptions.validate()` reports `problem` instead, as the one line (file and
/// reason) of every other bad file.
struct LoadedModelFile<Model> {
    let path: String
    let model: Result<Model, any Error>

    init(path: String, load: (String) throws -> Model) {
        self.path = path
        model = Result { try load(path) }
    }

    /// What `soundloc: ` is followed by on standard error, or nil when the file loaded.
    var problem: String? {
        guard case .failure(let error) = model else { return nil }
        return (error as? UserError)?.description ?? "\(path): \(error)"
    }
}

extension OutputFormatOption: ExpressibleByArgument {}

/// --reference: the non-spiking signal-processing answer run beside the model.
enum ReferenceOption: String, CaseIterable, ExpressibleByArgument {
    case none
    case gccPHAT = "gcc-phat"

    /// GCC-PHAT's settings, or nil for none.
    var configuration: GCCPHAT.Configuration? { self == .gccPHAT ? GCCPHAT.Configuration() : nil }
}

/// --format, shared.
enum OutputFormatOption: String, CaseIterable {
    case text, csv, json
}
