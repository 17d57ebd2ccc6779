import ArgumentParser
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
        subcommands: [Localize.self, Compare.self, Synth.self, Render.self, Calibrate.self, CochleaCommand.self, Plot.self, Bench.self])

    static func main() {
        StandardOutput.holdClosedStandardStreams()
        main(nil)
    }
}
