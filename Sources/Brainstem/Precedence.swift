import Cochlea

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An onset neuron of one frequency channel: it fires when the channel's auditory-nerve spike rate
/// rises, and its spike opens the precedence gate of that channel's coincidence detectors for
/// `onsetWindowSeconds` (see `OnsetGates`).
///
/// The neuron sums a fast excitatory trace and a slow inhibitory one driven by the same nerve
/// spikes (both ears of the channel): each spike adds 1 to the excitation, which decays with
/// `excitationTimeConstantSeconds`, and the ratio of the two time constants to the inhibition,
/// which decays with `inhibitionTimeConstantSeconds`. At a steady rate r both traces hover about
/// r times the fast time constant, so with `inhibitionGain` above 1 the drive (excitation minus
/// gain times inhibition) stays below zero; when the rate rises the excitation follows within a
/// couple of milliseconds while the inhibition lags, and the drive crosses `threshold`. This is
/// the onset response of octopus and onset-chopper cells of the cochlear nucleus, which fire at a
/// sound's start and little in its steady part (Oertel et al. 2000, Proc. Natl. Acad. Sci. USA
/// 97:11773), reduced to two leaky traces. While its gate is open the neuron does not fire again.
public enum OnsetNeuron {
    public struct Parameters: Sendable, Equatable {
        /// Decay time constant of the excitatory trace, in seconds.
        public var excitationTimeConstantSeconds: Double = 0.002
        /// Decay time constant of the inhibitory trace, in seconds: longer, so that it lags.
        public var inhibitionTimeConstantSeconds: Double = 0.02
        /// Weight of the inhibitory trace against the excitatory one (1: balanced at a steady rate).
        public var inhibitionGain: Double = 1.5
        /// The neuron fires when the drive reaches this many spikes.
        public var threshold: Double = 5
        /// How long the gate stays open after the onset spike, in seconds: detector spikes then
        /// count `ITDReadout.Parameters.onsetWeight` times (the first wavefront).
        public var onsetWindowSeconds: Double = 0.005

        public init() {}
    }

    /// The neuron's state between input spikes.
    public struct State: Sendable, Equatable {
        /// Excitatory trace just after the last input, in spikes.
        public var excitation: Double = 0
        /// Inhibitory trace just after the last input, in spikes.
        public var inhibition: Double = 0
        /// Time of the last input, in seconds.
        public var lastInputSeconds: Double = -.infinity
        /// Time of the last onset spike, in seconds.
        public var lastOnsetSeconds: Double = -.infinity

        public init() {}
    }

    /// One nerve spike at `timeSeconds` (not before the state's last input): the state after it and
    /// whether the neuron fired. Pure: the same arguments always give the same answer.
    @inline(__always)
    public static func step(_ state: State, spikeAtSeconds timeSeconds: Double, _ p: Parameters) -> (
        state: State, fired: Bool
    ) {
        var s = state
        let gap = timeSeconds - s.lastInputSeconds
        s.excitation = s.excitation * exp(-gap / p.excitationTimeConstantSeconds) + 1
        s.inhibition =
            s.inhibition * exp(-gap / p.inhibitionTimeConstantSeconds)
            + p.excitationTimeConstantSeconds / p.inhibitionTimeConstantSeconds
        s.lastInputSeconds = timeSeconds
        let drive = s.excitation - p.inhibitionGain * s.inhibition
        guard drive >= p.threshold, timeSeconds - s.lastOnsetSeconds >= p.onsetWindowSeconds else {
            return (s, false)
        }
        s.lastOnsetSeconds = timeSeconds
        return (s, true)
    }
}

/// One onset neuron per channel, fed block by block with both ears' nerve spikes, and the gates
/// their spikes open: whether a detector spike at a given time falls in its channel's onset window.
struct OnsetGates: Sendable {
    let parameters: OnsetNeuron.Parameters
    var states: [OnsetNeuron.State]
    /// Onset spike times per channel whose gates may still be open, in order.
    var onsets: [[Double]]

    init(parameters: OnsetNeuron.Parameters, channelCount: Int) {
        self.parameters = parameters
        states = .init(repeating: .init(), count: channelCount)
        onsets = .init(repeating: [], count: channelCount)
    }

    /// Feeds one block of each ear's spikes (covering the same span), merged in time order; at
    /// equal times the left ear's first.
    mutating func process(left: SpikeBlock, right: SpikeBlock) {
        let p = parameters
        for c in states.indices {
            let l = left.times[c]
            let r = right.times[c]
            var state = states[c]
            var i = 0
            var j = 0
            while i < l.count || j < r.count {
                let t: Double
                if j >= r.count || (i < l.count && l[i] <= r[j]) {
                    t = l[i]
                    i += 1
                } else {
                    t = r[j]
                    j += 1
                }
                let step = OnsetNeuron.step(state, spikeAtSeconds: t, p)
                state = step.state
                if step.fired { onsets[c].append(t) }
            }
            states[c] = state
        }
    }

    /// Forgets onsets whose gates closed for every detector before `t`, the latest half delay
    /// `lastHalfDelaySeconds`, keeping the last such one (a later gate's stretch may still test it).
    mutating func forget(before t: Double, lastHalfDelaySeconds: Double) {
        let w = parameters.onsetWindowSeconds
        for c in onsets.indices {
            let k = onsets[c].firstIndex { $0 + w + lastHalfDelaySeconds > t } ?? onsets[c].count
            if k > 1 { onsets[c].removeFirst(k - 1) }
        }
    }

    /// Cuts [from, to) (left-ear input time) into stretches, in order, and gives each to `body`
    /// with the onsets of the gates its spikes may fall in, or nil where no detector's gate is
    /// open. Detector d's gate is open over [onset, onset + window) shifted by its half delay
    /// (see `OpenGates`), so a gate's stretch runs from its onset plus the least half delay to its
    /// end plus the greatest; where two stretches would overlap the later begins and also tests
    /// the earlier gate, which never overlaps it (the neuron does not fire while its gate is open).
    func forEachStretch(
        channel c: Int, from: Double, to: Double, halfDelays: ClosedRange<Double>,
        _ body: (Double, Double, (current: Double, previous: Double)?) -> Void
    ) {
        let w = parameters.onsetWindowSeconds
        let list = onsets[c]
        var t = from
        var previous = -Double.infinity
        for (k, o) in list.enumerated() {
            defer { previous = o }
            let start = o + halfDelays.lowerBound
            var end = o + w + halfDelays.upperBound
            if end <= t { continue }
            if start >= to { break }
            if start > t {
                body(t, start, nil)
                t = start
            }
            if k + 1 < list.count { end = min(end, list[k + 1] + halfDelays.lowerBound) }
            end = min(end, to)
            if end > t {
                body(t, end, (o, previous))
                t = end
            }
            if t >= to { return }
        }
        if to > t { body(t, to, nil) }
    }
}
