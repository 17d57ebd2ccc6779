import ArgumentParser
import Decoding
import Evaluation
import Foundation
import HRTF
import Reports

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score the temporal code against the rate code on a labelled set of sounds.",
        discussion: """
            PATH is a folder holding manifest.csv, or the manifest itself: a CSV whose header names \
            'file' and 'azimuth_deg' (degrees: 0 ahead, negative left, positive right) and optionally \
            'condition'; other columns are kept for --by and fields may be quoted. Files are relative to \
            the manifest's folder. A row whose 'receiver' is 'mics' was recorded by two free-field \
            microphones 'mic_spacing_m' metres apart: its time difference is mapped to azimuth by \
            asin(c ITD / spacing) for the temporal code and GCC-PHAT, whatever the head model (the rate \
            code's trained read-out was trained on KEMAR and is used as it is).

            Both codes run on every file. Per condition (or per value of the --by columns) and over all \
            files it prints, side by side, the \
            mean absolute and RMS error, the share within 5 and 10 degrees, the mean signed bias (positive \
            = to the right) and the files with no answer, which count as a 90-degree error. Errors are on \
            the lateral angle, since time and level differences cannot tell front from back. Beside them: \
            what each code spends per decision (synaptic events; multiply-accumulates) and an energy \
            estimate (see docs/comparison.md).

            The rate code is read by the shipped trained read-out (see `soundloc train-rate`), as \
            `localize` reads it, so both give the same rate answer for the same file and seed (a window or \
            model setting it does not fit is read by the lag read-out, in both). In a sweep \
            (--rate-window), each window it does not fit gets a read-out trained on the same training \
            mix before scoring (about a minute on two cores). --rate-readout lag reads the binned \
            cross-correlation's peak lag instead.

            With --rate-calibration (or --calibrate-temporal), the older read-outs are calibrated on \
            sounds the program renders itself every --calibration-step-deg degrees from -90 to 90, \
            never on the files it is scored on: with --calibration-sounds hrtf (the default with the default KEMAR head model), four noises \
            through the SOFA file's responses, the sounds the temporal code's KEMAR calibration was \
            learned from; with pure-itd (the default with --head-radius-cm or --mics), noise and a \
            150 Hz harmonic complex with the head model's ITD and no level difference.

            A missing file or a malformed manifest row is reported on standard error with its line \
            number and the run goes on; the exit status is then 1.
            """)

    @Argument(help: "A folder holding manifest.csv, or a manifest CSV file.")
    var path: String

    @Option(help: "Output format: text (a table), csv (one row per condition and window) or json (one document).")
    var format: OutputFormatOption = .text

    @Option(help: "Score only the manifest rows of these conditions, comma-separated (default: all rows).")
    var condition: String?

    @Option(
        help: ArgumentHelp(
            "Break the table down by these manifest columns, comma-separated: one row per combination of their values, then the row for all files (default: condition).",
            valueName: "columns"))
    var by: String = "condition"

    @Option(
        name: .customLong("rate-window"),
        help:
            "Sweep the rate code over these counting windows, in milliseconds, comma-separated (each 0.05...100), e.g. 0.05,0.1,1,10. Default: --rate-window-ms alone."
    )
    var rateWindows: String?

    @Option(
        name: .customLong("rate-calibration"),
        help:
            "Instead of --rate-readout: calibrate the older read-outs on the calibration sounds before scoring and use auto (the best by cross-validation, per window), linear, lag-curve or template."
    )
    var rateCalibration: String?

    @Option(
        name: .customLong("rate-cues"),
        help:
            "With --rate-calibration: cues it may use: all (rate differences and the binned cross-correlation lag), level (rate differences only) or timing (the lag only)."
    )
    var rateCues: String = "all"

    @Option(
        name: .customLong("calibration-step-deg"),
        help: "Spacing of the rate code's calibration directions, in degrees (1...90).")
    var calibrationStepDeg: Double = 10

    @Option(
        name: .customLong("calibration-sounds"),
        help:
            "How the calibration sounds are rendered: hrtf (through --sofa) or pure-itd (the head model's ITD). Default: hrtf with the KEMAR head model, else pure-itd."
    )
    var calibrationSounds: String?

    @Option(help: "SOFA file for --calibration-sounds hrtf (default: \(SofaFile.defaultKEMARPath)).")
    var sofa: String = SofaFile.defaultKEMARPath

    @Flag(
        name: .customLong("calibrate-temporal"),
        help:
            "Also map the temporal code's ITD to azimuth through a curve measured on the same calibration sounds, instead of the head model."
    )
    var calibrateTemporal = false

    @Option(
        name: .customLong("rate-model-cache"),
        help:
            "In a sweep: keep the read-outs trained for windows without one in this folder and reuse them on the next run (empty it when the model's defaults change)."
    )
    var rateModelCache: String?

    @Option(help: "Files to run in parallel (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help:
            "The non-spiking reference scored beside the two codes: gcc-phat (GCC-PHAT cross-correlation, through the same head model) or none."
    )
    var reference: ReferenceOption = .gccPHAT

    @OptionGroup var model: ModelOptions

    /// Columns of the report itself, which a grouping column would clash with.
    static let reportColumns = Set(CompareReport.csvColumns.dropFirst())

    func groupColumns() throws -> [String] {
        var out: [String] = []
        for part in by.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty else {
                throw ValidationError("--by takes manifest column names, comma-separated (got '\(by)')")
            }
            guard !Self.reportColumns.contains(name) else {
                throw ValidationError("--by: '\(name)' is a column of the report, not of a manifest")
            }
            guard !out.contains(name) else { throw ValidationError("--by names '\(name)' twice") }
            out.append(name)
        }
        return out
    }

    func validate() throws {
        _ = try windowsSeconds()
        _ = try groupColumns()
        if let c = calibrationSounds, c != "hrtf" && c != "pure-itd" {
            throw ValidationError("--calibration-sounds must be hrtf or pure-itd (got '\(c)')")
        }
        guard let cues = RateCodeCalibration.Cues(rawValue: rateCues) else {
            throw ValidationError("--rate-cues must be all, level or timing (got '\(rateCues)')")
        }
        if cues == .level && rateCalibration == RateCodeCalibration.Readout.lagCurve.rawValue {
            throw ValidationError("--rate-calibration lag-curve needs the timing cue, not --rate-cues level")
        }
        guard calibrationStepDeg >= 1 && calibrationStepDeg <= 90 else {
            throw ValidationError("--calibration-step-deg must be between 1 and 90 (got \(calibrationStepDeg))")
        }
        guard jobs >= 1 && jobs <= 1024 else { throw ValidationError("--jobs must be 1...1024 (got \(jobs))") }
        if let r = rateCalibration, r != "auto" && RateCodeCalibration.Readout(rawValue: r) == nil {
            throw ValidationError("--rate-calibration must be auto, linear, lag-curve or template (got '\(r)')")
        }
    }

    func windowsSeconds() throws -> [Double] {
        guard let rateWindows else { return [model.rateWindowMs / 1000] }
        var out: [Double] = []
        for part in rateWindows.split(separator: ",", omittingEmptySubsequences: false) {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let ms = Double(text), ms >= 0.05, ms <= 100 else {
                throw ValidationError(
                    "--rate-window takes milliseconds between 0.05 and 100, comma-separated (got '\(text)')")
            }
            if !out.contains(ms / 1000) { out.append(ms / 1000) }
        }
        return out
    }

    func run() throws {
        var manifest = try reportingUserErrors { try Manifest.load(path: path) }
        if let condition {
            let wanted = Set(condition.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            manifest.entries = manifest.entries.filter { wanted.contains($0.condition) }
            if manifest.entries.isEmpty {
                printError("\(manifest.path): no rows of condition \(wanted.sorted().joined(separator: ", "))")
                throw ExitCode(1)
            }
        }
        let groupBy = try groupColumns()
        // The condition is optional in a manifest (every row then shares the empty condition).
        let unknown = groupBy.filter { $0 != "condition" && !manifest.columnNames.contains($0) }
        guard unknown.isEmpty else {
            printError(
                "\(manifest.path): --by: no column \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in the manifest "
                    + "(its columns: \(manifest.columnNames.joined(separator: ", ")))")
            throw ExitCode(1)
        }
        for p in manifest.problems { printError(p.description) }
        var settings = Comparison.Settings(
            configuration: model.localizerConfiguration(concurrentFiles: jobs), rateWindowsSeconds: try windowsSeconds()
        )
        settings.configuration.reference = reference.configuration
        if let r = rateCalibration {
            settings.rateReadout = .calibrated(RateCodeCalibration.Readout(rawValue: r))
        } else {
            settings.rateReadout = model.rateReadout == "lag" ? .lag : .trained
        }
        settings.rateModels = settings.configuration.rateModels
        settings.trainsMissingRateModels = rateWindows != nil
        settings.rateModelCacheFolder = rateModelCache
        settings.rateCues = RateCodeCalibration.Cues(rawValue: rateCues) ?? .all
        settings.jobs = jobs
        settings.groupBy = groupBy
        let head = settings.configuration.headModel
        var useHRTF = false
        if case .calibrated = head { useHRTF = true }
        if let c = calibrationSounds { useHRTF = c == "hrtf" }
        settings.calibrationRenderer = useHRTF ? .hrtf(sofaPath: sofa) : .pureITD(head)
        settings.calibratesTemporal = calibrateTemporal
        settings.calibrationSounds.azimuthStepDegrees = calibrationStepDeg
        let bar = ProgressBar()
        let comparison: Comparison
        do {
            comparison = try Comparison.run(manifest: manifest, settings: settings) { stage, done, total in
                bar.show(stage, done, total)
            }
        } catch let e as SofaError {
            bar.clear()
            printError(e.description)
            throw ExitCode(1)
        }
        bar.clear()
        for f in comparison.files { if let e = f.error { printError("\(manifest.path):\(f.entry.line): \(e)") } }
        switch format {
        case .text: try reportingUserErrors { try printChecked(CompareReport.text(comparison)) }
        case .csv: try reportingUserErrors { try printChecked(CompareReport.csv(comparison)) }
        case .json: try reportingUserErrors { try printChecked(CompareReport.json(comparison)) }
        }
        if comparison.failureCount > 0 { throw ExitCode(1) }
    }
}
