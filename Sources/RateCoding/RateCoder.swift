import Cochlea
import DSP

/// The rate-coded view of the auditory nerve: the same spikes, counted in windows of fixed width,
/// as the units of a conventional (deep-learning) network see them. Spike times within a window
/// are thrown away.
///
/// From the binned counts it keeps, per channel, the total rate in each ear (the level cue the
/// lateral superior olive compares) and the interaural cross-correlation of the binned rate
/// signals, summed over channels, at lags of whole windows (the only timing a rate code keeps).
public struct RateFeatures: Sendable, Equatable {
    /// Window (bin) width, in seconds.
    public var windowSeconds: Double
    /// Spike counts per channel, left and right.
    public var leftCounts: [Int], rightCounts: [Int]
    /// Cross-correlation sum_b sum_c L_c[b] R_c[b - k] for k = -maxLag...maxLag (index k + maxLag);
    /// a peak at k > 0 means the right ear's rates lead.
    public var crossCorrelation: [Double]
    public var maxLagBins: Int
    /// Number of windows seen.
    public var binCount: Int
    /// Cost: multiply-accumulate operations spent on the cross-correlation.
    public var multiplyAccumulates: Int
    /// Cost: rate values (one per channel, ear and window) computed.
    public var rateValues: Int

    /// Interaural rate difference per channel, (R - L) / (R + L), in -1...1 (0 when silent).
    public var rateDifferences: [Double] {
        zip(leftCounts, rightCounts).map { l, r in l + r > 0 ? Double(r - l) / Double(r + l) : 0 }
    }

    /// Lag of the cross-correlation peak, in seconds, with parabolic sub-bin interpolation;
    /// nil if no spikes were counted.
    public var bestLagSeconds: Double? {
        guard binCount > 0, let maxValue = crossCorrelation.max(), maxValue > 0 else { return nil }
        // Ties (a flat top) resolve to the middle of the tied run.
        let tied = crossCorrelation.indices.filter { crossCorrelation[$0] == maxValue }
        let i = tied[tied.count / 2]
        var offset = 0.0
        if i > 0 && i + 1 < crossCorrelation.count {
            offset = parabolicVertex(crossCorrelation[i - 1], crossCorrelation[i], crossCorrelation[i + 1])
        }
        return (Double(i - maxLagBins) + offset) * windowSeconds
    }
}

/// Bins spikes into windows as they stream in, in constant memory.
public struct RateCoder: Sendable {
    /// How a cochlear channel's fibres are counted in two groups: the high-spontaneous-rate fibres,
    /// which saturate some 20-30 dB above their threshold, and the medium- and low-spontaneous-rate
    /// ones, whose thresholds lie 15-30 dB higher and which keep coding level where the first
    /// group is saturated (Liberman 1978, J. Acoust. Soc. Am. 63:442; Sachs & Abbas 1974). Summed
    /// together, the few unsaturated fibres' level difference drowns in the saturated ones'; a
    /// network that sees each fibre's rate can weigh them apart.
    public struct FibreGroups: Sendable, Equatable {
        /// Index within a channel (`SpikeBlock.fibre`) of the first fibre of the second group.
        public var firstLowerFibre: Int
        /// Spikes per second one channel's first-group fibres of one ear fire at rest.
        public var upperSpontaneousSpikesPerSecondPerChannel: Double
        /// The same for the second group.
        public var lowerSpontaneousSpikesPerSecondPerChannel: Double

        /// The groups of `cochlea`'s fibres: its fibres are numbered by class, high first.
        public init(cochlea: CochleaConfiguration) {
            firstLowerFibre = cochlea.fibresPerChannel[.high] ?? 0
            upperSpontaneousSpikesPerSecondPerChannel = cochlea.spontaneousSpikesPerSecondPerChannel(of: [.high])
            lowerSpontaneousSpikesPerSecondPerChannel = cochlea.spontaneousSpikesPerSecondPerChannel(of: [
                .medium, .low,
            ])
        }
    }

    let windowSeconds: Double
    /// Rate channels: the cochlear channels, or twice as many with `fibreGroups`.
    let channelCount: Int
    let fibreGroups: FibreGroups?
    let maxLagBins: Int
    var features: RateFeatures
    var currentBin = 0
    var currentLeft: [Int], currentRight: [Int]
    /// Per channel, how far `add` has read the current block.
    var leftCursor: [Int], rightCursor: [Int]
    // Ring of the last maxLagBins + 1 finished bins, per ear: [slot * channels + c].
    var historyLeft: [Double], historyRight: [Double]
    var finished = 0
    /// Decision frames, when the coder was asked for them.
    var frames: RateFrameAccumulator?

    /// `maxLagSeconds` is the largest interaural delay the cross-correlation looks at (at least one
    /// window either side). With `spontaneousSpikesPerSecondPerChannel` (one ear's fibres of one
    /// channel together, at rest) it also cuts the sound into decision frames (`drainFrames`).
    /// With `fibreGroups`, each cochlear channel becomes two rate channels (c and c + channelCount),
    /// gated each by its own group's resting rate; `spontaneousSpikesPerSecondPerChannel` is then unused.
    /// `bandsPerGroup` > 0 reads the frames' level cue in bands of adjacent channels (`RateFrameLayout`).
    public init(
        windowSeconds: Double, channelCount: Int, maxLagSeconds: Double = 0.0009,
        spontaneousSpikesPerSecondPerChannel: Double? = nil, fibreGroups: FibreGroups? = nil, bandsPerGroup: Int = 0
    ) {
        precondition(windowSeconds > 0)
        self.windowSeconds = windowSeconds
        self.fibreGroups = fibreGroups
        let cochlearChannels = channelCount
        let channelCount = fibreGroups == nil ? cochlearChannels : 2 * cochlearChannels
        self.channelCount = channelCount
        maxLagBins = max(1, Int((maxLagSeconds / windowSeconds).rounded(.up)))
        features = RateFeatures(
            windowSeconds: windowSeconds, leftCounts: .init(repeating: 0, count: channelCount),
            rightCounts: .init(repeating: 0, count: channelCount),
            crossCorrelation: .init(repeating: 0, count: 2 * maxLagBins + 1),
            maxLagBins: maxLagBins, binCount: 0, multiplyAccumulates: 0, rateValues: 0)
        currentLeft = .init(repeating: 0, count: channelCount)
        currentRight = currentLeft
        leftCursor = currentLeft
        rightCursor = currentLeft
        historyLeft = .init(repeating: 0, count: (maxLagBins + 1) * channelCount)
        historyRight = historyLeft
        let resting = fibreGroups?.upperSpontaneousSpikesPerSecondPerChannel ?? spontaneousSpikesPerSecondPerChannel
        frames = resting.map {
            RateFrameAccumulator(
                layout: RateFrameLayout(
                    windowSeconds: windowSeconds, channelCount: channelCount,
                    maxLagBins: maxLagBins, spontaneousSpikesPerSecondPerChannel: $0,
                    lowerSpontaneousSpikesPerSecondPerChannel: fibreGroups?.lowerSpontaneousSpikesPerSecondPerChannel,
                    bandsPerGroup: bandsPerGroup))
        }
    }

    /// The decision frames' layout; nil when the coder makes no frames.
    public var frameLayout: RateFrameLayout? { frames?.layout }

    /// Multiply-accumulates spent so far on the frames' features (beyond the cross-correlation).
    public var frameMultiplyAccumulates: Int { frames?.multiplyAccumulates ?? 0 }

    /// Feature vectors of the frames finished since the last call (see `RateFrameLayout`).
    public mutating func drainFrames() -> [[Double]] {
        guard let taken = frames?.pending, !taken.isEmpty else { return [] }
        frames?.pending.removeAll(keepingCapacity: true)
        return taken
    }

    /// Counts one block of spikes from each ear. Blocks must come in time order.
    public mutating func add(left: SpikeBlock, right: SpikeBlock) {
        if let groups = fibreGroups {
            addCounted(
                left: Self.split(left, at: groups.firstLowerFibre), right: Self.split(right, at: groups.firstLowerFibre)
            )
        } else {
            addCounted(left: left, right: right)
        }
    }

    /// `block` with each channel c's fibres from `first` on moved to channel c + channels. A block
    /// without fibre indices (recorded trains) keeps every spike in the first group.
    static func split(_ block: SpikeBlock, at first: Int) -> SpikeBlock {
        let n = block.times.count
        var out = SpikeBlock(channelCount: 2 * n)
        out.startSeconds = block.startSeconds
        out.endSeconds = block.endSeconds
        for c in 0..<n {
            let fibres = block.fibre.count == n && block.fibre[c].count == block.times[c].count ? block.fibre[c] : []
            for (k, t) in block.times[c].enumerated() {
                out.times[!fibres.isEmpty && Int(fibres[k]) >= first ? n + c : c].append(t)
            }
        }
        return out
    }

    mutating func addCounted(left: SpikeBlock, right: SpikeBlock) {
        // Each channel's spikes are already in time order, so the windows are filled one after
        // the other by walking every channel with its own cursor; a window is final once the
        // block has passed it.
        let width = windowSeconds
        let done = Self.bin(of: min(left.endSeconds, right.endSeconds), width: width)
        for c in 0..<channelCount {
            leftCursor[c] = 0
            rightCursor[c] = 0
        }
        while true {
            let b = currentBin
            for c in 0..<channelCount {
                currentLeft[c] += Self.count(left.times[c], through: b, width: width, from: &leftCursor[c])
                currentRight[c] += Self.count(right.times[c], through: b, width: width, from: &rightCursor[c])
            }
            if b < done { closeBin() } else { break }
        }
    }

    @inline(__always)
    static func bin(of t: Double, width: Double) -> Int { Int((max(t, 0) / width).rounded(.down)) }

    /// Spikes from `cursor` on whose window is at most `b`; moves the cursor past them. Static, so
    /// that passing a cursor of this coder inout does not make the compiler copy the coder.
    @inline(__always)
    static func count(_ times: [Double], through b: Int, width: Double, from cursor: inout Int) -> Int {
        let start = cursor
        while cursor < times.count && bin(of: times[cursor], width: width) <= b { cursor += 1 }
        return cursor - start
    }

    /// Closes the last, partial window and returns the features.
    public mutating func finish() -> RateFeatures {
        if currentLeft.contains(where: { $0 > 0 }) || currentRight.contains(where: { $0 > 0 }) { closeBin() }
        frames?.finish()
        return features
    }

    mutating func closeBin() {
        let slots = maxLagBins + 1
        let slot = finished % slots
        for c in 0..<channelCount {
            historyLeft[slot * channelCount + c] = Double(currentLeft[c])
            historyRight[slot * channelCount + c] = Double(currentRight[c])
            features.leftCounts[c] += currentLeft[c]
            features.rightCounts[c] += currentRight[c]
        }
        // xc[k] += sum_c L[b] R[b - k] and xc[-k] += sum_c R[b] L[b - k].
        for k in 0...min(maxLagBins, finished) {
            let past = ((finished - k) % slots) * channelCount
            var plus = 0.0
            var minus = 0.0
            for c in 0..<channelCount {
                plus += historyLeft[slot * channelCount + c] * historyRight[past + c]
                if k > 0 { minus += historyRight[slot * channelCount + c] * historyLeft[past + c] }
            }
            features.crossCorrelation[maxLagBins + k] += plus
            if k > 0 { features.crossCorrelation[maxLagBins - k] += minus }
            features.multiplyAccumulates += channelCount * (k > 0 ? 2 : 1)
            frames?.addCorrelation(lag: k, value: plus)
            if k > 0 { frames?.addCorrelation(lag: -k, value: minus) }
        }
        features.rateValues += 2 * channelCount
        frames?.addBin(left: currentLeft, right: currentRight)
        for c in 0..<channelCount {
            currentLeft[c] = 0
            currentRight[c] = 0
        }
        finished += 1
        features.binCount = finished
        currentBin += 1
    }
}
