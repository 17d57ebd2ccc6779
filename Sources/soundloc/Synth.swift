import ArgumentParser
import AudioIO
import DSP
import Stimuli

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a mono test sound: noise, a harmonic complex, clicks or a vowel-like sound.",
        discussion: "The sound is synthesised from the seed alone, so anyone can make it again; it carries no licence.")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case noise, harmonic, clicks, speechlike }

    @Argument(help: "What to make: noise, harmonic, clicks or speechlike.")
    var kind: Kind

    @Option(name: .shortAndLong, help: "Output file (WAV, 32-bit float).")
    var output: String

    @Option(help: "Duration, in seconds.")
    var duration: Double = 1.0

    @Option(name: .customLong("sample-rate"), help: "Sample rate, in Hz.")
    var sampleRate: Int = 44100

    @Option(
        name: .customLong("f0"),
        help: "Fundamental frequency of harmonic and speechlike sounds, in Hz; click rate of clicks, in Hz.")
    var f0: Double = 200

    @Option(parsing: .unconditional, help: "RMS level relative to full scale, in dB (e.g. -26).")
    var level: Double = -26

    @Option(help: "Seed for the randomness (noise samples, harmonic phases).")
    var seed: UInt64 = 1

    func validate() throws {
        guard duration.isFinite && duration > 0 && duration <= 3600 else {
            throw ValidationError("--duration must be in (0, 3600] seconds")
        }
        guard supportedSampleRatesHz.contains(sampleRate) else {
            throw ValidationError("--sample-rate must be \(supportedSampleRatesText)")
        }
        guard f0.isFinite && f0 > 0 && f0 < Double(sampleRate) / 4 else {
            throw ValidationError("--f0 must be between 0 and a quarter of the sample rate")
        }
        // A harmonic complex costs one pass over the sound per component (5000 Hz / f0 of them);
        // below 20 Hz (the lower limit of pitch, about 30 Hz: Pressnitzer et al. 2001, JASA) it would
        // be hundreds to millions of passes for no pitched sound. Clicks may be as slow as one per hour.
        if kind == .harmonic || kind == .speechlike, f0 < 20 {
            throw ValidationError("--f0 must be at least 20 Hz for \(kind.rawValue) sounds (it is \(f0) Hz)")
        }
        // The sound is held whole, as Double and as Float samples: 12 bytes a sample.
        guard duration * Double(sampleRate) <= 600 * 48_000 else {
            throw ValidationError(
                "--duration \(duration) s at \(sampleRate) Hz is more than 600 s at 48 kHz "
                    + "(28.8 million samples, about 350 MB held in memory); make shorter sounds and join them")
        }
        guard level <= 0 && level > -120 else { throw ValidationError("--level must be between -120 and 0 dB") }
    }

    func run() throws {
        let stimulus: Stimulus
        switch kind {
        case .noise: stimulus = .whiteNoise
        case .harmonic: stimulus = .harmonicComplex(fundamentalHz: f0, highestHz: 5000)
        case .clicks: stimulus = .clickTrain(rateHz: f0)
        case .speechlike: stimulus = .speechLike(fundamentalHz: f0)
        }
        var generator = SeededGenerator(seed: seed)
        let samples = stimulus.render(
            durationSeconds: duration, sampleRateHz: Double(sampleRate),
            rms: pow10(level / 20), generator: &generator)
        try reportingUserErrors {
            try writeAudioFile(path: output, channels: [samples], sampleRateHz: sampleRate, sampleFormat: .float32)
        }
    }
}

func pow10(_ x: Double) -> Double { _exp(x * 2.302585092994046) }
