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

        Reads any file libsndfile reads (WAV, AIFF, FLAC, ...; 8-192 kHz), streamed in blocks, so \
        memory does not grow with a file's length. A bad file is reported on standard error and the \
        others still run; the exit status is then 1. Digital silence or a constant (DC) signal gets \
        "no sound detected" and no direction. Files run in parallel (--jobs); results come out in \
        the order given. A progress bar is drawn on standard error when it is a terminal. Ctrl-C \
        stops the run (exit status 130) after the complete rows printed so far.
        """)

    @Argument(help: "Stereo audio files.")
    var files: [String]

    @Option(help: "Output format: text, csv (one row per file) or json (one object per line).")
    var format: OutputFormatOption = .text

    @Option(help: "For files with more than two channels: the left and right channel, 1-based, as L,R.")
    var channels: String?

    @Option(help: "Files localised at the same time (default: one per processor core, here \(ProcessInfo.processInfo.activeProcessorCount)).")
    var jobs: Int?

    @Flag(help: "Also print the temporal code's direction for every frame (the track; frame length set by --frame-ms). With --format csv, one row per frame instead of one per file.")
    var track = false

    @Option(help: "Also draw the Jeffress array's activity for the (single) file as an SVG picture at this path; see `soundloc plot`.")
    var plot: String?

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one audio file") }
        _ = try parsedChannels()
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
        if plot != nil && files.count != 1 { throw ValidationError("--plot draws one file; give exactly one") }
    }

    func parsedChannels() throws -> (left: Int, right: Int)? { try channels.map(parseChannelPair) }

    func run() throws {
        var configuration = model.localizerConfiguration()
        configuration.keepsTrack = track
        let localizer = FileLocalizer(configuration: configuration, channels: try parsedChannels())
        var lost: StandardOutput.WriteFailed?
        /// Prints one piece of output whole, at once, so that an interruption never leaves half a
        /// row; once a write has failed, nothing more is tried and the batch stops.
        func emit(_ text: String) {
            guard lost == nil else { return }
            do { try StandardOutput.line(text) } catch let error as StandardOutput.WriteFailed { lost = error } catch {}
        }
        if format == .csv {
            emit(track ? LocalizationReport.csvTrackColumns.joined(separator: ",") : LocalizationReport.csvHeader())
        }
        let files = self.files, plot = self.plot, headModel = configuration.headModel
        let batch = Batch(count: files.count, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                          showsProgress: isatty(STDERR_FILENO) != 0)
        var failures = 0, located = 0
        let finished = batch.run(work: { index, progress, shouldStop in
            let path = files[index]
            do {
                let located = try localizer.localize(path: path, progress: progress, shouldStop: shouldStop)
                if let plot { try writeActivityPlot(located, to: plot, headModel: headModel) }
                return .located(located)
            } catch SignalError.interrupted(_) {
                return nil
            } catch {
                return .failed(path: path, message: "\(error)")
            }
        }, emit: { _, row in
            if case let .failed(_, message) = row {
                failures += 1
                printError(message)
            }
            switch format {
            case .text:
                if case .located = row {
                    if located > 0 { emit("") }
                    emit(LocalizationReport.text(row))
                    located += 1
                }
            case .csv:
                let lines = track ? LocalizationReport.csvTrackLines(row) : [LocalizationReport.csvLine(row)]
                if !lines.isEmpty { emit(lines.joined(separator: "\n")) }
            case .json: emit(LocalizationReport.json(LocalizationReport.jsonObject(row)))
            }
            if lost != nil { batch.stop() }
        })
        if let lost {
            printError(lost.description)
            throw ExitCode(1)
        }
        if !finished {
            printError("interrupted")
            throw ExitCode(130)
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

