import Cochlea

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A principal neuron of the lateral superior olive (LSO): the level-difference path of the duplex
/// theory. It is excited by spikes from its own (ipsilateral) ear and inhibited by spikes from the
/// other ear, relayed through the medial nucleus of the trapezoid body (MNTB), so its rate rises
/// with the level at its own ear and falls with the level at the other (Tollin 2003, Neuroscientist
/// 9:127). The left and right LSOs of one frequency channel therefore fire at rates whose
/// difference grows with the interaural level difference.
///
/// The neuron is a leaky integrator with a floor: each excitatory input raises the potential by
/// `excitatoryWeight`, each inhibitory input lowers it by `inhibitoryWeight` (never below
/// `floor`, the inhibitory reversal potential in units of threshold), and between inputs the
/// potential decays towards rest (0) with `membraneTimeConstantSeconds`. It fires when an
/// excitatory input brings the potential to `threshold`, resets to 0 and stays silent for
/// `refractorySeconds`. Like the coincidence detector it is simulated exactly, event by event.
public enum LateralSuperiorOlive {
    public struct Parameters: Sendable, Equatable, Codable {
        /// Membrane time constant, in seconds. Longer than the MSO's (a tenth of a millisecond):
        /// the LSO compares how much arrives from each ear over a millisecond or so, not exactly
        /// when (model choice; Tollin 2003 describes LSO cells as integrating over that scale).
        public var membraneTimeConstantSeconds: Double = 0.001
        /// Jump of the potential per ipsilateral spike (threshold = 1).
        public var excitatoryWeight: Double = 0.35
        /// Drop of the potential per contralateral (MNTB) spike.
        public var inhibitoryWeight: Double = 0.35
        /// Extra travel time of the inhibition, in seconds: the MNTB adds one synapse (the fast
        /// calyx of Held) to the contralateral path. Model choice: one synaptic delay.
        public var inhibitoryDelaySeconds: Double = 0.0002
        /// Lowest potential inhibition can reach (the reversal potential of the inhibitory
        /// current, in units of threshold), so that a burst of inhibition is not stored forever.
        public var floor: Double = -1.0
        /// Firing threshold (the unit of potential).
        public var threshold: Double = 1.0
        /// After a spike the neuron cannot fire for this long, in seconds.
        public var refractorySeconds: Double = 0.001

        public init() {}
    }

    /// The neuron's state between inputs.
    public struct State: Sendable, Equatable {
        /// Potential just after the last input, in units of threshold.
        public var potential: Double = 0
        /// Time of the last input, in seconds.
        var lastInputSeconds: Double = -.infinity
        /// Time of the last spike, in seconds.
        var lastSpikeSeconds: Double = -.infinity

        public init() {}
    }

    /// Which kind of synapse an input arrives at.
    public enum Input: Sendable { case excitatory, inhibitory }

    /// One input at `timeSeconds` (not before the state's last input): the state after it and
    /// whether the neuron fired. Pure: the same arguments always give the same answer.
    @inline(__always)
    public static func step(
        _ state: State, _ input: Input, atSeconds timeSeconds: Double,
        _ p: Parameters
    ) -> (state: State, fired: Bool) {
        var s = state
        let gap = timeSeconds - s.lastInputSeconds
        var v = s.potential * exp(-gap / p.membraneTimeConstantSeconds)
        s.lastInputSeconds = timeSeconds
        switch input {
        case .inhibitory:
            s.potential = max(p.floor, v - p.inhibitoryWeight)
            return (s, false)
        case .excitatory:
            v += p.excitatoryWeight
            if v >= p.threshold && timeSeconds - s.lastSpikeSeconds >= p.refractorySeconds {
                s.potential = 0
                s.lastSpikeSeconds = timeSeconds
                return (s, true)
            }
            s.potential = v
            return (s, false)
        }
    }

    /// Reference simulation of one neuron: merges the ipsilateral spikes with the contralateral
    /// ones (delayed by `inhibitoryDelaySeconds`) in time order and steps through them; at equal
    /// times the inhibition comes first. Returns the spike times, in seconds.
    public static func simulate(ipsilateral: [Double], contralateral: [Double], parameters p: Parameters) -> [Double] {
        var state = State()
        var out: [Double] = []
        var i = 0
        var j = 0
        while i < ipsilateral.count || j < contralateral.count {
            let inhibitionAt = j < contralateral.count ? contralateral[j] + p.inhibitoryDelaySeconds : .infinity
            if i >= ipsilateral.count || inhibitionAt <= ipsilateral[i] {
                state = step(state, .inhibitory, atSeconds: inhibitionAt, p).state
                j += 1
            } else {
                let r = step(state, .excitatory, atSeconds: ipsilateral[i], p)
                state = r.state
                if r.fired { out.append(ipsilateral[i]) }
                i += 1
            }
        }
        return out
    }
}

/// The LSOs of both sides of every frequency channel, fed block by block with the auditory-nerve
/// spikes of the two ears. The left LSO of a channel is excited by the left ear and inhibited by
/// the right; the right LSO the other way round. Results do not depend on how the sound is cut
/// into blocks: contralateral spikes whose delayed inhibition falls after the block's end wait for
/// the next block.
public struct LateralSuperiorOliveBank: Sendable {
    let parameters: LateralSuperiorOlive.Parameters
    let channelCount: Int
    /// Per side (0 = left, 1 = right) and channel.
    var states: [[LateralSuperiorOlive.State]]
    /// Inhibitory arrival times (already delayed) not yet reached, per side and channel.
    var pendingInhibition: [[[Double]]]
    /// LSO spikes so far, per side and channel.
    public private(set) var spikeCounts: [[Int]]

    public init(parameters: LateralSuperiorOlive.Parameters = .init(), channelCount: Int) {
        self.parameters = parameters
        self.channelCount = channelCount
        states = .init(repeating: .init(repeating: .init(), count: channelCount), count: 2)
        pendingInhibition = .init(repeating: .init(repeating: [], count: channelCount), count: 2)
        spikeCounts = .init(repeating: .init(repeating: 0, count: channelCount), count: 2)
    }

    /// Feeds one block of each ear's spikes (covering the same time span). Returns the LSO spikes
    /// this block produced, per side and channel.
    @discardableResult
    public mutating func process(left: SpikeBlock, right: SpikeBlock) -> [[Int]] {
        let end = min(left.endSeconds, right.endSeconds)
        var fired = [[Int]](repeating: .init(repeating: 0, count: channelCount), count: 2)
        for c in 0..<channelCount {
            fired[0][c] = run(
                side: 0, channel: c, ipsilateral: left.times[c], contralateral: right.times[c], until: end)
            fired[1][c] = run(
                side: 1, channel: c, ipsilateral: right.times[c], contralateral: left.times[c], until: end)
        }
        return fired
    }

    /// Applies the inhibition still pending (the end of the sound).
    public mutating func finish() {
        for side in 0..<2 {
            for c in 0..<channelCount {
                _ = run(side: side, channel: c, ipsilateral: [], contralateral: [], until: .infinity)
            }
        }
    }

    /// (right - left) / (right + left) LSO spikes per channel, in -1...1, 0 where neither fired.
    /// Positive when the right ear is louder (source on the right).
    public var rateDifferences: [Double] {
        (0..<channelCount).map { c in
            let l = Double(spikeCounts[0][c])
            let r = Double(spikeCounts[1][c])
            return l + r > 0 ? (r - l) / (r + l) : 0
        }
    }

    mutating func run(
        side: Int, channel c: Int, ipsilateral: [Double], contralateral: [Double],
        until end: Double
    ) -> Int {
        let p = parameters
        var pending = pendingInhibition[side][c]
        pending.append(contentsOf: contralateral.lazy.map { $0 + p.inhibitoryDelaySeconds })
        var state = states[side][c]
        var i = 0
        var j = 0
        var fired = 0
        while true {
            let inhibitionAt = j < pending.count && pending[j] < end ? pending[j] : .infinity
            let excitationAt = i < ipsilateral.count ? ipsilateral[i] : .infinity
            if inhibitionAt == .infinity && excitationAt == .infinity { break }
            if inhibitionAt <= excitationAt {
                state = LateralSuperiorOlive.step(state, .inhibitory, atSeconds: inhibitionAt, p).state
                j += 1
            } else {
                let r = LateralSuperiorOlive.step(state, .excitatory, atSeconds: excitationAt, p)
                state = r.state
                if r.fired { fired += 1 }
                i += 1
            }
        }
        pending.removeFirst(j)
        pendingInhibition[side][c] = pending
        states[side][c] = state
        spikeCounts[side][c] += fired
        return fired
    }
}
