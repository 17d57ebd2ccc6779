import Brainstem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The best interaural time difference read from Jeffress-array activity.
public struct ITDEstimate: Sendable, Equatable {
    /// Best ITD, in seconds (positive = right ear leads = source on the right).
    public var itdSeconds: Double
    /// 0...1: how far the peak stands above the rest of the curve.
    public var confidence: Double
    /// How many standard deviations of Poisson counting noise the peak stands above the mean.
    public internal(set) var significance: Double
}

/// Why a sound or a frame got no direction, in the words the CSV's status column uses.
public enum NoDirectionReason: String, Sendable, Equatable {
    /// Neither ear's fibres fired clearly more than they do in silence: whatever the detectors
    /// counted came from spontaneous firing (see `SpontaneousActivityTest`).
    case noEvidenceAboveSpontaneous = "no evidence above spontaneous activity"
    /// The integrated peak does not stand above what counting noise alone gives
    /// (`minimumSignificance`), or there were no counts.
    case notSignificant = "no consistent time difference"
    /// The curve has a second peak at the mirror-image delay nearly as high as the first
    /// (`maximumMirrorRatio`): left and right cannot be told apart, as for inverted polarity.
    case ambiguousSide = "mirror-image peaks (left and right equally likely)"
}

/// Whether the auditory nerve carried anything beyond its spontaneous firing: each ear's spike
/// count against what its fibres fire in silence. Spontaneous firing alone fills the Jeffress
/// array with coincidences whose chance peaks can pass any fixed significance threshold now and
/// then (docs/robustness.md, the null distribution), so a direction needs sound at both ears
/// first. Used for both codes.
public struct SpontaneousActivityTest: Sendable, Equatable {
    /// Standard deviations of Poisson counting noise the excess must reach. Fibre spike counts
    /// are less variable than Poisson (refractoriness makes the trains more regular), so the
    /// Poisson deviation is the larger, safe one.
    var sigmas: Double = 5
    /// The excess must also be at least this share of the expected count, since the expectation
    /// is the fibres' nominal spontaneous rate and the model's own rate may sit slightly off it
    /// (over 200 seeds of 0.5 s near-silence the count was 0.99-1.02 times the nominal one), which a
    /// long silent file would otherwise turn into many standard deviations.
    var minimumExcessRatio: Double = 0.05

    public init() {}

    /// True when `spikes` exceed what spontaneous firing at `expectedSpikes` gives.
    public func isAboveSpontaneous(spikes: Int, expectedSpikes: Double) -> Bool {
        let expected = max(expectedSpikes, 0)
        let margin = max(sigmas * expected.squareRoot(), minimumExcessRatio * expected)
        return Double(spikes) > expected + margin
    }
}

/// One detector's tally as the read-out sums it: its spike count (an integer), or its spikes each
/// weighted by the part of the precedence gate it fell in (a `Double`; `ITDReadout.weighted`).
public protocol DetectorTally: Sendable {
    var tallyValue: Double { get }
}

extension Int32: DetectorTally { public var tallyValue: Double { Double(self) } }
extension Int64: DetectorTally { public var tallyValue: Double { Double(self) } }
extension Double: DetectorTally { public var tallyValue: Double { self } }

/// Reads a direction from detector counts: across-frequency integration of the reliable
/// channels, then the centre of symmetry of the integrated peak.
///
/// Across frequency: each channel's counts minus its own mean are summed. Channels above about
/// 700 Hz have periodic ghosts (their count curve repeats every period), but the true ITD lines up
/// across all channels while the ghosts, spaced 1/fc apart, fall at different delays and average
/// out (Stern, Zeiberg & Trahiotis 1988, J. Acoust. Soc. Am. 84:156, "straightness").
///
/// Reliability: only channels whose counts vary across delays clearly more than counting noise
/// would make them are summed. Above about 2 kHz the auditory nerve's phase locking has faded
/// (Johnson 1980, J. Acoust. Soc. Am. 68:1115), so those detectors fire almost independently of
/// their delay and would add only noise; the same holds for any channel in a short or quiet
/// frame. The test is the channel's variance across delays against its mean count (the variance
/// of Poisson counts), so it needs no knowledge of the sound.
///
/// Peak: for a pure time difference each channel's curve, and so their sum, is symmetric about
/// the true ITD (the detectors are symmetric in left and right). The estimate is the point about
/// which the integrated curve is most symmetric over a stretch of the peak on both sides, found to
/// a fiftieth of the delay spacing on the linearly interpolated curve. Using the whole peak
/// averages the counting noise of many detectors, unlike a vertex through three points, and a
/// symmetric fit has no bias towards grid points.
public struct ITDReadout: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// A peak must stand this many standard deviations of counting noise above the mean,
        /// or the frame has no direction.
        public var minimumSignificance: Double = 4
        /// A channel joins the integration when the variance of its counts across delays is more
        /// than this many times its mean count (1 for pure counting noise).
        var reliabilityVarianceRatio: Double = 3
        /// The most tuned channels always join, up to this many, if their variance exceeds their
        /// mean at all.
        var minimumReliableChannels: Int = 20
        /// Half-width of the stretch of the peak compared with its mirror image, in seconds;
        /// shortened near the ends of the delay range.
        var symmetryHalfWidthSeconds: Double = 0.00027
        /// The side is ambiguous, and the frame has no direction, when the curve at the mirror
        /// image of the peak's delay (-ITD) rises to more than this share of the peak's height
        /// above the curve's lowest point, and that mirror point lies outside the peak. Inverted
        /// polarity (left = -right) gives a trough at 0 and two equal peaks either side (over 200
        /// seeds the lower stood at 0.90 or more of the higher); see docs/robustness.md.
        public var maximumMirrorRatio: Double = 0.85
        /// Each frame's share of the whole sound's activity is weighted by how consistent its own
        /// map is: its own across-frequency peak's height in standard deviations of counting noise
        /// above the curve's mean (`evidence`, in the frame alone), less this floor; frames at or
        /// below it count not at all, unless no frame rises above it, when every frame counts
        /// alike. The weighting of cues by interaural coherence of Faller & Merimaa (2004, J.
        /// Acoust. Soc. Am. 116:3075), read from the detector map: in a room, frames filled by
        /// reflections from everywhere have flat maps, and those led by the direct sound have sharp
        /// ones. 9 was the best binary threshold of 2, 3, 6, 9 and 12 on the development set, and
        /// the excess over it beat weights of 1 above it, powers of the significance and softer
        /// floors (docs/comparison.md). Null inputs seldom rise above it in a frame, and their
        /// false alarms are those of the all-or-nothing rule (docs/robustness.md). Nil: every frame
        /// counts alike, at weight 1.
        public var minimumFrameSignificance: Double? = 9
        /// The precedence effect (Litovsky et al. 1999, J. Acoust. Soc. Am. 106:1633): a detector
        /// spike in the onset window of its channel's gate (`OnsetNeuron`, Brainstem) counts this
        /// many times, any other once. Weighted, not replaced, so that a sound with few onsets
        /// (a steady noise) reads about as without them. 4 was chosen on the development set
        /// among 2, 3, 4, 6 and 8 (docs/model.md).
        public var onsetWeight: Double = 4
        public init() {}
    }

    var parameters: Parameters
    let delaysSeconds: [Double]

    public init(parameters: Parameters = .init(), delaysSeconds: [Double]) {
        self.parameters = parameters
        self.delaysSeconds = delaysSeconds
    }

    /// A frame's counts with each spike in an open precedence gate counted `onsetWeight` times
    /// (the plain counts when the frame has no gates), and two totals over the frame: the weights
    /// (`mass`, the map's sum) and the squared weights (`variance`, the noise variance of that sum
    /// if spikes are Poisson). See `WeightedCounts.normalised`.
    public func weighted(_ frame: ITDFrame) -> WeightedCounts {
        var w = WeightedCounts(map: frame.counts.map(Double.init), mass: 0, variance: 0)
        w.mass = w.map.reduce(0, +)
        w.variance = w.mass
        guard frame.onsetCounts.count == frame.counts.count else { return w }
        let extra = parameters.onsetWeight - 1
        var onset = 0.0
        for i in w.map.indices {
            let k = Double(frame.onsetCounts[i])
            w.map[i] += extra * k
            onset += k
        }
        w.mass += extra * onset
        w.variance += (parameters.onsetWeight * parameters.onsetWeight - 1) * onset
        return w
    }

    /// A frame's weight in the whole sound's activity, from its `evidence` (on its weighted map):
    /// how far that stands above `minimumFrameSignificance`, 0 at or below it; 1 for every frame
    /// when frames are not weighted.
    public func frameWeight(evidence: Double) -> Double {
        guard let floor = parameters.minimumFrameSignificance else { return 1 }
        return evidence.isFinite ? max(0, evidence - floor) : 0
    }

    /// Which channels' counts vary across delays clearly more than counting noise would make
    /// them: those over `reliabilityVarianceRatio`, and at least the `minimumReliableChannels`
    /// most tuned ones (variance over the mean), so that noise in both ears, which flattens every
    /// channel, does not leave the sum empty.
    func reliableChannels<Count: DetectorTally>(counts: [Count], channelCount: Int) -> [Bool] {
        let n = delaysSeconds.count
        let ratios: [Double] = (0..<channelCount).map { c in
            var sum = 0.0
            var squares = 0.0
            for d in 0..<n {
                let x = counts[c * n + d].tallyValue
                sum += x
                squares += x * x
            }
            let mean = sum / Double(n)
            let variance = max(0, squares / Double(n) - mean * mean)
            return mean > 0 ? variance / max(mean, 1) : 0
        }
        let ranked = ratios.indices.sorted { ratios[$0] > ratios[$1] }
        var use = ratios.map { $0 > parameters.reliabilityVarianceRatio }
        for c in ranked.prefix(parameters.minimumReliableChannels) where ratios[c] > 1 { use[c] = true }
        return use
    }

    /// Each channel's part in the across-frequency curve at `itdSeconds`: its count there
    /// (interpolated between delays) above its own mean, for the channels `integrate` sums, and 0
    /// for the others and below the mean. These weigh the channels' own ITD curves when the ITD is
    /// turned into an azimuth (`HeadModel.azimuthDegrees(itdSeconds:channelWeights:)`).
    public func channelWeights(counts: [Double], channelCount: Int, itdSeconds: Double) -> [Double] {
        let n = delaysSeconds.count
        var w = [Double](repeating: 0, count: channelCount)
        guard n >= 2, counts.count >= n * channelCount, itdSeconds.isFinite else { return w }
        let use = reliableChannels(counts: counts, channelCount: channelCount)
        let x = min(max((itdSeconds - delaysSeconds[0]) / (delaysSeconds[1] - delaysSeconds[0]), 0), Double(n - 1))
        let i = min(Int(x), n - 2)
        let f = x - Double(i)
        for c in 0..<channelCount where use[c] {
            let row = counts[(c * n)..<((c + 1) * n)]
            let mean = row.reduce(0, +) / Double(n)
            let here = counts[c * n + i] * (1 - f) + counts[c * n + i + 1] * f
            w[c] = max(0, here - mean)
        }
        return w
    }

    /// Across-frequency curve of the channels in `use`: for each delay, the sum over those
    /// channels of (count - channel mean); and the number of counts it is made of.
    func integrate<Count: DetectorTally>(counts: [Count], channelCount: Int, use: [Bool]) -> (
        curve: [Double], counts: Double
    ) {
        let n = delaysSeconds.count
        var curve = [Double](repeating: 0, count: n)
        var used = 0.0
        for c in 0..<channelCount where use[c] {
            var sum = 0.0
            for d in 0..<n { sum += counts[c * n + d].tallyValue }
            let mean = sum / Double(n)
            used += sum
            for d in 0..<n { curve[d] += counts[c * n + d].tallyValue - mean }
        }
        return (curve, used)
    }

    /// The across-frequency curve the estimate reads: the sum over this map's reliable channels.
    public func integrate<Count: DetectorTally>(counts: [Count], channelCount: Int) -> [Double] {
        integrate(
            counts: counts, channelCount: channelCount,
            use: reliableChannels(counts: counts, channelCount: channelCount)
        ).curve
    }

    /// The best ITD in a map of counts (`counts[channel * delays + delay]`), or nil when the
    /// peak is not significant (silence, too few spikes, or no consistent time difference).
    /// `reliable` picks the channels to integrate; by default those of this map that pass the
    /// reliability test. A short frame can borrow the choice made on the whole sound so far,
    /// which its own few counts could not make.
    /// `preferringPeakNear` (seconds), when given, picks the local maximum of the curve nearest
    /// that ITD instead of the highest one (a cue outside the ITD curve, such as the level
    /// difference, has chosen among its peaks; see `LevelEvidence`); significance is still that of
    /// the highest peak.
    public func estimate<Count: DetectorTally>(
        counts: [Count], channelCount: Int, reliable: [Bool]? = nil, preferringPeakNear preferred: Double? = nil,
        plain: PlainEvidence? = nil
    ) -> ITDEstimate? {
        try? decide(
            counts: counts, channelCount: channelCount, reliable: reliable, preferringPeakNear: preferred,
            plain: plain
        ).get()
    }

    /// What `decide` reads from the plain spike counts behind a weighted map.
    public struct PlainEvidence: Sendable {
        /// `evidence` of the plain counts.
        var significance: Double
        /// Their across-frequency curve, on the same channels.
        var curve: [Double]
    }

    /// The plain counts' significance and curve over `reliable` channels (by default their own).
    public func plainEvidence<Count: DetectorTally>(counts: [Count], channelCount: Int, reliable: [Bool]? = nil)
        -> PlainEvidence?
    {
        let n = delaysSeconds.count
        guard n >= 3, counts.count >= n * channelCount else { return nil }
        let use = reliable ?? reliableChannels(counts: counts, channelCount: channelCount)
        guard use.count >= channelCount else { return nil }
        let (curve, used) = integrate(counts: counts, channelCount: channelCount, use: use)
        guard used > 0, let peak = curve.max() else { return PlainEvidence(significance: 0, curve: curve) }
        let s = Self.significance(peak: peak, counts: used, delayCount: n)
        return PlainEvidence(significance: s.isFinite ? s : 0, curve: curve)
    }

    /// `estimate`, or why there is none. `sideSettled`: another cue (the level difference) has
    /// told the side apart, so mirror-image peaks are no reason to give no direction.
    /// `plain`: the plain spike counts behind a weighted map (`plainEvidence`). Whether there is a
    /// direction at all, and whether its side is ambiguous, are then judged on them: the weighted
    /// counts' noise is not Poisson, and the weights' noise could make one of two mirror-image
    /// peaks stand out.
    public func decide<Count: DetectorTally>(
        counts: [Count], channelCount: Int, reliable: [Bool]? = nil, preferringPeakNear preferred: Double? = nil,
        sideSettled: Bool = false, plain: PlainEvidence? = nil
    ) -> Result<ITDEstimate, NoDirection> {
        let n = delaysSeconds.count
        guard n >= 3, counts.count >= n * channelCount else { return .failure(.init(.notSignificant)) }
        let use = reliable ?? reliableChannels(counts: counts, channelCount: channelCount)
        guard use.count >= channelCount else { return .failure(.init(.notSignificant)) }
        let (curve, used) = integrate(counts: counts, channelCount: channelCount, use: use)
        guard used > 0 else { return .failure(.init(.notSignificant)) }
        var best = 0
        for d in 1..<n where curve[d] > curve[best] { best = d }
        let significance = plain?.significance ?? Self.significance(peak: curve[best], counts: used, delayCount: n)
        guard significance.isFinite, significance >= parameters.minimumSignificance else {
            return .failure(.init(.notSignificant))
        }
        let step = delaysSeconds[1] - delaysSeconds[0]
        if let preferred {
            let target = (preferred - delaysSeconds[0]) / step
            let peaks = (0..<n).filter { d in
                (d == 0 || curve[d] >= curve[d - 1]) && (d == n - 1 || curve[d] >= curve[d + 1]) && curve[d] > 0
            }
            if let nearest = peaks.min(by: { abs(Double($0) - target) < abs(Double($1) - target) }) { best = nearest }
        }
        let halfWidth = max(1, parameters.symmetryHalfWidthSeconds / step)
        if !sideSettled,
            mirrorRatio(plain?.curve ?? curve, peak: best, halfWidth: halfWidth) > parameters.maximumMirrorRatio
        {
            return .failure(.init(.ambiguousSide))
        }
        let centre = symmetryCentre(curve, near: best, halfWidth: halfWidth)
        let itd = delaysSeconds[0] + centre * step
        return .success(
            ITDEstimate(
                itdSeconds: itd, confidence: prominence(curve, peak: best, halfWidth: Int(halfWidth.rounded(.up))),
                significance: significance))
    }

    /// The failure of `decide`: a reason, wrapped so that it can be a `Result`'s error.
    public struct NoDirection: Error, Equatable {
        public var reason: NoDirectionReason
        public init(_ reason: NoDirectionReason) { self.reason = reason }
    }

    /// 0...1: the curve's height at the delay mirroring the peak's (-ITD on the symmetric delay
    /// grid) over the peak's height, both above the curve's lowest point; 0 when the mirror point
    /// lies within `halfWidth` grid points of the peak (a source near the midline is its own
    /// mirror image) or the grid is not symmetric about 0.
    func mirrorRatio(_ curve: [Double], peak: Int, halfWidth: Double) -> Double {
        let mirror = curve.count - 1 - peak
        let step = delaysSeconds[1] - delaysSeconds[0]
        let symmetric = abs(delaysSeconds[0] + delaysSeconds[curve.count - 1]) <= 1e-6 * step
        guard symmetric, Double(abs(mirror - peak)) > 2 * halfWidth, let lowest = curve.min() else { return 0 }
        let range = curve[peak] - lowest
        guard range > 0 else { return 0 }
        let r = (curve[mirror] - lowest) / range
        return r.isFinite ? min(1, max(0, r)) : 0
    }

    /// The peak's height in standard deviations of Poisson counting noise: each delay's summed
    /// count is taken as Poisson, with variance equal to its mean.
    static func significance(peak: Double, counts: Double, delayCount: Int) -> Double {
        peak / max(counts / Double(delayCount), 1).squareRoot()
    }

    /// The detection statistic `estimate` compares with `minimumSignificance`, whether or not it
    /// passes: 0 when there is nothing to read. For measuring its distribution on null inputs.
    public func evidence<Count: DetectorTally>(counts: [Count], channelCount: Int) -> Double {
        plainEvidence(counts: counts, channelCount: channelCount)?.significance ?? 0
    }

    /// Where, in grid units within 3 points of `best`, the curve is most symmetric: the least
    /// mean squared difference between the curve and its mirror image over +/- `halfWidth`.
    func symmetryCentre(_ curve: [Double], near best: Int, halfWidth: Double) -> Double {
        let last = Double(curve.count - 1)
        func value(_ x: Double) -> Double {
            let i = min(max(Int(x), 0), curve.count - 2)
            let f = x - Double(i)
            return curve[i] + f * (curve[i + 1] - curve[i])
        }
        var bestCentre = Double(best)
        var bestCost = Double.infinity
        let resolution = 0.02
        for k in -150...150 {
            let centre = Double(best) + Double(k) * resolution
            let h = min(halfWidth, centre, last - centre)
            guard h >= 1 else { continue }
            var cost = 0.0
            var terms = 0.0
            var x = 0.5
            while x <= h + 1e-9 {
                let diff = value(centre + x) - value(centre - x)
                cost += diff * diff
                terms += 1
                x += 0.5
            }
            cost /= terms
            if cost < bestCost {
                bestCost = cost
                bestCentre = centre
            }
        }
        return bestCentre
    }

    /// 0...1: how far the peak stands above the highest point outside it, relative to the
    /// curve's whole range.
    func prominence(_ curve: [Double], peak: Int, halfWidth: Int) -> Double {
        let top = curve[peak]
        var lowest = top
        var rival = -Double.infinity
        for (d, y) in curve.enumerated() {
            lowest = min(lowest, y)
            if abs(d - peak) > halfWidth { rival = max(rival, y) }
        }
        guard top > lowest else { return 0 }
        if rival == -.infinity { rival = lowest }
        let p = (top - rival) / (top - lowest)
        return p.isFinite ? min(1, max(0, p)) : 0
    }
}

/// Detector counts weighted by the precedence gate (and, summed over frames, by the frames'
/// weights), with the totals that say how noisy they are.
public struct WeightedCounts: Sendable, Equatable {
    /// `[channel * delays + delay]`: spikes, those in open gates counted `onsetWeight` times.
    public var map: [Double]
    /// Sum of the weights of all the spikes (the sum of `map`).
    public var mass: Double
    /// Sum of the squared weights: the variance of `mass` for Poisson spikes.
    public var variance: Double

    /// `map` in units of counting noise: multiplied by `mass` over `variance` (1 for plain counts;
    /// below 1 for onset weights above 1, above 1 for frame weights below 1), so that, as for
    /// plain counts, a cell's noise variance is about its value and the reliability and
    /// significance tests, which take counts as Poisson, keep their meaning. (The sum then holds
    /// as much noise as mass squared over variance Poisson counts, the effective count of Kish
    /// 1965, Survey Sampling; taken alike for every cell.) The curve's shape, and so the ITD read
    /// from it, does not change.
    public var normalised: [Double] {
        guard mass > 0, variance > 0 else { return map }
        let scale = mass / variance
        return map.map { $0 * scale }
    }

    /// Plain spike counts: every weight 1.
    init(plain counts: [Int32]) {
        map = counts.map(Double.init)
        mass = map.reduce(0, +)
        variance = mass
    }

    init(map: [Double], mass: Double, variance: Double) {
        self.map = map
        self.mass = mass
        self.variance = variance
    }

    /// Adds `other` with every weight multiplied by `scale`: the mass grows by `scale` times
    /// its mass and the variance by `scale` squared times its variance.
    mutating func add(_ other: WeightedCounts, scaledBy scale: Double = 1) {
        for i in 0..<min(map.count, other.map.count) { map[i] += scale * other.map[i] }
        mass += scale * other.mass
        variance += scale * scale * other.variance
    }
}

/// One frame as the read-out took it: its own estimate (for the track) and its weight in the whole
/// sound's activity (`ITDReadout.frameWeight`).
public struct FrameReading: Sendable, Equatable {
    /// Nil when no track is kept or the frame has no direction.
    public var estimate: ITDEstimate?
    /// 0 for a frame that does not count (unless no frame of the sound counts, when all do alike);
    /// 1 for every frame with the weighting off.
    public var weight: Double
}

/// Reads Jeffress-array frames as they come: adds them to the whole sound's activity and, when
/// asked, estimates each frame on its own (the track). Each frame is read with its spikes weighted
/// by the precedence gate (`ITDReadout.weighted`): the frame weights, the track and the decision
/// read the weighted counts, while `activity` keeps the plain spike counts of the same frames.
public struct FrameReadout: Sendable {
    let readout: ITDReadout
    let channelCount: Int
    let keepsTrack: Bool
    /// Detector spikes summed over every frame so far, `[channel * delays + delay]`.
    public private(set) var everyFrame: [Int64]
    /// The same, over the frames with a weight above 0, unweighted, and how many there were.
    private(set) var consistentFrames: [Int64]
    public private(set) var consistentFrameCount = 0
    /// `everyFrame` with the spikes weighted by the precedence gate.
    private(set) var everyFrameWeighted: WeightedCounts
    /// The frames' weighted and plain counts, each frame's multiplied by its weight, with the
    /// masses and variances that keep the significance tests in units of counting noise.
    private(set) var consistentFramesWeighted: WeightedCounts
    private(set) var consistentFramesPlain: WeightedCounts

    /// The plain spikes of the frames the decision reads: those with a weight, or every frame when
    /// none had one; unweighted (for pictures and the null distribution).
    public var activity: [Int64] { consistentFrameCount > 0 ? consistentFrames : everyFrame }
    /// The same frames' weighted counts, in units of counting noise (`WeightedCounts.normalised`):
    /// what the decision reads the ITD from (whether there is one is judged on `plainEvidence`).
    var weightedActivity: [Double] {
        (consistentFrameCount > 0 ? consistentFramesWeighted : everyFrameWeighted).normalised
    }

    public init(readout: ITDReadout, channelCount: Int, keepsTrack: Bool) {
        self.readout = readout
        self.channelCount = channelCount
        self.keepsTrack = keepsTrack
        everyFrame = .init(repeating: 0, count: channelCount * readout.delaysSeconds.count)
        consistentFrames = everyFrame
        everyFrameWeighted = WeightedCounts(map: .init(repeating: 0, count: everyFrame.count), mass: 0, variance: 0)
        consistentFramesWeighted = everyFrameWeighted
        consistentFramesPlain = everyFrameWeighted
    }

    /// Adds one frame, with its weight; its own estimate when the track is kept.
    public mutating func absorb(_ frame: ITDFrame) -> FrameReading {
        let weighted = readout.weighted(frame)
        Self.add(frame.counts, to: &everyFrame)
        everyFrameWeighted.add(weighted)
        // The frame is judged on its weighted map read as counts: a frame whose sharp part came
        // in open gates (led by the direct sound) weighs more than the same spikes outside them
        // would. This is where most of what precedence buys comes from (docs/model.md).
        let weight = readout.frameWeight(evidence: readout.evidence(counts: weighted.map, channelCount: channelCount))
        if weight > 0 {
            Self.add(frame.counts, to: &consistentFrames)
            consistentFramesWeighted.add(weighted, scaledBy: weight)
            consistentFramesPlain.add(WeightedCounts(plain: frame.counts), scaledBy: weight)
            consistentFrameCount += 1
        }
        guard keepsTrack else { return FrameReading(estimate: nil, weight: weight) }
        let reliable = readout.reliableChannels(counts: weightedActivity, channelCount: channelCount)
        let estimate = readout.estimate(
            counts: weighted.normalised, channelCount: channelCount, reliable: reliable,
            plain: readout.plainEvidence(counts: frame.counts, channelCount: channelCount, reliable: reliable))
        return FrameReading(estimate: estimate, weight: weight)
    }

    /// The plain spikes of the frames the decision reads, each frame's multiplied by its weight
    /// and put in units of counting noise, as `decide` weighs them (`plain`).
    var plainEvidence: ITDReadout.PlainEvidence? {
        consistentFrameCount > 0
            ? readout.plainEvidence(counts: consistentFramesPlain.normalised, channelCount: channelCount)
            : readout.plainEvidence(counts: everyFrame, channelCount: channelCount)
    }

    static func add(_ counts: [Int32], to sum: inout [Int64]) {
        counts.withUnsafeBufferPointer { counts in
            sum.withUnsafeMutableBufferPointer { sum in
                for i in 0..<min(counts.count, sum.count) { sum[i] += Int64(counts[i]) }
            }
        }
    }

    /// The estimate from all frames so far.
    func overall() -> ITDEstimate? { try? overallDecision().get() }

    /// The estimate from all frames so far, or why there is none.
    func overallDecision() -> Result<ITDEstimate, ITDReadout.NoDirection> {
        readout.decide(counts: weightedActivity, channelCount: channelCount, plain: plainEvidence)
    }
}
