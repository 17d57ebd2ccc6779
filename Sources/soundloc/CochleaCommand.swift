import ArgumentParser
import AudioIO
import Cochlea
import Evaluation
import Foundation

/// `soundloc cochlea FILE`: what each ear's auditory nerve does with a sound, channel by channel.
struct CochleaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cochlea",
        abstract: "Print each cochlear channel's spike counts, rates and phase locking for a stereo file.",
        discussion: """
            Runs the file through both ears' cochleae (gammatone filterbank, inner hair cells, \
            auditory-nerve fibres) and prints, per channel: centre frequency (Hz), spike count per ear, \
            mean rate per fibre (spikes/s) per ear, and the vector strength of each ear's spikes \
            (0 = no phase locking, 1 = every spike at one phase).

            Vector strength is measured at --vs-hz if given. Otherwise at the sound's fundamental \
            frequency, found from the autocorrelation of the first block (up to 32768 frames) of the \
            two channels' sum: the shortest period (50 Hz to 5 kHz) at which the normalised \
            autocorrelation peaks at 0.9 or more. If there is none the sound is taken as aperiodic and \
            no vector strength is printed.
            """)

    @Argument(help: "A stereo audio file (any format libsndfile reads, 8-192 kHz); - reads standard input.")
    var file: String

    @Option(help: "Output format: text, csv (one row per channel) or json (one object).")
    var format: OutputFormatOption = .text

    @Option(
        name: .customLong("vs-hz"),
        help: "Measure vector strength at this frequency, in Hz (default: the sound's fundamental, if periodic).")
    var vsHz: Double?

    @Option(help: "Seed for the auditory-nerve fibres' randomness (default 1).")
    var seed: UInt64 = 1

    @Option(name: .customLong("cochlear-channels"), help: "Frequency channels per ear, ERB-spaced (default 64).")
    var cochlearChannels: Int = 64

    @Option(name: .customLong("lowest-hz"), help: "Lowest centre frequency, in Hz (default 100).")
    var lowestHz: Double = 100

    @Option(
        name: .customLong("highest-hz"),
        help: "Highest centre frequency, in Hz (default 8000; at most 0.45 x the sample rate).")
    var highestHz: Double = 8000

    @Option(help: "For files with more than two channels: the left and right channel, 1-based, as L,R.")
    var channels: String?

    @Option(help: "Read the input as header-less PCM: \(RawPCMFormat.syntax).")
    var raw: String?

    func validate() throws {
        if let f = vsHz, !(f > 0 && f <= 96_000) {
            throw ValidationError("--vs-hz must be in (0, 96000] Hz (got \(f))")
        }
        guard (1...512).contains(cochlearChannels) else { throw ValidationError("--cochlear-channels must be 1...512") }
        guard lowestHz >= 20 && highestHz >= lowestHz && highestHz <= 96_000 else {
            throw ValidationError("--lowest-hz and --highest-hz must satisfy 20 <= lowest <= highest <= 96000")
        }
        _ = try parsedChannels()
        _ = try raw.map(parseRawFormat)
    }

    func parsedChannels() throws -> (left: Int, right: Int)? { try channels.map(parseChannelPair) }

    func run() throws {
        try reportingUserErrors {
            try printChecked(try CochleaReport(measure()).render(format))
        }
    }

    func measure() throws -> CochleaMeasurement {
        let reader = try StereoFileReader(
            path: file, channels: try parsedChannels(), blockFrames: 32768,
            raw: try raw.map(parseRawFormat))
        let fs = Double(reader.info.sampleRateHz)
        var configuration = CochleaConfiguration()
        configuration.channelCount = cochlearChannels
        configuration.lowestCentreFrequencyHz = lowestHz
        configuration.highestCentreFrequencyHz = highestHz
        let ears = Ear.allCases.map { Cochlea(configuration: configuration, sampleRateHz: fs, ear: $0, seed: seed) }
        let n = ears[0].channelCount
        var left: [Float] = []
        var right: [Float] = []
        var spikes = [SpikeBlock](repeating: SpikeBlock(channelCount: n), count: 2)
        var counts = [[Int]](repeating: .init(repeating: 0, count: n), count: 2)
        var strengths: [[VectorStrength]]?
        var vsFrequency = vsHz
        var frames = 0
        while try reader.readBlock(left: &left, right: &right) > 0 {
            if frames == 0 && vsFrequency == nil {
                vsFrequency = Periodicity.fundamentalHz(of: zip(left, right).map { $0 + $1 }, sampleRateHz: fs)
            }
            if frames == 0, let f = vsFrequency {
                strengths = .init(repeating: .init(repeating: VectorStrength(frequencyHz: f), count: n), count: 2)
            }
            frames += left.count
            for (e, samples) in [left, right].enumerated() {
                ears[e].process(samples, into: &spikes[e])
                for c in 0..<n {
                    counts[e][c] += spikes[e].times[c].count
                    strengths?[e][c].add(spikesAtSeconds: spikes[e].times[c])
                }
            }
        }
        // Only a stream can turn out empty here: a file's header said so at opening.
        guard frames > 0 else { throw AudioIOError.empty(path: file) }
        let duration = Double(frames) / fs
        let perFibre = Double(configuration.fibreCountPerChannel) * duration
        let rows = (0..<n).map { c in
            CochleaMeasurement.Channel(
                centreHz: ears[0].centreFrequenciesHz[c],
                spikes: [counts[0][c], counts[1][c]],
                ratePerFibreHz: [Double(counts[0][c]) / perFibre, Double(counts[1][c]) / perFibre],
                vectorStrength: [strengths?[0][c].value, strengths?[1][c].value])
        }
        return CochleaMeasurement(
            file: file, sampleRateHz: reader.info.sampleRateHz, durationSeconds: duration,
            fibresPerChannel: configuration.fibreCountPerChannel,
            vectorStrengthHz: vsFrequency, channels: rows)
    }
}

/// What `soundloc cochlea` measured, per channel, left ear first.
struct CochleaMeasurement {
    struct Channel {
        var centreHz: Double
        var spikes: [Int]
        var ratePerFibreHz: [Double]
        var vectorStrength: [Double?]
    }
    var file: String
    var sampleRateHz: Int
    var durationSeconds: Double
    var fibresPerChannel: Int
    var vectorStrengthHz: Double?
    var channels: [Channel]
}

/// Formats a `CochleaMeasurement` as text, CSV or JSON.
struct CochleaReport {
    let m: CochleaMeasurement
    init(_ m: CochleaMeasurement) { self.m = m }

    func render(_ format: OutputFormatOption) -> String {
        switch format {
        case .text: text()
        case .csv: csv()
        case .json: json()
        }
    }

    func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
    func vs(_ x: Double?) -> String { x.map { fixed($0, 3) } ?? "" }

    func text() -> String {
        let vsNote =
            m.vectorStrengthHz.map { "vector strength at \(fixed($0, 2)) Hz" } ?? "aperiodic sound: no vector strength"
        var lines = [
            "\(displayName(path: m.file)): \(m.sampleRateHz) Hz, \(fixed(m.durationSeconds, 3)) s, \(m.fibresPerChannel) fibres per channel and ear; \(vsNote)",
            "channel  centre_hz  spikes_L  spikes_R  rate_L/s  rate_R/s  vs_L   vs_R",
        ]
        for (i, c) in m.channels.enumerated() {
            let cols = [
                String(i).rightAligned(7), fixed(c.centreHz, 1).rightAligned(9), String(c.spikes[0]).rightAligned(8),
                String(c.spikes[1]).rightAligned(8), fixed(c.ratePerFibreHz[0], 1).rightAligned(8),
                fixed(c.ratePerFibreHz[1], 1).rightAligned(8), vs(c.vectorStrength[0]).rightAligned(5),
                vs(c.vectorStrength[1]).rightAligned(5),
            ]
            lines.append(cols.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    func csv() -> String {
        var lines = [
            "file,channel,centre_hz,left_spikes,right_spikes,left_rate_hz,right_rate_hz,vs_hz,left_vs,right_vs"
        ]
        let file = CSV.field(m.file)
        for (i, c) in m.channels.enumerated() {
            lines.append(
                [
                    file, String(i), fixed(c.centreHz, 3), String(c.spikes[0]), String(c.spikes[1]),
                    fixed(c.ratePerFibreHz[0], 3), fixed(c.ratePerFibreHz[1], 3),
                    m.vectorStrengthHz.map { fixed($0, 4) } ?? "", vs(c.vectorStrength[0]), vs(c.vectorStrength[1]),
                ]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        let channels: [[String: Any]] = m.channels.enumerated().map { i, c in
            [
                "channel": i, "centre_hz": c.centreHz, "spikes": c.spikes, "rate_per_fibre_hz": c.ratePerFibreHz,
                "vector_strength": c.vectorStrength.map { $0 as Any? ?? NSNull() },
            ]
        }
        let object: [String: Any] = [
            "file": m.file, "sample_rate_hz": m.sampleRateHz, "duration_s": m.durationSeconds,
            "fibres_per_channel": m.fibresPerChannel,
            "vector_strength_hz": m.vectorStrengthHz as Any? ?? NSNull(),
            "ears": ["left", "right"], "channels": channels,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension String {
    /// Right-aligned in `width` columns.
    fileprivate func rightAligned(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
