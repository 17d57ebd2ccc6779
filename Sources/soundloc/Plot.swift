import ArgumentParser
import AudioIO
import Decoding
import Evaluation
import Foundation
import Pipeline
import Reports

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the model at work as an SVG picture.",
        discussion: """
            - activity FILE: the Jeffress array, spikes per channel and internal delay summed over the \
            sound, with the estimated ITD (and the true one, with --true-azimuth).
            - raster FILE: auditory-nerve spikes of a few channels of both ears over a short stretch.
            - track FILE: the temporal code's direction frame by frame (--true-track for the truth).
            - estimates CSV...: estimated against true azimuth for both codes, from `localize --format \
            csv` output and --manifest.
            - errors X=CSV...: mean absolute error of both codes against a condition X (SNR, window \
            width, ...), one `localize --format csv` output per value, with --manifest and --x-label; \
            GCC-PHAT too when every output was made with --reference gcc-phat; put -- before the pairs \
            when an X is negative.

            estimates and errors also print the mean absolute errors they draw, in degrees, as CSV. \
            Azimuth in degrees (0 ahead, negative left, positive right); ITD in microseconds, positive when \
            the right ear leads. The model options are those of `localize`.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case activity, raster, track, estimates, errors }
    enum FrequencyAxis: String, ExpressibleByArgument, CaseIterable { case erb, log }

    @Argument(help: "What to draw: activity, raster, track, estimates or errors.")
    var kind: Kind

    @Argument(help: "An audio file (activity, raster, track), CSV files (estimates) or X=CSV pairs (errors).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output SVG file.")
    var output: String

    @Option(
        name: .customLong("true-azimuth"), parsing: .unconditional,
        help:
            "The source's true azimuth, in degrees, to mark (activity, track); activity marks its ITD under the head model or calibration in use."
    )
    var trueAzimuth: Double?

    @Option(
        name: .customLong("true-track"),
        help: "track: the true azimuth over time as START_S:DEG,START_S:DEG,... (seconds, degrees).")
    var trueTrack: String?

    @Option(name: .customLong("frequency-axis"), help: "activity: frequency axis, erb (the ERB-rate scale) or log.")
    var frequencyAxis: FrequencyAxis = .erb

    @Option(
        help:
            "activity: colour by count relative to the busiest detector of each channel (channel) or by raw count (none)."
    )
    var normalize: ActivityPlot.Normalization = .perChannel

    @Option(
        name: .customLong("start-ms"),
        help: "raster: start of the stretch shown, in milliseconds (default 200, or earlier in a short file).")
    var startMs: Double?

    @Option(name: .customLong("duration-ms"), help: "raster: length of the stretch shown, in milliseconds.")
    var durationMs: Double = 15

    @Option(
        name: .customLong("raster-hz"),
        help: "raster: channels to show, by nearest centre frequency, as comma-separated Hz.")
    var rasterHz: String = "300,500,800"

    @Option(
        name: .customLong("high-sr-fibres"),
        help:
            "High-spontaneous-rate fibres per channel and ear in the model run (default 4, the model's own); more make phase locking stand out in a raster."
    )
    var highSRFibres: Int?

    @Option(help: "estimates, errors: manifest CSV with file and azimuth_deg columns (the truth).")
    var manifest: String?

    @Option(
        name: .customLong("x-label"), help: "errors: label of the condition axis, with its unit, e.g. \"SNR (dB)\".")
    var xLabel: String = "condition"

    @Flag(name: .customLong("log-x"), help: "errors: logarithmic condition axis.")
    var logX = false

    @Option(help: "Title drawn above the chart (default: one naming the kind and input).")
    var title: String?

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give an input for '\(kind.rawValue)'") }
        switch kind {
        case .activity, .raster, .track:
            guard inputs.count == 1 else { throw ValidationError("'\(kind.rawValue)' draws one audio file") }
        case .estimates:
            guard manifest != nil else { throw ValidationError("'estimates' needs --manifest") }
        case .errors:
            guard manifest != nil else { throw ValidationError("'errors' needs --manifest") }
            _ = try conditions()
        }
        if let a = trueAzimuth, !(abs(a) <= 90) {
            throw ValidationError("--true-azimuth must be within -90...90 degrees")
        }
        _ = try truthSteps()
        guard durationMs >= 1 && durationMs <= 1000 else { throw ValidationError("--duration-ms must be 1...1000") }
        if let s = startMs, !(s >= 0) { throw ValidationError("--start-ms must be 0 or more") }
        if let n = highSRFibres, !(1...200).contains(n) { throw ValidationError("--high-sr-fibres must be 1...200") }
        guard !rasterFrequencies().isEmpty else {
            throw ValidationError("--raster-hz takes positive frequencies in Hz, like 300,500,800")
        }
    }

    func conditions() throws -> [(x: Double, path: String)] {
        try inputs.map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let x = Double(parts[0]), x.isFinite, !parts[1].isEmpty else {
                throw ValidationError("'errors' takes X=CSV pairs, like 20=results_snr20.csv (got '\(pair)')")
            }
            return (x, parts[1])
        }
    }

    func truthSteps() throws -> [(startSeconds: Double, azimuthDegrees: Double)] {
        guard let trueTrack else { return trueAzimuth.map { [(0, $0)] } ?? [] }
        return try trueTrack.split(separator: ",").map { step in
            let p = step.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard p.count == 2, let t = p[0], let a = p[1], t >= 0, abs(a) <= 90 else {
                throw ValidationError("--true-track takes START_S:DEG pairs, like 0:-60,1:0,2:45 (got '\(trueTrack)')")
            }
            return (t, a)
        }
    }

    func rasterFrequencies() -> [Double] {
        let f = rasterHz.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return f.allSatisfy { $0 > 0 } ? f : []
    }

    func run() throws {
        try reportingUserErrors {
            let svg: String
            switch kind {
            case .activity, .raster, .track: svg = try drawRun(path: inputs[0])
            case .estimates: svg = try drawEstimates()
            case .errors: svg = try drawErrors()
            }
            try writeSVG(svg, to: output)
        }
    }

    func drawRun(path: String) throws -> String {
        var configuration = model.localizerConfiguration()
        configuration.keepsTrack = kind == .track
        if let n = highSRFibres { configuration.cochlea.fibresPerChannel[.high] = n }
        let reader = try StereoFileReader(path: path)
        let rate = Double(reader.info.sampleRateHz)
        let localizer = Localizer(configuration: configuration, sampleRateHz: rate)
        let window = durationMs / 1000
        let start = min(startMs.map { $0 / 1000 } ?? 0.2, max(reader.info.durationSeconds - window, 0))
        let channels = SpikeRaster.channelsNearest(rasterFrequencies(), in: localizer.centreFrequenciesHz)
        var raster = SpikeRaster(
            channels: channels, allCentreFrequenciesHz: localizer.centreFrequenciesHz,
            fibresPerChannel: configuration.cochlea.fibreCountPerChannel,
            startSeconds: start, durationSeconds: window)
        if kind == .raster { localizer.spikeObserver = { raster.record(left: $0, right: $1) } }
        var source = reader
        try localizer.feed(&source)
        guard reader.position > 0 else { throw AudioIOError.empty(path: path) }
        let result = localizer.finish()
        let name = (path as NSString).lastPathComponent
        switch kind {
        case .raster:
            var note = "shown: \(Int(durationMs.rounded())) ms from \(String(format: "%.0f", start * 1000)) ms"
            if let t = result.temporal {
                note += String(format: "; the model's ITD estimate: %+.0f \u{00B5}s", t.itdSeconds * 1e6)
            }
            return RasterPlot.svg(raster, title: title ?? "Auditory-nerve spikes: \(name)", note: note)
        case .track:
            return TrackPlot.svg(
                track: result.track, durationSeconds: result.durationSeconds, truth: try truthSteps(),
                title: title ?? "Direction over time: \(name)")
        default:
            return activitySVG(result, name: name, headModel: configuration.headModel)
        }
    }

    func activitySVG(_ result: LocalizationResult, name: String, headModel: HeadModel) -> String {
        var options = ActivityPlot.Options()
        options.frequencyScale = frequencyAxis == .erb ? .erbRate : .logarithmic
        options.normalization = normalize
        options.headModel = headModel
        options.trueITDSeconds = trueAzimuth.map { headModel.itdSeconds(azimuthDegrees: $0) }
        options.trueAzimuthDegrees = trueAzimuth
        options.title = title ?? "Jeffress array activity: \(name)"
        return ActivityPlot.svg(result, options: options)
    }

    /// The truth, from --manifest read as `compare` reads it (the listed files need not exist here).
    func truth() throws -> [String: Double] {
        try PlotInputs.truth(try Manifest.load(path: manifest!, checkFiles: false))
    }

    func drawEstimates() throws -> String {
        let truth = try truth()
        var points: [EstimatePlot.Point] = []
        for path in inputs {
            points += try PlotInputs.estimates(localizeCSV: try CSV.text(path: path), name: path, truth: truth)
        }
        let errors = PlotInputs.errors(points)
        try printChecked("files,temporal_mae_deg,rate_mae_deg")
        try printChecked("\(points.count),\(format(errors.temporal)),\(format(errors.rate))")
        return EstimatePlot.svg(points, title: title ?? "Estimated against true azimuth (\(points.count) files)")
    }

    /// Mean absolute error as `compare --format csv` writes it.
    func format(_ s: ErrorSummary) -> String { String(format: "%.2f", s.meanAbsoluteErrorDegrees) }

    /// GCC-PHAT's line is drawn (and its column printed) when every input carries it
    /// (`localize --reference gcc-phat`), so that no point of the line stands for fewer conditions.
    func drawErrors() throws -> String {
        let truth = try truth()
        var temporal: [(x: Double, error: Double)] = []
        var rate: [(x: Double, error: Double)] = []
        var reference: [(x: Double, error: Double)] = []
        var rows: [(x: Double, temporal: ErrorSummary, rate: ErrorSummary, reference: ErrorSummary)] = []
        var referenceEverywhere = true
        for (x, path) in try conditions() {
            let table = try PlotInputs.estimateTable(localizeCSV: try CSV.text(path: path), name: path, truth: truth)
            let errors = PlotInputs.errors(table.points)
            referenceEverywhere = referenceEverywhere && table.referenceRan
            rows.append((x, errors.temporal, errors.rate, errors.reference))
            temporal.append((x, errors.temporal.meanAbsoluteErrorDegrees))
            rate.append((x, errors.rate.meanAbsoluteErrorDegrees))
            reference.append((x, errors.reference.meanAbsoluteErrorDegrees))
        }
        var lines = [
            referenceEverywhere ? "x,temporal_mae_deg,rate_mae_deg,gccphat_mae_deg" : "x,temporal_mae_deg,rate_mae_deg"
        ]
        for r in rows {
            lines.append(
                "\(r.x),\(format(r.temporal)),\(format(r.rate))"
                    + (referenceEverywhere ? ",\(format(r.reference))" : ""))
        }
        try printChecked(lines.joined(separator: "\n"))
        var series: [ErrorPlot.Series] = [
            .init(name: "temporal code (spike timing)", points: temporal),
            .init(name: "rate code (spike counts)", points: rate),
        ]
        if referenceEverywhere { series.append(.init(name: "GCC-PHAT (no spikes)", points: reference)) }
        return ErrorPlot.svg(
            series, xLabel: xLabel, logarithmicX: logX, title: title ?? "Mean absolute error against \(xLabel)")
    }
}

extension ActivityPlot.Normalization: ExpressibleByArgument {}

/// Writes an SVG document (see `writeFileSafely`); a failure is an `AudioIOError` naming the file.
func writeSVG(_ svg: String, to path: String) throws {
    try writeFileSafely(Array(svg.utf8), to: path)
}

/// `localize --plot`: the activity picture of one localised file.
func writeActivityPlot(_ f: FileLocalization, to path: String, headModel: HeadModel) throws {
    var options = ActivityPlot.Options()
    options.headModel = headModel
    options.title = "Jeffress array activity: \((f.path as NSString).lastPathComponent)"
    try writeSVG(ActivityPlot.svg(f.result, options: options), to: path)
}
