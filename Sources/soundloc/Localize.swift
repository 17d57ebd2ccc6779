import ArgumentParser
import AudioIO
import Evaluation
import Foundation
import Reports

struct Localize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate the direction of the sound in stereo (binaural) audio files.",
        discussion: """
        For each file, prints the direction found by the temporal code (spike timing through a \
        Jeffress array) and by the rate code (spike counts per window). Azimuth in degrees: 0 ahead, \
        negative left, positive right; a lateral angle, since time differences cannot tell front \
        from back. The ITD is in microseconds, positive when the right ear leads.

        Reads any file libsndfile reads (WAV, AIFF, FLAC, ...; 8-192 kHz). A bad file is reported \
        on standard error and the others still run; the exit status is then 1.
        """)

    @Argument(help: "Stereo audio files.")
    var files: [String]

    @Option(help: "Output format: text, csv (one row per file) or json (one object per line).")
    var format: OutputFormatOption = .text

    @Option(help: "For files with more than two channels: the left and right channel, 1-based, as L,R.")
    var channels: String?

    @Flag(help: "Also print the temporal code's direction for every frame (the track; frame length set by --frame-ms). With --format csv, one row per frame instead of one per file.")
    var track = false

    @Option(help: "Also draw the Jeffress array's activity for the (single) file as an SVG picture at this path; see `soundloc plot`.")
    var plot: String?

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one audio file") }
        _ = try parsedChannels()
        if plot != nil && files.count != 1 { throw ValidationError("--plot draws one file; give exactly one") }
    }

    func parsedChannels() throws -> (left: Int, right: Int)? {
        guard let channels else { return nil }
        let parts = channels.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let l = parts[0], let r = parts[1], l >= 1, r >= 1, l != r else {
            throw ValidationError("--channels takes two different 1-based channel numbers, like 1,2 (got '\(channels)')")
        }
        return (l - 1, r - 1)
    }

    func run() throws {
        var configuration = model.localizerConfiguration()
        configuration.keepsTrack = track
        let localizer = FileLocalizer(configuration: configuration, channels: try parsedChannels())
        if format == .csv {
            print(track ? LocalizationReport.csvTrackColumns.joined(separator: ",") : LocalizationReport.csvHeader())
        }
        var failures = 0
        for (n, path) in files.enumerated() {
            let row: LocalizationRow
            do {
                let located = try localizer.localize(path: path)
                if let plot { try writeActivityPlot(located, to: plot, headModel: configuration.headModel) }
                row = .located(located)
            } catch let error as AudioIOError {
                failures += 1
                printError(error.description)
                row = .failed(path: path, message: error.description)
            }
            switch format {
            case .text:
                if case .located = row {
                    if n > 0 { print("") }
                    print(LocalizationReport.text(row))
                }
            case .csv:
                if track { LocalizationReport.csvTrackLines(row).forEach { print($0) } } else { print(LocalizationReport.csvLine(row)) }
            case .json: print(LocalizationReport.json(LocalizationReport.jsonObject(row)))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("soundloc: \(message)\n".utf8))
}
