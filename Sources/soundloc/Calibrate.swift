import ArgumentParser
import AudioIO
import DSP
import Decoding
import Evaluation
import Foundation
import HRTF
import Stimuli

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn the ITD-to-azimuth mapping of a head from its SOFA HRTF file.",
        discussion: """
            Renders --sounds calibration noises (seeds 9001, 9002, ...; never used by audio-samples or \
            the check) through the head-related impulse responses at every --step-deg degrees from -90 to \
            90 (elevation 0), runs the temporal code on each, and writes the mean best ITD per azimuth \
            as JSON, for `soundloc localize --calibration`. Azimuth: 0 ahead, negative left, positive \
            right (a lateral angle). The calibration holds for the model settings it was made with.

            --check then scores it on held-out renderings (a noise, seed 9101, and a 200 Hz harmonic \
            complex, seed 9102, every 5 degrees, with no noise, 20 dB and 0 dB SNR per ear) beside \
            Woodworth's head (radius 8.75 cm), as mean absolute lateral-angle error in degrees.
            """)

    @Option(help: "SOFA file of head-related impulse responses.")
    var sofa: String = SofaFile.defaultKEMARPath

    @Option(name: .shortAndLong, help: "Output calibration file (JSON).")
    var output: String

    @Option(
        name: .customLong("swift-source"),
        help: "Also write the table as Swift source (how the shipped KEMAR default is made).")
    var swiftSource: String?

    @Option(
        name: .customLong("lso-swift-source"),
        help: ArgumentHelp(
            "Also learn the LSO level-difference table from a synthetic mix and write it as Swift source "
                + "(how the shipped KEMAR default is made).", valueName: "file"))
    var lsoSwiftSource: String?

    @Option(name: .customLong("step-deg"), help: "Azimuth step, in degrees (1...30).")
    var stepDeg: Double = 5

    @Option(help: "Length of each calibration sound, in seconds (0.1...5).")
    var duration: Double = 1

    @Option(help: "Calibration noises per azimuth (1...20); their best ITDs are averaged.")
    var sounds: Int = 4

    @Option(name: .customLong("sample-rate"), help: "Sample rate to render and run the model at, in Hz.")
    var sampleRate: Double = 44100

    @Flag(help: "Afterwards, score the calibration on held-out renderings and print the errors.")
    var check = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard stepDeg >= 1 && stepDeg <= 30 else { throw ValidationError("--step-deg must be 1...30 degrees") }
        guard duration >= 0.1 && duration <= 5 else { throw ValidationError("--duration must be 0.1...5 seconds") }
        guard (1...20).contains(sounds) else { throw ValidationError("--sounds must be 1...20") }
        guard model.calibration == nil && model.headRadiusCm == nil && model.micsSpacingM == nil else {
            throw ValidationError(
                "calibrate learns its own head model: --calibration, --head-radius-cm and --mics do not apply")
        }
        guard isSupportedSampleRate(sampleRate) else {
            throw ValidationError("--sample-rate must be \(supportedSampleRatesText)")
        }
    }

    func run() throws {
        try reportingUserErrors {
            let file = try SofaFile(path: sofa, sampleRateHz: sampleRate)
            var builder = CalibrationBuilder(
                configuration: model.localizerConfiguration(
                    concurrentFiles: ProcessInfo.processInfo.activeProcessorCount))
            builder.azimuthsDegrees = Array(stride(from: -90.0, through: 90, by: stepDeg))
            builder.durationSeconds = duration
            builder.sounds = (1...sounds).map { SeededSound(.whiteNoise, seed: 9000 + UInt64($0)) }
            let bar = ProgressBar()
            let calibration = try builder.build(sofa: file) { done, total in
                bar.show("azimuths calibrated", done, total)
            }
            bar.clear()
            try CalibrationFile.save(calibration, path: output)
            if let swiftSource {
                let command =
                    "soundloc calibrate --sofa \(sofa) --step-deg \(stepDeg) --duration \(duration) --sounds \(sounds) --swift-source FILE"
                try writeSource(CalibrationFile.swiftSource(calibration, command: command), to: swiftSource)
            }
            if let lsoSwiftSource { try writeLSOTable(file, to: lsoSwiftSource) }
            try printChecked("azimuth_deg,itd_us")
            for (az, itd) in zip(calibration.azimuthsDegrees, calibration.itdsSeconds) {
                try printChecked("\(az),\((itd * 1e7).rounded() / 10)")
            }
            if check { try printCheck(file, calibration) }
        }
    }

    func writeLSOTable(_ file: SofaFile, to path: String) throws {
        var builder = LSOCalibrationBuilder(
            configuration: model.localizerConfiguration(concurrentFiles: ProcessInfo.processInfo.activeProcessorCount))
        builder.jobs = ProcessInfo.processInfo.activeProcessorCount
        let bar = ProgressBar()
        let table = builder.build(sofa: file) { done, total in bar.show("LSO renderings", done, total) }
        bar.clear()
        let command = "soundloc calibrate --sofa \(sofa) --lso-swift-source FILE"
        try writeSource(LSOCalibrationBuilder.swiftSource(table, command: command), to: path)
    }

    /// Writes a generated table; a failure names the file as a calibration output.
    func writeSource(_ text: String, to path: String) throws {
        do {
            try writeFileSafely(Array(text.utf8), to: path)
        } catch let AudioIOError.cannotWrite(_, reason) {
            throw CalibrationFileError.cannotWrite(path: path, reason: reason)
        }
    }

    func printCheck(_ file: SofaFile, _ calibration: ITDCalibration) throws {
        let check = CalibrationCheck(
            configuration: model.localizerConfiguration(concurrentFiles: ProcessInfo.processInfo.activeProcessorCount))
        let bar = ProgressBar()
        let scores = check.run(sofa: file, headModels: [.calibrated(calibration), .standardHead]) { done, total in
            bar.show("renderings checked", done, total)
        }
        bar.clear()
        try printChecked()
        try printChecked(
            "held-out check (\(check.sounds.map(\.name).joined(separator: ", ")); \(check.azimuthsDegrees.count) azimuths)"
        )
        try printChecked(
            "condition,calibrated_mae_deg,calibrated_max_deg,at_azimuth_deg,woodworth_mae_deg,woodworth_max_deg,at_azimuth_deg,trials,misses"
        )
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        for s in scores {
            try printChecked(
                [
                    s.condition.name, f(s.meanAbsoluteErrorDegrees[0]), f(s.maximumAbsoluteErrorDegrees[0]),
                    "\(s.worstAzimuthDegrees[0])",
                    f(s.meanAbsoluteErrorDegrees[1]), f(s.maximumAbsoluteErrorDegrees[1]),
                    "\(s.worstAzimuthDegrees[1])",
                    "\(s.trials)", "\(s.misses)",
                ]
                .joined(separator: ","))
        }
    }
}
