import DSP

/// A synthetic mono sound, made again from its seed whenever it is needed.
public struct SeededSound: Sendable, Equatable {
    var stimulus: Stimulus
    var seed: UInt64

    public init(_ stimulus: Stimulus, seed: UInt64) {
        self.stimulus = stimulus
        self.seed = seed
    }

    /// For example "noise#9001".
    public var name: String { "\(stimulus.name)#\(seed)" }

    /// `durationSeconds` of the sound at `rms` (full scale = 1).
    public func samples(durationSeconds: Double, sampleRateHz: Double, rms: Double) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return stimulus.render(
            durationSeconds: durationSeconds, sampleRateHz: sampleRateHz, rms: rms, generator: &generator)
    }
}
