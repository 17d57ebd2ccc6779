import ArgumentParser
import AudioIO
import DSP
import Decoding

extension AudioSampleFormat: ExpressibleByArgument {}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a stereo test file from a mono sound placed at a direction.",
        discussion: """
        With --itd-us, or --azimuth with --woodworth, one ear is delayed against the other by a \
        (fractional) number of samples and there is no level difference: a pure-ITD stimulus. \
        Positive azimuth or ITD = the right ear leads = a source on the right. A multi-channel input \
        is mixed to mono first.
        """)

    @Argument(help: "Mono (or multi-channel, mixed down) input sound.")
    var input: String

    @Option(name: .shortAndLong, help: "Output stereo WAV file.")
    var output: String

    @Option(name: .customLong("itd-us"), parsing: .unconditional, help: "Interaural time difference, in microseconds (positive: right ear leads).")
    var itdUs: Double?

    @Option(parsing: .unconditional, help: "Direction, in degrees (0 ahead, negative left, positive right, -90...90).")
    var azimuth: Double?

    @Flag(help: "With --azimuth: use the ITD of Woodworth's spherical head (radius 8.75 cm), nothing else.")
    var woodworth = false

    @Option(name: .customLong("sample-format"), help: "Output samples: pcm8, pcm16, pcm24, pcm32, float32 or float64.")
    var sampleFormat: AudioSampleFormat = .float32

    func validate() throws {
        switch (itdUs, azimuth) {
        case (nil, nil): throw ValidationError("give --itd-us, or --azimuth with --woodworth")
        case (.some, .some): throw ValidationError("give either --itd-us or --azimuth, not both")
        case let (itd?, nil): guard abs(itd) <= 5000 else { throw ValidationError("--itd-us must be within +/-5000 microseconds") }
        case let (nil, az?):
            guard abs(az) <= 90 else { throw ValidationError("--azimuth must be within -90...90 degrees") }
            guard woodworth else { throw ValidationError("--azimuth needs --woodworth (pure ITD)") }
        }
    }

    func run() throws {
        let itdSeconds = itdUs.map { $0 * 1e-6 } ?? HeadModel.standardHead.itdSeconds(azimuthDegrees: azimuth ?? 0)
        do {
            let (channels, rate) = try readWholeAudioFile(path: input)
            var mono = [Float](repeating: 0, count: channels[0].count)
            for c in channels { for i in mono.indices { mono[i] += c[i] / Float(channels.count) } }
            // Split the delay between the ears so neither is shifted by more than half of it.
            let half = itdSeconds * Double(rate) / 2
            let delay = FractionalDelay()
            let left = delay.apply(mono, delaySamples: half)
            let right = delay.apply(mono, delaySamples: -half)
            try writeAudioFile(path: output, channels: [left, right], sampleRateHz: rate, sampleFormat: sampleFormat)
        } catch let e as AudioIOError {
            printError(e.description)
            throw ExitCode(1)
        }
    }
}
