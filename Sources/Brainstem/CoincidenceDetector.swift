#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A coincidence detector of the medial superior olive: a neuron with two leaky dendrites, one
/// for each ear, that fires when inputs from both ears arrive together.
///
/// MSO neurons are bipolar: inputs from the left ear land on one dendrite and those from the right
/// on the other. Each dendrite saturates, so several inputs from the same side cannot reach
/// threshold on their own, while one input from each side can (Agmon-Snir, Carr & Rinzel 1998,
/// Nature 393:268). Each dendrite is a leaky integrator: its potential jumps by the synaptic
/// weight at each input spike (capped at the saturation level) and decays with the membrane time
/// constant, which is a fraction of a millisecond in MSO neurons (Scott, Mathews & Golding 2005,
/// J. Neurosci. 25:7887). The soma sums the two dendrites; when the sum reaches threshold at an
/// input, the neuron fires, then stays silent for a refractory period.
///
/// Between inputs the state decays analytically, so the neuron is simulated exactly, event by
/// event, with no clock.
public enum CoincidenceDetector {
    public struct Parameters: Sendable, Equatable, Codable {
        /// Dendritic (membrane) time constant, in seconds.
        public var membraneTimeConstantSeconds: Double = 0.0001
        /// Jump of a dendrite's potential per input spike (threshold = 1).
        var synapticWeight: Double = 0.6
        /// Highest potential one dendrite can reach (below threshold: one side alone never fires).
        var dendriteSaturation: Double = 0.8
        /// Somatic threshold (the unit of potential).
        var threshold: Double = 1.0
        /// After a spike the neuron cannot fire for this long, in seconds.
        var refractorySeconds: Double = 0.0003

        public init() {}

        /// Dendritic potential just after an input at `gapSeconds` after the previous input on
        /// the same side, whose post-input potential was `previous`.
        @inline(__always)
        func dendriteAfterInput(previous: Double, gapSeconds: Double) -> Double {
            min(previous * exp(-gapSeconds / membraneTimeConstantSeconds) + synapticWeight, dendriteSaturation)
        }

        /// The longest time, in seconds, by which an input whose dendrite stood at `other` may
        /// precede an input that brings its own dendrite to `own`, for the pair to reach
        /// threshold; nil if they cannot. Solves own + other exp(-gap / tau) >= threshold.
        @inline(__always)
        func coincidenceWindow(own: Double, other: Double) -> Double? {
            let need = threshold - own
            if need <= 0 { return .infinity }
            if other < need { return nil }
            return membraneTimeConstantSeconds * log(other / need)
        }
    }

    /// Reference simulation of one detector, written plainly: merges the two (delayed) input
    /// streams in time order and steps the neuron through them. Returns its spike times, in
    /// seconds. The Jeffress array computes the same thing for many detectors at once, faster;
    /// this version exists to check it.
    public static func simulate(left: [Double], right: [Double], parameters p: Parameters) -> [Double] {
        var i = 0
        var j = 0
        var dl = 0.0
        var dr = 0.0
        var tl = -Double.infinity
        var tr = -Double.infinity
        var lastSpike = -Double.infinity
        var out: [Double] = []
        while i < left.count || j < right.count {
            let takeLeft = j >= right.count || (i < left.count && left[i] <= right[j])
            let t: Double
            let soma: Double
            if takeLeft {
                t = left[i]
                i += 1
                dl = p.dendriteAfterInput(previous: dl, gapSeconds: t - tl)
                tl = t
                soma = dl + dr * exp(-(t - tr) / p.membraneTimeConstantSeconds)
            } else {
                t = right[j]
                j += 1
                dr = p.dendriteAfterInput(previous: dr, gapSeconds: t - tr)
                tr = t
                soma = dr + dl * exp(-(t - tl) / p.membraneTimeConstantSeconds)
            }
            if soma >= p.threshold && t - lastSpike >= p.refractorySeconds {
                out.append(t)
                lastSpike = t
            }
        }
        return out
    }
}
