import ArgumentParser
import AudioIO
import DSP
import Decoding
import HRTF

extension AudioSampleFormat: ExpressibleByArgument {}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a stereo test file from a mono sound placed at a direction.",
        discussion: """
        With --azimuth alone the sound is convolved with the head-related impulse responses \
        measured nearest that direction (elevation 0) in a SOFA file: KEMAR by default. \
        With --itd-us, or --azimuth with --woodworth or --mics, one ear is delayed against the \
        other by a (fractional) number of samples and there is no level difference: a pure-ITD \
        stimulus. Positive azimuth or ITD = the right ear leads = a source on the right. A \
        multi-channel input is mixed to mono first. --snr adds independent Gaussian noise to each \
        ear, its RMS that ear's signal RMS minus the SNR in dB.
        """)

    @Argument(help: "Mono (or multi-channel, mixed down) input sound.")
    var input: String

    @Option(name: .shortAndLong, help: "Output stereo audio file (WAV).")
    var output: String

    @Option(name: .customLong("itd-us"), parsing: .unconditional, help: "Interaural time difference, in microseconds (positive: right ear leads).")
    var itdUs: Double?

    @Option(parsing: .unconditional, help: "Direction, in degrees (0 ahead, negative left, positive right, -90...90).")
    var azimuth: Double?

    @Flag(help: "With --azimuth: use the ITD of Woodworth's spherical head (radius 8.75 cm), nothing else.")
    var woodworth = false

    @Option(name: .customLong("mics"), help: "With --azimuth: two free-field microphones this far apart, in metres: pure delay, ITD = spacing sin(azimuth) / 343 m/s.")
    var micsSpacingM: Double?

    @Option(help: "With --azimuth: SOFA file of head-related impulse responses (default: \(SofaFile.defaultKEMARPath)).")
    var hrtf: String?

    @Option(parsing: .unconditional, help: "Add uncorrelated noise to each ear at this signal-to-noise ratio, in dB (default: none).")
    var snr: Double?

    @Option(help: "Seed for the added noise.")
    var seed: UInt64 = 1

    @Option(name: .customLong("sample-format"), help: "Output samples: pcm8, pcm16, pcm24, pcm32, float32 or float64.")
    var sampleFormat: AudioSampleFormat = .float32

    func validate() throws {
        switch (itdUs, azimuth) {
        case (nil, nil): throw ValidationError("give --azimuth (with --hrtf, --woodworth or --mics) or --itd-us")
        case (.some, .some): throw ValidationError("give either --itd-us or --azimuth, not both")
        case let (itd?, nil):
            guard abs(itd) <= 5000 else { throw ValidationError("--itd-us must be within +/-5000 microseconds") }
            guard !woodworth && micsSpacingM == nil && hrtf == nil else {
                throw ValidationError("--woodworth, --mics and --hrtf go with --azimuth, not --itd-us")
            }
        case let (nil, az?):
            guard abs(az) <= 90 else { throw ValidationError("--azimuth must be within -90...90 degrees") }
            let modes = (woodworth ? 1 : 0) + (micsSpacingM == nil ? 0 : 1) + (hrtf == nil ? 0 : 1)
            guard modes <= 1 else { throw ValidationError("give at most one of --hrtf, --woodworth and --mics") }
        }
        if let m = micsSpacingM, !(m > 0.001 && m < 10) { throw ValidationError("--mics must be a spacing between 0.001 and 10 m") }
        if let s = snr, !(s >= -40 && s <= 120) { throw ValidationError("--snr must be between -40 and 120 dB") }
    }

    func run() throws {
        try reportingUserErrors {
            let (channels, rate) = try readWholeAudioFile(path: input)
            var mono = [Float](repeating: 0, count: channels[0].count)
            for c in channels { for i in mono.indices { mono[i] += c[i] / Float(channels.count) } }
            var (left, right) = try place(mono, sampleRateHz: rate)
            if let snr {
                var generator = SeededGenerator(seed: seed)
                BinauralRenderer.addUncorrelatedNoise(left: &left, right: &right, snrDecibels: snr, generator: &generator)
            }
            let overloads = left.filter { abs($0) > 1 }.count + right.filter { abs($0) > 1 }.count
            if overloads > 0 && sampleFormat != .float32 && sampleFormat != .float64 {
                printError("warning: \(output): \(overloads) samples beyond full scale were clipped; lower the input's level")
            }
            try writeAudioFile(path: output, channels: [left, right], sampleRateHz: rate, sampleFormat: sampleFormat)
        }
    }

    /// The two ears' signals, before any noise.
    func place(_ mono: [Float], sampleRateHz rate: Int) throws -> (left: [Float], right: [Float]) {
        let itdSeconds: Double
        if let itdUs {
            itdSeconds = itdUs * 1e-6
        } else if woodworth {
            itdSeconds = HeadModel.standardHead.itdSeconds(azimuthDegrees: azimuth ?? 0)
        } else if let m = micsSpacingM {
            itdSeconds = HeadModel.microphones(spacingMetres: m).itdSeconds(azimuthDegrees: azimuth ?? 0)
        } else {
            // libmysofa resamples the responses to the sound's rate on opening.
            let sofa = try SofaFile(path: hrtf ?? SofaFile.defaultKEMARPath, sampleRateHz: Double(rate))
            return BinauralRenderer.render(mono, through: sofa.impulseResponse(azimuthDegrees: azimuth ?? 0))
        }
        // Split the delay between the ears so neither is shifted by more than half of it.
        let half = itdSeconds * Double(rate) / 2
        let delay = FractionalDelay()
        return (delay.apply(mono, delaySamples: half), delay.apply(mono, delaySamples: -half))
    }
}
