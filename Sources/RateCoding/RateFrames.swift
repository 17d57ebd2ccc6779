/// How the rate code cuts a sound into decisions, and what it reads from each: the shape of one
/// frame's feature vector. A trained read-out (`RateClassifier`) holds the layout it was trained
/// with, and fits only features of the same layout.
public struct RateFrameLayout: Sendable, Equatable, Codable {
    /// Counting window (bin) width, in seconds.
    public var windowSeconds: Double
    /// Windows per decision frame: one window, or as many as make `RateFrameLayout.minimumFrameSeconds`
    /// when the window is shorter (a decision from one 0.05 ms bin would rest on a handful of spikes).
    public var binsPerFrame: Int
    public var channelCount: Int
    /// The binned cross-correlation's lags run over -maxLagBins...maxLagBins windows.
    public var maxLagBins: Int
    /// A channel's frame enters the level cue only when both ears' counts together reach this many
    /// spikes: twice what spontaneous activity alone gives in the frame, plus two.
    public var gateSpikes: Double

    /// Rate channels per cochlear channel: 1 counts all of a channel's fibres together; 2 counts
    /// its high-spontaneous-rate fibres (rate channel c) apart from its medium- and
    /// low-spontaneous-rate ones (rate channel c + channelCount / 2). See `RateCoder.FibreGroups`.
    public var fibreGroups: Int
    /// With two groups, the gate of the second group's rate channels, in spikes: their resting
    /// rate is some fifty times lower, so the first group's gate would shut them out.
    public var lowerGateSpikes: Double
    /// Level-cue bands per fibre group: 0 reads every rate channel apart; B > 0 sums each group's
    /// channels into B bands of adjacent channels before the rate difference, so that each
    /// difference rests on several times more spikes (see `band(_:)`).
    public var bandsPerGroup: Int

    public init(
        windowSeconds: Double, binsPerFrame: Int, channelCount: Int, maxLagBins: Int, gateSpikes: Double,
        fibreGroups: Int = 1, lowerGateSpikes: Double = 0, bandsPerGroup: Int = 0
    ) {
        precondition(bandsPerGroup == 0 || (bandsPerGroup <= channelCount / fibreGroups))
        self.windowSeconds = windowSeconds
        self.binsPerFrame = binsPerFrame
        self.channelCount = channelCount
        self.maxLagBins = maxLagBins
        self.gateSpikes = gateSpikes
        self.fibreGroups = fibreGroups
        self.lowerGateSpikes = lowerGateSpikes
        self.bandsPerGroup = bandsPerGroup
    }

    enum CodingKeys: String, CodingKey {
        case windowSeconds, binsPerFrame, channelCount, maxLagBins, gateSpikes, fibreGroups, lowerGateSpikes,
            bandsPerGroup
    }

    /// Models written before fibre groups existed counted every fibre together; before bands, read
    /// every channel apart.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        windowSeconds = try c.decode(Double.self, forKey: .windowSeconds)
        binsPerFrame = try c.decode(Int.self, forKey: .binsPerFrame)
        channelCount = try c.decode(Int.self, forKey: .channelCount)
        maxLagBins = try c.decode(Int.self, forKey: .maxLagBins)
        gateSpikes = try c.decode(Double.self, forKey: .gateSpikes)
        fibreGroups = try c.decodeIfPresent(Int.self, forKey: .fibreGroups) ?? 1
        lowerGateSpikes = try c.decodeIfPresent(Double.self, forKey: .lowerGateSpikes) ?? 0
        bandsPerGroup = try c.decodeIfPresent(Int.self, forKey: .bandsPerGroup) ?? 0
    }

    /// The gate, in spikes (both ears together), of rate channel `c`.
    func gate(ofChannel c: Int) -> Double {
        fibreGroups == 2 && c >= channelCount / 2 ? lowerGateSpikes : gateSpikes
    }

    /// Level cues per frame: one per rate channel, or per band.
    public var levelCueCount: Int { bandsPerGroup == 0 ? channelCount : bandsPerGroup * fibreGroups }

    /// The rate channels level cue `b` sums: with bands, the `b % bandsPerGroup`-th of as even a cut
    /// as can be made of its fibre group's channels (group `b / bandsPerGroup`).
    func band(_ b: Int) -> Range<Int> {
        guard bandsPerGroup > 0 else { return b..<(b + 1) }
        let perGroup = channelCount / fibreGroups
        let first = (b / bandsPerGroup) * perGroup
        let k = b % bandsPerGroup
        return (first + k * perGroup / bandsPerGroup)..<(first + (k + 1) * perGroup / bandsPerGroup)
    }

    /// The gate, in spikes, of level cue `b`: its channels' resting spikes summed, then doubled,
    /// plus two (a single channel's gate when the band is one channel wide).
    func gate(ofLevelCue b: Int) -> Double {
        let channels = band(b)
        let gate = gate(ofChannel: channels.lowerBound)
        return Double(channels.count) * (gate - 2) + 2
    }

    /// The shortest decision frame, in seconds.
    static let minimumFrameSeconds = 0.010

    /// With `lowerSpontaneousSpikesPerSecondPerChannel`, `channelCount` rate channels in two fibre
    /// groups, the first group's gate from `spontaneousSpikesPerSecondPerChannel` (its fibres'
    /// resting rate) and the second's from the lower one.
    init(
        windowSeconds: Double, channelCount: Int, maxLagBins: Int, spontaneousSpikesPerSecondPerChannel: Double,
        lowerSpontaneousSpikesPerSecondPerChannel: Double? = nil, bandsPerGroup: Int = 0
    ) {
        let bins = max(1, Int((Self.minimumFrameSeconds / windowSeconds).rounded(.up)))
        let frameSeconds = Double(bins) * windowSeconds
        func gate(_ spontaneous: Double) -> Double { 2 * (2 * spontaneous * frameSeconds) + 2 }
        self.init(
            windowSeconds: windowSeconds, binsPerFrame: bins, channelCount: channelCount, maxLagBins: maxLagBins,
            gateSpikes: gate(spontaneousSpikesPerSecondPerChannel),
            fibreGroups: lowerSpontaneousSpikesPerSecondPerChannel == nil ? 1 : 2,
            lowerGateSpikes: lowerSpontaneousSpikesPerSecondPerChannel.map(gate) ?? 0, bandsPerGroup: bandsPerGroup)
    }

    /// Frame length, in seconds.
    public var frameSeconds: Double { Double(binsPerFrame) * windowSeconds }

    /// Features per frame: per level cue the gated interaural rate difference and its gate, then the
    /// normalised binned cross-correlation at every lag.
    public var featureCount: Int { 2 * levelCueCount + 2 * maxLagBins + 1 }

    /// True when no level cue of a frame's `features` passed its gate: silence or spontaneous
    /// activity only. Such frames carry no evidence.
    public func isSilent(_ features: [Double]) -> Bool {
        !features[levelCueCount..<(2 * levelCueCount)].contains { $0 > 0 }
    }

    /// The pooled feature vector of a file's non-silent frames, from `sums`, the sum of their
    /// feature vectors, and `frames`, how many they were: per channel the mean rate difference
    /// over the frames in which that channel passed its gate (0 if it never did), the share of
    /// frames it passed in, and the mean normalised cross-correlation. Same length and meaning as
    /// one frame's features, so one read-out can be trained on either.
    public func pool(sums: [Double], frames: Int) -> [Double] {
        precondition(sums.count == featureCount && frames > 0)
        var x = sums
        let n = levelCueCount
        for c in 0..<n { x[c] = sums[n + c] > 0 ? sums[c] / sums[n + c] : 0 }
        for i in n..<featureCount { x[i] = sums[i] / Double(frames) }
        return x
    }

    /// True when features of `other` can be read by a model trained on this layout.
    public func fits(_ other: RateFrameLayout) -> Bool {
        channelCount == other.channelCount && maxLagBins == other.maxLagBins && binsPerFrame == other.binsPerFrame
            && abs(windowSeconds - other.windowSeconds) <= 1e-9 * windowSeconds
            && abs(gateSpikes - other.gateSpikes) <= 1e-6 * gateSpikes && fibreGroups == other.fibreGroups
            && abs(lowerGateSpikes - other.lowerGateSpikes) <= 1e-6 * max(lowerGateSpikes, 1e-300)
            && bandsPerGroup == other.bandsPerGroup
    }
}

/// Gathers one decision frame's counts and correlations, bin by bin, and turns them into the
/// frame's feature vector. Everything in it is a spike count per window or a product of two.
struct RateFrameAccumulator: Sendable {
    let layout: RateFrameLayout
    var left: [Int], right: [Int]
    /// sum over channels c of L_c[b] R_c[b - k], index k + maxLagBins, each product counted in the
    /// frame of its later bin (so a frame's lags reach back into the frame before).
    var correlation: [Double]
    /// sum over bins and channels of L^2 and of R^2 (the correlation's normalisation).
    var energyLeft = 0.0, energyRight = 0.0
    var bins = 0
    /// Multiply-accumulates spent on the frames' features beyond the cross-correlation itself.
    var multiplyAccumulates = 0
    /// Finished frames not yet taken by `drain`.
    var pending: [[Double]] = []

    init(layout: RateFrameLayout) {
        self.layout = layout
        left = .init(repeating: 0, count: layout.channelCount)
        right = left
        correlation = .init(repeating: 0, count: 2 * layout.maxLagBins + 1)
    }

    /// Adds one closed bin: its counts and (through `addCorrelation`) its lag products.
    mutating func addBin(left l: [Int], right r: [Int]) {
        for c in 0..<layout.channelCount {
            left[c] += l[c]
            right[c] += r[c]
            energyLeft += Double(l[c] * l[c])
            energyRight += Double(r[c] * r[c])
        }
        multiplyAccumulates += 2 * layout.channelCount
        bins += 1
        if bins == layout.binsPerFrame { closeFrame() }
    }

    mutating func addCorrelation(lag k: Int, value: Double) { correlation[layout.maxLagBins + k] += value }

    /// Closes the frame in progress if it holds any spikes.
    mutating func finish() {
        if left.contains(where: { $0 > 0 }) || right.contains(where: { $0 > 0 }) { closeFrame() }
    }

    mutating func closeFrame() {
        pending.append(
            Self.features(
                left: left, right: right, correlation: correlation, energyLeft: energyLeft,
                energyRight: energyRight, layout: layout))
        // With bands an add per channel into its band; a division per level cue, one per lag, and
        // the square root.
        let bandAdds = layout.bandsPerGroup > 0 ? layout.channelCount : 0
        multiplyAccumulates += bandAdds + layout.levelCueCount + correlation.count + 1
        for c in 0..<layout.channelCount {
            left[c] = 0
            right[c] = 0
        }
        for k in correlation.indices { correlation[k] = 0 }
        energyLeft = 0
        energyRight = 0
        bins = 0
    }

    /// One frame's features: per level cue (a channel, or a band of them) d = (R - L) / (R + L) of
    /// the summed counts when R + L reaches its gate, else 0; then per level cue the gate (1 or 0:
    /// with it a linear read-out holds a per-cue offset that counts only when the cue is heard); then the cross-correlation divided by the geometric
    /// mean of the two ears' energies (so that it does not grow with level). Level enters only
    /// through the gates: the rest are ratios. (Adding d squared, for a Gaussian log-likelihood
    /// per channel, fitted the training mix better and real sounds worse.)
    static func features(
        left: [Int], right: [Int], correlation: [Double], energyLeft: Double, energyRight: Double,
        layout: RateFrameLayout
    ) -> [Double] {
        let n = layout.levelCueCount
        var x = [Double](repeating: 0, count: 2 * n + correlation.count)
        for c in 0..<n {
            var l = 0
            var r = 0
            for channel in layout.band(c) {
                l += left[channel]
                r += right[channel]
            }
            let total = Double(l + r)
            guard total >= layout.gate(ofLevelCue: c) else { continue }
            let d = Double(r - l) / total
            x[c] = d
            x[n + c] = 1
        }
        let norm = (energyLeft * energyRight).squareRoot()
        if norm > 0 { for k in correlation.indices { x[2 * n + k] = correlation[k] / norm } }
        return x
    }
}
