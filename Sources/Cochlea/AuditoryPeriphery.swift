/// One ear's periphery as the later stages see it: blocks of that ear's samples in, auditory-nerve
/// spikes per frequency channel out (`SpikeBlock`). Both consumers of those spikes, the level path
/// (the lateral superior olives) and the time path (the medial superior olive's Jeffress array),
/// and the rate coder beside them read nothing else of the ear, so another periphery (another hair
/// cell or fibre model, or recorded spike trains) can take `Cochlea`'s place in the pipeline
/// without touching them.
///
/// A class protocol: an ear holds its filter and fibre state between blocks, and the pipeline runs
/// the two ears on two threads, each thread touching only its own ear.
public protocol AuditoryPeriphery: AnyObject {
    /// Frequency channels; every block has this many spike trains.
    var channelCount: Int { get }
    /// Each channel's centre frequency, in Hz, lowest first.
    var centreFrequenciesHz: [Double] { get }
    /// Spikes per second that one channel's fibres fire together in silence: what the test against
    /// spontaneous activity and the rate code's frame gate measure a sound's spikes against.
    var spontaneousSpikesPerSecondPerChannel: Double { get }
    /// Runs the next block of samples (blocks come in time order) and writes its spikes into
    /// `spikes`, replacing what was there; spike times are seconds from the start of the sound.
    func process(_ samples: [Float], into spikes: inout SpikeBlock)
}

extension Cochlea: AuditoryPeriphery {
    public var spontaneousSpikesPerSecondPerChannel: Double { configuration.spontaneousSpikesPerSecondPerChannel }
}
