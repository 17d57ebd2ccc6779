import ArgumentParser
import Decoding

/// Options that shape the model, shared by the commands that run it.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Seed for the auditory-nerve fibres' randomness; the same seed gives the same spikes.")
    var seed: UInt64 = 1

    @Option(name: .customLong("rate-window-ms"), help: "Rate code counting window, in milliseconds (0.05...100).")
    var rateWindowMs: Double = 10

    @Option(name: .customLong("frame-ms"), help: "Readout frame of the Jeffress array, in milliseconds.")
    var frameMs: Double = 50

    @Option(name: .customLong("cochlear-channels"), help: "Frequency channels per ear (ERB-spaced, 100 Hz to 8 kHz).")
    var cochlearChannels: Int = 64

    @Option(name: .customLong("delays"), help: "Coincidence detectors (internal delays) per channel.")
    var delays: Int = 81

    @Option(name: .customLong("max-delay-us"), help: "Internal delays span -this...+this, in microseconds.")
    var maxDelayUs: Double = 900

    @Option(name: .customLong("head-radius-cm"), help: "Head radius for Woodworth's ITD-to-azimuth formula, in cm.")
    var headRadiusCm: Double = 8.75

    @Option(name: .customLong("mics"), help: "Two microphones this far apart, in metres, instead of a head: azimuth = asin(c ITD / spacing).")
    var micsSpacingM: Double?

    func validate() throws {
        guard rateWindowMs >= 0.05 && rateWindowMs <= 100 else {
            throw ValidationError("--rate-window-ms must be between 0.05 and 100 (got \(rateWindowMs))")
        }
        guard frameMs >= 5 && frameMs <= 10_000 else { throw ValidationError("--frame-ms must be between 5 and 10000") }
        guard (1...512).contains(cochlearChannels) else { throw ValidationError("--cochlear-channels must be 1...512") }
        guard (3...1001).contains(delays) else { throw ValidationError("--delays must be 3...1001") }
        guard maxDelayUs >= 100 && maxDelayUs <= 5000 else { throw ValidationError("--max-delay-us must be 100...5000") }
        guard headRadiusCm > 1 && headRadiusCm < 50 else { throw ValidationError("--head-radius-cm must be between 1 and 50") }
        if let m = micsSpacingM, !(m > 0.001 && m < 10) { throw ValidationError("--mics must be a spacing between 0.001 and 10 m") }
    }

    func localizerConfiguration() -> LocalizerConfiguration {
        var c = LocalizerConfiguration()
        c.seed = seed
        c.rateWindowSeconds = rateWindowMs / 1000
        c.jeffress.frameSeconds = frameMs / 1000
        c.cochlea.channelCount = cochlearChannels
        c.jeffress.delayCount = delays
        c.jeffress.maximumDelaySeconds = maxDelayUs * 1e-6
        if let m = micsSpacingM {
            c.headModel = .freeField(spacingMetres: m, speedOfSoundMetresPerSecond: 343)
        } else {
            c.headModel = .woodworth(radiusMetres: headRadiusCm / 100, speedOfSoundMetresPerSecond: 343)
        }
        return c
    }
}

extension OutputFormatOption: ExpressibleByArgument {}

/// --format, shared.
enum OutputFormatOption: String, CaseIterable {
    case text, csv, json
}
