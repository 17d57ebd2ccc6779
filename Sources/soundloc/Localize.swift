import ArgumentParser
import AudioIO
import CStandardStreams
import Decoding
import Evaluation
import Foundation
import Pipeline
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

            A file named - is standard input: a WAV, AU or other format libsndfile reads without \
            seeking, or header-less PCM described by --raw. It is read until its end, whatever its \
            header says about its length, e.g. `arecord -c 2 -f S16_LE -r 48000 -t wav | soundloc \
            localize --track -`. With --track each frame's row is printed as soon as the frame is \
            final; with text output on a terminal, as a dial redrawn in place.
            """)

    @Argument(help: "Stereo audio files; - reads standard input.")
    var files: [String]

    @Option(help: "Output format: text, csv (one row per file) or json (one object per line).")
    var format: OutputFormatOption = .text

    @Option(help: "For files with more than two channels: the left and right channel, 1-based, as L,R.")
    var channels: String?

    @Option(
        help:
            "Files localised at the same time (default: one per processor core, here \(ProcessInfo.processInfo.activeProcessorCount))."
    )
    var jobs: Int?

    @Flag(
        help:
            "Also print the temporal code's direction for every frame (the track; frame length set by --frame-ms), each as soon as its frame is final, with the frame's weight in the file's answer (0, 'left out', for a frame that does not count; docs/reading-output.md). With --format csv, one row per frame instead of one per file; with json, one object per frame before each file's; with text on a terminal, a dial."
    )
    var track = false

    @Option(help: "Read the input as header-less PCM: \(RawPCMFormat.syntax).")
    var raw: String?

    @Option(
        help:
            "Also draw the Jeffress array's activity for the (single) file as an SVG picture at this path; see `soundloc plot`."
    )
    var plot: String?

    @Option(
        help:
            "Also run a non-spiking reference on the samples: none or gcc-phat (GCC-PHAT cross-correlation, its ITD mapped through the same head model)."
    )
    var reference: ReferenceOption = .none

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one audio file") }
        _ = try parsedChannels()
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
        if plot != nil && files.count != 1 { throw ValidationError("--plot draws one file; give exactly one") }
        if files.filter({ $0 == standardInputPath }).count > 1 {
            throw ValidationError("standard input (-) can be read only once")
        }
        _ = try parsedRaw()
    }

    func parsedRaw() throws -> RawPCMFormat? { try raw.map(parseRawFormat) }

    func parsedChannels() throws -> (left: Int, right: Int)? { try channels.map(parseChannelPair) }

    func run() throws {
        let jobs = max(1, min(self.jobs ?? ProcessInfo.processInfo.activeProcessorCount, files.count))
        var configuration = model.localizerConfiguration(concurrentFiles: jobs)
        configuration.keepsTrack = track
        configuration.reference = reference.configuration
        let localizer = FileLocalizer(
            configuration: configuration, channels: try parsedChannels(), raw: try parsedRaw())
        var lost: StandardOutput.WriteFailed?
        /// Prints one piece of output whole, at once, so that an interruption never leaves half a
        /// row; once a write has failed, nothing more is tried and the batch stops.
        func emit(_ text: String, lineBreak: Bool = true) {
            guard lost == nil else { return }
            do { try StandardOutput.write(lineBreak ? text + "\n" : text) } catch let error
                as StandardOutput.WriteFailed
            {
                lost = error
            } catch {}
        }
        if format == .csv {
            emit(track ? TrackReport.csvColumns.joined(separator: ",") : LocalizationReport.csvHeader())
        }
        let files = self.files
        let plot = self.plot
        let headModel = configuration.headModel
        let track = self.track
        // A track's rows show progress themselves, and a bar would fight a dial for the line.
        let batch = Batch<TrackPoint>(
            count: files.count, jobs: jobs,
            showsProgress: isatty(STDERR_FILENO) != 0 && !track)
        let drawsDial = format == .text && isatty(STDOUT_FILENO) != 0
        var failures = 0
        var located = 0
        var dialShown = false
        var framesShown = 0
        func endDial() {
            if dialShown { emit("") }
            dialShown = false
        }
        let finished = batch.run(
            work: { index, context in
                let path = files[index]
                do {
                    let located = try localizer.localize(
                        path: path, progress: context.progress, shouldStop: context.shouldStop,
                        onTrackPoint: track ? context.partial : nil)
                    if let plot { try writeActivityPlot(located, to: plot, headModel: headModel) }
                    return .located(located)
                } catch SignalError.interrupted(_) {
                    return nil
                } catch {
                    return .failed(path: path, message: "\(error)")
                }
            },
            emitPartial: { index, point in
                let path = files[index]
                switch format {
                case .text where drawsDial:
                    emit("\r" + TrackReport.dial(point) + "\u{1B}[K", lineBreak: false)
                    dialShown = true
                case .text:
                    if framesShown == 0 {
                        if located > 0 { emit("") }
                        emit(TrackReport.textHeading(path: path))
                    }
                    emit(TrackReport.textLine(point))
                case .csv: emit(TrackReport.csvLine(path: path, point))
                case .json: emit(LocalizationReport.json(TrackReport.jsonObject(path: path, point)))
                }
                framesShown += 1
                if lost != nil { batch.stop() }
            },
            emit: { _, row in
                endDial()
                framesShown = 0
                if case .failed(_, let message) = row {
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
                case .csv where track:
                    if case .failed(let path, let message) = row {
                        emit(TrackReport.csvErrorLine(path: path, message: message))
                    }
                case .csv: emit(LocalizationReport.csvLine(row))
                case .json: emit(LocalizationReport.json(LocalizationReport.jsonObject(row)))
                }
                if lost != nil { batch.stop() }
            })
        endDial()
        if let lost {
            printError(lost.description)
            throw ExitCode(1)
        }
        if !finished {
            printError("interrupted")
            SoundLoc.leave(130)
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
