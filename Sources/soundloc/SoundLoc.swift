import ArgumentParser
import CStandardStreams
import Foundation

@main
struct SoundLoc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soundloc",
        abstract: "Find where a sound comes from, the way the brainstem does it.",
        discussion: """
            A simulated cochlea turns each ear's signal into auditory-nerve spikes; a Jeffress array of \
            coincidence-detector neurons reads the interaural time difference (ITD) from their timing \
            (the temporal code). Beside it, a rate code sees only spike counts per time window.

            Directions are lateral angles in degrees: 0 straight ahead, negative to the left, positive \
            to the right, -90...90. Time differences cannot tell front from back (the cone of \
            confusion), so a source behind you is reported at its mirror angle in front.
            """,
        version: soundlocVersion,
        subcommands: [
            Localize.self, Compare.self, Synth.self, Render.self, Calibrate.self, TrainRate.self, CochleaCommand.self,
            Plot.self, Bench.self,
        ])

    static func main() {
        StandardOutput.holdClosedStandardStreams()
        let status: Int32
        do {
            var command = try parseAsRoot(protectingDashNames(Array(CommandLine.arguments.dropFirst())))
            try command.run()
            status = 0
        } catch {
            // As ArgumentParser's own main: help and version on standard output, errors on standard error.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                fputs(message + "\n", code == .success ? standard_output_stream() : standard_error_stream())
            }
            status = code.rawValue
        }
        leave(status)
    }

    /// Ends the process without exit()'s clean-up. A worker thread of a batch or of a file's cochleae
    /// may still be unwinding when the command returns, and exit()'s destructors racing it crashed
    /// ("free(): double free" in Foundation's ICU data, exit status 134) about one run in six in
    /// the interrupt tests and about one in seventy on a batch with a failing file. Everything is
    /// written unbuffered or flushed here first, so nothing is lost.
    static func leave(_ status: Int32) -> Never {
        fflush(standard_output_stream())
        fflush(standard_error_stream())
        _exit(status)
    }

    /// A file named like an option (`-high.wav`, easily made real by a glob such as `*.wav`)
    /// would be parsed as flags (`-h` prints the help). Before parsing, an argument that starts
    /// with one dash, is not a number, and names an existing file is rewritten as `./-high.wav`,
    /// the same file; arguments after `--` are files anyway and are left alone.
    static func protectingDashNames(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var afterTerminator = false
        for a in arguments {
            if a == "--" { afterTerminator = true }
            if !afterTerminator, a.count > 1, a.hasPrefix("-"), !a.hasPrefix("--"), Double(a) == nil,
                FileManager.default.fileExists(atPath: a)
            {
                out.append("./" + a)
            } else {
                out.append(a)
            }
        }
        return out
    }
}
