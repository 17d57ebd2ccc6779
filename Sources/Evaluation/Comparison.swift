import AudioIO
import Decoding
import Foundation
import HRTF
import Pipeline
import RateCoding

/// One manifest file's result under both codes.
public struct FileComparison: Sendable {
    public var entry: ManifestEntry
    /// Set when the file could not be read; such files are reported and counted as failures,
    /// and left out of the error statistics (they say nothing about either code).
    public var error: String?
    /// Temporal code's azimuth, degrees; nil = no answer.
    public var temporalDegrees: Double?
    /// Rate code's azimuth per window width (in the comparison's order); nil = no answer.
    public var rateDegrees: [Double?]
    public var costs: SpikeCosts
    /// Rate path multiply-accumulates per window width: cross-correlation plus decoder.
    public var rateMultiplyAccumulates: [Int]
    /// Energy per decision, joules: temporal, and rate per window width.
    public var temporalJoules: Double
    public var rateJoules: [Double]
    /// GCC-PHAT's azimuth, degrees (nil = no answer or not run), and its energy per decision.
    public var referenceDegrees: Double? = nil
    public var referenceJoules: Double = 0

    public init(
        entry: ManifestEntry, error: String? = nil, temporalDegrees: Double? = nil, rateDegrees: [Double?],
        costs: SpikeCosts = SpikeCosts(), rateMultiplyAccumulates: [Int], temporalJoules: Double = 0,
        rateJoules: [Double], referenceDegrees: Double? = nil, referenceJoules: Double = 0
    ) {
        self.entry = entry
        self.error = error
        self.temporalDegrees = temporalDegrees
        self.rateDegrees = rateDegrees
        self.costs = costs
        self.rateMultiplyAccumulates = rateMultiplyAccumulates
        self.temporalJoules = temporalJoules
        self.rateJoules = rateJoules
        self.referenceDegrees = referenceDegrees
        self.referenceJoules = referenceJoules
    }
}

/// One line of the comparison: a group of files (or all files) at one window width.
public struct ComparisonRow: Sendable, Codable {
    /// The group's label: its values of the grouping columns joined by '/' (the manifest's
    /// condition by default), or `Comparison.allConditions` for every file.
    public var condition: String
    /// The group's value in each grouping column (`Comparison.Settings.groupBy`), in order; every
    /// one is `Comparison.allConditions` in the row for all files.
    public var group: [String] = []
    public var rateWindowSeconds: Double
    public var temporal: ErrorSummary
    public var rate: ErrorSummary
    /// Means per decision (per file): auditory-nerve spikes, synaptic events (coincidence detectors,
    /// LSO and MNTB), detector spikes,
    /// rate multiply-accumulates, and the energy estimates in joules.
    public var auditoryNerveSpikes: Double
    public var synapticEvents: Double
    public var detectorSpikes: Double
    public var rateMultiplyAccumulates: Double
    public var temporalJoules: Double
    public var rateJoules: Double
    /// GCC-PHAT, when the configuration runs it (`LocalizerConfiguration.reference`); nil otherwise.
    public var reference: ErrorSummary?
    public var referenceMultiplyAccumulates: Double = 0
    public var referenceJoules: Double = 0
}

/// How `Comparison` reads the rate code.
public enum RateReadoutChoice: Sendable, Equatable {
    /// The trained read-out (`RateClassifier`), one per window: the default of every command.
    case trained
    /// The binned cross-correlation's peak lag through the head model, uncalibrated.
    case lag
    /// A `RateCodeCalibration` learned on the calibration sounds before scoring: this read-out,
    /// or nil for the best by cross-validation.
    case calibrated(RateCodeCalibration.Readout?)
}

/// Runs the temporal and the rate code on every file of a manifest and scores both.
public struct Comparison: Sendable {
    public static let allConditions = "all"

    public struct Settings: Sendable {
        /// The model; its `rateWindowSeconds`, `sweepRateWindowsSeconds` and `rateCalibration` are
        /// set from `rateWindowsSeconds` and the calibration.
        public var configuration: LocalizerConfiguration
        /// Rate code window widths to score, in seconds (one row each).
        public var rateWindowsSeconds: [Double]
        /// How the rate code is read.
        public var rateReadout: RateReadoutChoice = .trained
        /// Trained read-outs at hand (the shipped one). With `.trained`, a window none fits is read
        /// by the lag read-out, as `localize` reads it, unless `trainsMissingRateModels`: then it
        /// gets one trained on `rateTraining` through `rateTrainingSofaPath` before scoring.
        public var rateModels: [RateClassifier] = []
        public var trainsMissingRateModels = false
        public var rateTraining = RateTrainingMix()
        var rateTrainingSofaPath = SofaFile.defaultKEMARPath
        /// A folder where read-outs trained for missing windows are kept and looked up again
        /// (`rate-model-W-ms-Cch-seedS.json`), so that a sweep trains each window once. Stale files
        /// are not detected beyond their layout and source: empty it when the model's defaults change.
        public var rateModelCacheFolder: String?
        /// With `.calibrated`: the cues the calibrated read-out may use.
        public var rateCues: RateCodeCalibration.Cues = .all
        /// Map the temporal code's ITD to azimuth through a curve measured on the same calibration
        /// sounds, instead of the configuration's head model.
        public var calibratesTemporal = false
        /// How the calibration sounds are made (for both codes' calibration).
        public var calibrationRenderer: CalibrationSounds.Renderer = .hrtf(sofaPath: SofaFile.defaultKEMARPath)
        public var calibrationSounds = CalibrationSounds.Settings()
        public var energy = EnergyModel()
        /// Files (and calibration sounds) run in parallel on this many threads.
        public var jobs = 1
        /// Manifest columns the rows are grouped by (one row per combination of their values, in
        /// order of first appearance, then the row for all files). Default: the condition.
        public var groupBy = ["condition"]
        public init(configuration: LocalizerConfiguration, rateWindowsSeconds: [Double]) {
            self.configuration = configuration
            self.rateWindowsSeconds = rateWindowsSeconds
        }
    }

    public var settings: Settings
    public var files: [FileComparison]
    /// Rate calibrations used, per sample rate (Hz), one per window width (`.calibrated` only).
    public var rateCalibrations: [Int: [RateCodeCalibration]]
    /// Trained read-outs used (`.trained` only), one per window width, in order.
    public var rateModels: [RateClassifier]
    /// The temporal code's calibrations, per sample rate (Hz), when `calibratesTemporal`.
    public var temporalCalibrations: [Int: ITDCalibration]
    public var manifestProblems: [ManifestProblem]
    public var rows: [ComparisonRow]

    /// Files that failed plus manifest rows that could not be used.
    public var failureCount: Int { manifestProblems.count + files.filter { $0.error != nil }.count }

    /// Runs the comparison. `progress` receives (stage, done, total) as calibration sounds and
    /// files finish. Throws `SofaError` when the calibration's SOFA file cannot be used.
    public static func run(
        manifest: Manifest, settings: Settings,
        progress: (@Sendable (String, Int, Int) -> Void)? = nil
    ) throws -> Comparison {
        let windows = settings.rateWindowsSeconds
        // Calibrate the rate code at each sample rate present, on sounds rendered at that rate.
        let rates = ParallelMap.run(count: manifest.entries.count, jobs: settings.jobs) {
            i -> Result<Int, AudioIOError> in
            do {
                return .success(try StereoFileReader(path: manifest.entries[i].path, blockFrames: 1).info.sampleRateHz)
            } catch let e as AudioIOError {
                return .failure(e)
            } catch {
                return .failure(.readFailed(path: manifest.entries[i].path, reason: "\(error)"))
            }
        }
        var calibrations: [Int: [RateCodeCalibration]] = [:]
        var temporalCalibrations: [Int: ITDCalibration] = [:]
        var calibratedReadout: RateCodeCalibration.Readout?
        var calibratesRate = false
        if case .calibrated(let r) = settings.rateReadout {
            calibratedReadout = r
            calibratesRate = true
        }
        for rate in Set(rates.compactMap { try? $0.get() }).sorted() where calibratesRate || settings.calibratesTemporal
        {
            let sounds = try CalibrationSounds.render(
                settings.calibrationRenderer, sampleRateHz: Double(rate),
                settings: settings.calibrationSounds)
            let both = Calibrator.calibrate(
                sounds: sounds, configuration: settings.configuration, windowsSeconds: windows,
                readout: calibratedReadout, cues: settings.rateCues, source: "\(settings.calibrationRenderer)",
                jobs: settings.jobs,
                progress: { progress?("calibrating (\(rate) Hz)", $0, $1) })
            if calibratesRate { calibrations[rate] = both.rate }
            if settings.calibratesTemporal { temporalCalibrations[rate] = both.temporal }
        }
        let models = settings.rateReadout == .trained ? try trainedModels(settings, progress: progress) : []
        let total = manifest.entries.count
        let files = ParallelMap.run(
            count: total, jobs: settings.jobs,
            { [calibrations, calibratesRate, temporalCalibrations] i -> FileComparison in
                let entry = manifest.entries[i]
                var outcome = FileComparison(
                    entry: entry, error: nil, temporalDegrees: nil,
                    rateDegrees: windows.map { _ in nil }, costs: SpikeCosts(),
                    rateMultiplyAccumulates: windows.map { _ in 0 }, temporalJoules: 0,
                    rateJoules: windows.map { _ in 0 })
                guard case .success(let rate) = rates[i], !calibratesRate || calibrations[rate] != nil else {
                    if case .failure(let e) = rates[i] { outcome.error = e.descriptionWithoutChannelChoice }
                    return outcome
                }
                let cals = calibrations[rate]
                var c = settings.configuration
                c.rateWindowSeconds = windows[0]
                c.sweepRateWindowsSeconds = Array(windows.dropFirst())
                c.rateCalibration = cals?[0]
                c.rateModels = models
                c.keepsTrack = false
                if let spacing = entry.micSpacingMetres {
                    // A microphone pair: its time difference is mapped through the free-field pair
                    // (azimuth = asin(c ITD / d)), never through a head or a head's calibration.
                    c.headModel = .microphones(spacingMetres: spacing)
                } else if settings.calibratesTemporal {
                    guard let t = temporalCalibrations[rate] else {
                        outcome.error =
                            "\(entry.path): the temporal code gave no answer on the calibration sounds at \(rate) Hz"
                        return outcome
                    }
                    c.headModel = .calibrated(t)
                }
                do {
                    let r = try FileLocalizer(configuration: c).localize(path: entry.path).result
                    outcome.costs = r.costs
                    outcome.temporalDegrees = r.temporal?.azimuthDegrees
                    let features = [r.rateFeatures] + r.rateSweep
                    for w in windows.indices {
                        if let cals {
                            let decoder = RateCodeDecoder(headModel: c.headModel, calibration: cals[w])
                            outcome.rateDegrees[w] =
                                r.isDigitalSilence || !r.isAboveSpontaneous ? nil : decoder.azimuthDegrees(features[w])
                            // A read-out of the level cue alone never needs the cross-correlation.
                            let correlation = settings.rateCues == .level ? 0 : features[w].multiplyAccumulates
                            outcome.rateMultiplyAccumulates[w] = correlation + decoder.multiplyAccumulates
                        } else {
                            outcome.rateDegrees[w] = r.rateAnswers[w].estimate?.azimuthDegrees
                            outcome.rateMultiplyAccumulates[w] =
                                features[w].multiplyAccumulates
                                + r.rateAnswers[w].decoderMultiplyAccumulates
                        }
                        outcome.rateJoules[w] = settings.energy.rateJoules(
                            auditoryNerveSpikes: r.costs.auditoryNerveSpikes,
                            multiplyAccumulates: outcome.rateMultiplyAccumulates[w])
                    }
                    outcome.temporalJoules = settings.energy.temporalJoules(r.costs)
                    outcome.referenceDegrees = r.reference?.azimuthDegrees
                    outcome.referenceJoules = settings.energy.referenceJoules(
                        multiplyAccumulates: r.costs.referenceMultiplyAccumulates)
                } catch let e as AudioIOError {
                    outcome.error = e.descriptionWithoutChannelChoice
                } catch {
                    outcome.error = "\(entry.path): \(error)"
                }
                return outcome
            }, done: { progress?("localising", $0, total) })
        var comparison = Comparison(
            settings: settings, files: files, rateCalibrations: calibrations, rateModels: models,
            temporalCalibrations: temporalCalibrations,
            manifestProblems: manifest.problems, rows: [])
        comparison.rows = comparison.summaryRows()
        return comparison
    }

    /// The trained read-outs for the windows: the ones at hand that fit, and with
    /// `trainsMissingRateModels` one trained now for each other window (all from one hearing of
    /// the training mix).
    static func trainedModels(_ settings: Settings, progress: (@Sendable (String, Int, Int) -> Void)?) throws
        -> [RateClassifier]
    {
        let windows = settings.rateWindowsSeconds
        // Trained at 44.1 kHz (the KEMAR responses' rate) and used at every rate: the channels and
        // their rates are the same whatever the file's sample rate.
        let layouts = windows.map {
            RateTraining.layout(
                windowSeconds: $0, configuration: settings.configuration,
                sampleRateHz: 44100)
        }
        var found = layouts.map { l in settings.rateModels.first { $0.layout.fits(l) } }
        let mix = settings.rateTraining
        let name = (settings.rateTrainingSofaPath as NSString).lastPathComponent
        let source =
            "\(mix.soundsPerAzimuth) synthetic sounds per \(mix.azimuthStepDegrees) "
            + "degrees through \(name), seeds from \(mix.seed)"
        func cachePath(_ w: Int) -> String? {
            settings.rateModelCacheFolder.map {
                ($0 as NSString).appendingPathComponent(
                    String(
                        format: "rate-model-%gms-%dch-seed%llu.json",
                        windows[w] * 1000, layouts[w].channelCount, settings.configuration.seed))
            }
        }
        if settings.trainsMissingRateModels {
            for w in windows.indices where found[w] == nil {
                guard let path = cachePath(w), FileManager.default.fileExists(atPath: path),
                    let cached = try? RateModelFile.load(path: path),
                    cached.layout.fits(layouts[w]), cached.source == source
                else { continue }
                found[w] = cached
            }
        }
        let missing = windows.indices.filter { found[$0] == nil }
        guard !missing.isEmpty && settings.trainsMissingRateModels else { return found.compactMap { $0 } }
        let scene = HRTFScene(sofa: try SofaFile(path: settings.rateTrainingSofaPath, sampleRateHz: 44100))
        let heard = RateTraining.frames(
            items: mix.items(), scene: scene, durationSeconds: mix.durationSeconds,
            configuration: settings.configuration, windowsSeconds: missing.map { windows[$0] },
            jobs: settings.jobs
        ) { progress?("training the rate read-out", $0, $1) }
        if let folder = settings.rateModelCacheFolder {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for (j, w) in missing.enumerated() {
            let model = RateTraining.fit(
                heard.frames[j], layout: heard.layouts[j], azimuthsDegrees: mix.azimuthsDegrees,
                source: source)
            found[w] = model
            // A cache that cannot be written only costs the next run a training.
            if let path = cachePath(w) { try? RateModelFile.save(model, path: path) }
        }
        return found.map { $0! }
    }

    /// Rows per group of `settings.groupBy` and for all files, at every window.
    func summaryRows() -> [ComparisonRow] {
        Self.summaryRows(
            files: files, groupBy: settings.groupBy, rateWindowsSeconds: settings.rateWindowsSeconds,
            withReference: settings.configuration.reference != nil)
    }

    /// Rows per combination of the `groupBy` columns' values (in order of first appearance), then
    /// one for all files, at every window; files that failed are left out. A column a file's
    /// manifest lacks counts as an empty value (the condition column: the entry's condition).
    public static func summaryRows(
        files: [FileComparison], groupBy: [String], rateWindowsSeconds: [Double],
        withReference: Bool
    ) -> [ComparisonRow] {
        let scored = files.filter { $0.error == nil }
        func key(_ f: FileComparison) -> [String] {
            groupBy.map { $0 == "condition" ? f.entry.condition : f.entry.columns[$0] ?? "" }
        }
        var groups: [[String]] = []
        for f in scored where !groups.contains(key(f)) { groups.append(key(f)) }
        let all = groupBy.map { _ in allConditions }
        var rows: [ComparisonRow] = []
        for group in groups + [all] {
            let isAll = group == all
            let members = isAll ? scored : scored.filter { key($0) == group }
            let n = Double(max(members.count, 1))
            func mean(_ value: (FileComparison) -> Double) -> Double { members.reduce(0) { $0 + value($1) } / n }
            for (w, window) in rateWindowsSeconds.enumerated() {
                var row = ComparisonRow(
                    condition: isAll ? allConditions : group.joined(separator: "/"), rateWindowSeconds: window,
                    temporal: ErrorSummary(members.map { ($0.entry.azimuthDegrees, $0.temporalDegrees) }),
                    rate: ErrorSummary(members.map { ($0.entry.azimuthDegrees, $0.rateDegrees[w]) }),
                    auditoryNerveSpikes: mean { Double($0.costs.auditoryNerveSpikes) },
                    synapticEvents: mean { Double($0.costs.synapticEvents + $0.costs.lsoSynapticEvents) },
                    detectorSpikes: mean { Double($0.costs.detectorSpikes) },
                    rateMultiplyAccumulates: mean { Double($0.rateMultiplyAccumulates[w]) },
                    temporalJoules: mean { $0.temporalJoules }, rateJoules: mean { $0.rateJoules[w] },
                    reference: withReference
                        ? ErrorSummary(members.map { ($0.entry.azimuthDegrees, $0.referenceDegrees) }) : nil,
                    referenceMultiplyAccumulates: mean { Double($0.costs.referenceMultiplyAccumulates) },
                    referenceJoules: mean { $0.referenceJoules })
                row.group = group
                rows.append(row)
            }
        }
        return rows
    }
}
