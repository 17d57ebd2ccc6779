import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Spontaneous-rate classes of auditory-nerve fibres (Liberman 1978, J. Acoust. Soc. Am. 63:442):
/// high (about 61% of fibres), medium (23%) and low (16%) spontaneous rate. Low-rate fibres have
/// higher thresholds and wider dynamic ranges.
public enum SpontaneousRateClass: String, Sendable, CaseIterable, Codable {
    case high, medium, low
}

/// One auditory-nerve fibre: an inhomogeneous Poisson process whose hazard is driven by the inner
/// hair cell and suppressed after each spike by an absolute and a relative refractory period.
///
/// Spike times are drawn exactly, in continuous time, by time rescaling (Brown et al. 2002,
/// Neural Comput. 14:325): the integral of the hazard between candidate events is Exp(1), so one
/// random draw is spent per candidate spike rather than per sample. Refractoriness is applied by
/// thinning (Lewis & Shedler 1979): a candidate at time t after the last spike is kept with
/// probability r(t) <= 1, the recovery function, which is exact because r never exceeds one.
public struct AuditoryNerveFiber: Sendable {
    public struct Parameters: Sendable, Equatable, Codable {
        var spontaneousRateClass: SpontaneousRateClass
        /// Spontaneous discharge rate, in spikes/s, as measured (after refractoriness).
        public var spontaneousRateHz: Double
        /// Sound level, in dB SPL, at which the driven rate is half its maximum.
        var halfSaturationSPL: Double
        /// Width of the rate-level function's rise, in dB (the logistic's scale).
        var dynamicRangeSlopeDB: Double
        /// Driven hazard at saturation, in spikes/s, before refractoriness.
        var saturatedDrivenRateHz: Double
        /// Absolute refractory period, in seconds (0.7-1 ms in cat fibres).
        public var absoluteRefractorySeconds: Double = 0.00075
        /// Time constant of recovery after the absolute refractory period, in seconds.
        var relativeRefractorySeconds: Double = 0.0006
        /// Upper limit of the hazard, in spikes/s, e.g. at a sudden onset.
        var maximumHazardHz: Double = 5000
        /// How far below the rate's half-saturation level, in dB, phase locking reaches half its
        /// depth. Fibres phase-lock to tones 10-20 dB below the level at which their rate rises
        /// (Johnson 1980, J. Acoust. Soc. Am. 68:1115; Rose et al. 1967): near threshold the
        /// spontaneous spikes are re-timed to the stimulus before there are more of them.
        var synchronyLeadDB: Double = 15

        /// Defaults per class, after Liberman (1978) for spontaneous rates and thresholds and
        /// Sachs & Abbas (1974) for dynamic ranges; saturated rates land at 200-300 spikes/s.
        public static func typical(_ c: SpontaneousRateClass) -> Parameters {
            switch c {
            case .high:
                Parameters(
                    spontaneousRateClass: c, spontaneousRateHz: 60, halfSaturationSPL: 25,
                    dynamicRangeSlopeDB: 4, saturatedDrivenRateHz: 300)
            case .medium:
                Parameters(
                    spontaneousRateClass: c, spontaneousRateHz: 5, halfSaturationSPL: 40,
                    dynamicRangeSlopeDB: 6, saturatedDrivenRateHz: 280)
            case .low:
                Parameters(
                    spontaneousRateClass: c, spontaneousRateHz: 0.5, halfSaturationSPL: 55,
                    dynamicRangeSlopeDB: 9, saturatedDrivenRateHz: 260)
            }
        }

        init(
            spontaneousRateClass: SpontaneousRateClass, spontaneousRateHz: Double, halfSaturationSPL: Double,
            dynamicRangeSlopeDB: Double, saturatedDrivenRateHz: Double
        ) {
            self.spontaneousRateClass = spontaneousRateClass
            self.spontaneousRateHz = spontaneousRateHz
            self.halfSaturationSPL = halfSaturationSPL
            self.dynamicRangeSlopeDB = dynamicRangeSlopeDB
            self.saturatedDrivenRateHz = saturatedDrivenRateHz
        }

        /// The spontaneous hazard that yields the measured spontaneous rate once refractoriness
        /// removes spikes: a renewal process with mean dead time d has rate h / (1 + h d).
        var spontaneousHazardHz: Double {
            let d = absoluteRefractorySeconds + relativeRefractorySeconds
            return spontaneousRateHz / max(1 - spontaneousRateHz * d, 0.05)
        }

        /// Driven hazard (before multiplying by the fine-structure drive) at `levelSPL`, in spikes/s.
        func drivenHazard(levelSPL: Double) -> Double {
            saturatedDrivenRateHz / (1 + exp(-(levelSPL - halfSaturationSPL) / dynamicRangeSlopeDB))
        }

        /// The hazard at `levelSPL`, in spikes/s, as `steady + locked x drive` where `drive` is the
        /// hair cell's fine-structure drive (mean 1): the mean is the spontaneous plus the driven
        /// hazard, and the share that follows the fine structure grows with level, ahead of the
        /// rate (see `synchronyLeadDB`).
        @inline(__always)
        func hazardTerms(levelSPL: Double) -> (steady: Double, locked: Double) {
            let mean = spontaneousHazardHz + drivenHazard(levelSPL: levelSPL)
            let depth = 1 / (1 + exp(-(levelSPL - halfSaturationSPL + synchronyLeadDB) / dynamicRangeSlopeDB))
            return (mean * (1 - depth), mean * depth)
        }

        /// Probability that a candidate spike `sinceLastSpike` seconds after the previous one
        /// survives refractoriness.
        @inline(__always)
        func recovery(sinceLastSpike: Double) -> Double {
            let t = sinceLastSpike - absoluteRefractorySeconds
            return t <= 0 ? 0 : 1 - exp(-t / relativeRefractorySeconds)
        }
    }

    /// What a fibre carries from one block to the next.
    struct State: Sendable, Equatable {
        /// Time of the last spike, in seconds.
        var lastSpikeSeconds: Double = -.infinity
        /// The integrated hazard (from the start of the sound) at which the next candidate falls,
        /// or nil while the fibre is dead until `resumeSeconds`.
        var target: Double?
        /// After a spike, integration resumes at this time, in seconds ...
        var resumeSeconds: Double = -.infinity
        /// ... and the next candidate falls this much integrated hazard later.
        var remaining: Double
        init(remaining: Double) { self.remaining = remaining }
    }

    let parameters: Parameters
    var state: State
    var generator: SeededGenerator

    init(parameters: Parameters, generator: SeededGenerator) {
        self.parameters = parameters
        self.generator = generator
        state = State(remaining: 0)
        state.target = self.generator.nextExponential()
    }

    /// Advances the fibre through one block of integrated hazard and appends its spike times.
    ///
    /// `cumulative` has `frames + 1` values: `cumulative[k]` is the integral of the hazard from
    /// the start of the sound to the start of the block's interval k. Interval k has constant
    /// hazard and is centred on sample `firstFrame + k`. All positions are computed from absolute
    /// sample numbers, so any split of the sound into blocks gives the same spikes to the last bit.
    mutating func advance(
        cumulative: UnsafeBufferPointer<Double>, frames: Int,
        firstFrame: Int, dtSeconds: Double, spikes: inout [Double]
    ) {
        @inline(__always) func cum(_ k: Int) -> Double { cumulative[k] }
        let endSeconds = (Double(firstFrame + frames) - 0.5) * dtSeconds
        // Integrated hazard at time t inside the block, and its interval.
        func cumAt(_ t: Double) -> (value: Double, interval: Int) {
            let x = t / dtSeconds + 0.5
            // Truncation is the floor for x >= 0; t is never before the block's start, so x is
            // at least `firstFrame` up to rounding, and a rounded x in (-1, 0) at the very start
            // gives interval 0 either way through the clamp below.
            let absolute = truncatedToInt(x)
            let k = min(max(absolute - firstFrame, 0), frames - 1)
            let f = min(max(x - Double(firstFrame + k), 0), 1)
            return (cum(k) + f * (cum(k + 1) - cum(k)), k)
        }
        var target: Double
        var k: Int
        if let t = state.target {
            target = t
            k = 0
        } else {
            if state.resumeSeconds >= endSeconds { return }
            let (base, interval) = cumAt(state.resumeSeconds)
            target = base + state.remaining
            k = interval
        }
        let total = cum(frames)
        while true {
            if target >= total {
                state.target = target
                return
            }
            k = Self.interval(containing: target, in: cumulative, from: k, frames: frames)
            let width = cum(k + 1) - cum(k)
            let fraction = width > 0 ? (target - cum(k)) / width : 0
            let t = (Double(firstFrame + k) - 0.5 + fraction) * dtSeconds
            if generator.nextOpenUnit() < parameters.recovery(sinceLastSpike: t - state.lastSpikeSeconds) {
                spikes.append(t)
                state.lastSpikeSeconds = t
                let resume = t + parameters.absoluteRefractorySeconds
                if resume >= endSeconds {
                    state.target = nil
                    state.resumeSeconds = resume
                    state.remaining = generator.nextExponential()
                    return
                }
                let (base, interval) = cumAt(resume)
                k = interval
                target = base + generator.nextExponential()
            } else {
                target += generator.nextExponential()
            }
        }
    }

    /// The interval k >= `from` with `cum[k] <= target < cum[k + 1]`, given
    /// `cum[from] <= target < cum[frames]`. The integral never falls, so k is unique and any search
    /// finds the same one.
    ///
    /// Skips ahead 16 values at a time (a well-predicted branch), then counts the last 16 values
    /// that are at or below the target: the count has no unpredictable branches, where a
    /// bisection's comparisons are coin flips.
    @inline(__always)
    static func interval(containing target: Double, in cum: UnsafeBufferPointer<Double>, from: Int, frames: Int) -> Int
    {
        let width = 16
        var k = from
        while k &+ width < frames && cum[k &+ width] <= target { k &+= width }
        // cum[k + 1 ..< end] holds the values still to count. cum[end] is above the target (the
        // skip stopped there, or end is `frames`), so counting it in pairs, two at a time, may
        // read it but never counts it.
        let end = min(k &+ width, frames)
        let t = SIMD2(repeating: target)
        var below = SIMD2<Int64>.zero
        var j = k &+ 1
        while j < end {
            below &+= SIMD2<Int64>.zero.replacing(with: 1, where: SIMD2(cum[j], cum[j &+ 1]) .<= t)
            j &+= 2
        }
        return k &+ Int(below[0] &+ below[1])
    }
}
