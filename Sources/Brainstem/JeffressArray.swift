import Cochlea
import DSP
import Dispatch

/// Detector activity of one time frame: spike counts per channel and internal delay, and what it
/// cost.
public struct ITDFrame: Sendable {
    /// Frame number, from 0.
    var index: Int
    public var startSeconds: Double
    public var durationSeconds: Double
    /// Detector spikes, `counts[channel * delayCount + delay]`.
    public var counts: [Int32]
    /// The part of `counts` whose spikes fell in an onset window of their channel's precedence
    /// gate (`OnsetNeuron`), same layout; empty without precedence.
    public var onsetCounts: [Int32] = []
    var channelCount: Int
    var delayCount: Int
    /// Auditory-nerve spikes that reached the array in this frame (both ears).
    var inputSpikes: Int
    /// Synaptic events: each input spike delivered to each detector of its channel.
    public var synapticEvents: Int
    /// Spikes fired by the coincidence detectors.
    public var detectorSpikes: Int

    public func count(channel: Int, delay: Int) -> Int32 { counts[channel * delayCount + delay] }
}

extension ITDFrame {
    /// A frame of given counts, for handing recorded or hand-made activity to a read-out; the
    /// costs are zero.
    public init(index: Int, startSeconds: Double, durationSeconds: Double, counts: [Int32], channelCount: Int) {
        self.index = index
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
        self.counts = counts
        self.channelCount = channelCount
        delayCount = channelCount > 0 ? counts.count / channelCount : 0
        inputSpikes = 0
        synapticEvents = 0
        detectorSpikes = 0
    }
}

/// A Jeffress array (Jeffress 1948, J. Comp. Physiol. Psychol. 41:35): in each frequency channel, a
/// row of coincidence detectors fed by the left and right auditory-nerve fibres through delay
/// lines of different lengths. The detector whose internal delay cancels the sound's interaural
/// time difference receives coincident input and fires most.
///
/// Detector `d` has internal delay `delaysSeconds[d]` = its right-ear line minus its left-ear line;
/// it prefers sounds whose right-ear input leads by that much (positive = source on the right).
///
/// The simulation is exact and event driven, and it shares work between detectors: a dendrite's
/// potential depends only on its own side's inputs, so it is computed once per input spike for
/// the whole row. A detector can only reach threshold at an input that arrives within a short
/// window after one from the other side (`CoincidenceDetector.Parameters.coincidenceWindow`), so
/// only such pairs are examined; for each, the detectors that fire form a contiguous range of
/// delays, found without visiting the others. The pairs are visited in an order that reaches each
/// detector's decisions in time order, so refractoriness is applied as they come
/// (`sweepCoincidences`). The result equals stepping every detector through every input (checked
/// in the tests against `CoincidenceDetector.simulate`).
public struct JeffressArray: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Number of detectors (internal delays) per channel.
        public var delayCount: Int = 81
        /// Internal delays span -maximum ... +maximum, in seconds.
        public var maximumDelaySeconds: Double = 0.0009
        public var detector = CoincidenceDetector.Parameters()
        /// Length of a readout frame, in seconds.
        public var frameSeconds: Double = 0.05
        /// The onset neurons that open each channel's precedence gate; nil: no gates, and the
        /// frames' `onsetCounts` stay empty (`--ablate precedence`).
        public var precedence: OnsetNeuron.Parameters? = .init()

        public init() {}

        /// The internal delays, in seconds, evenly spaced.
        public var delaysSeconds: [Double] {
            if delayCount == 1 { return [0] }
            return (0..<delayCount).map {
                -maximumDelaySeconds + 2 * maximumDelaySeconds * Double($0) / Double(delayCount - 1)
            }
        }
    }

    let configuration: Configuration
    let channelCount: Int
    let delaysSeconds: [Double]
    var channels: [ChannelState]
    /// Events before this time (in left-ear input time) have been fully processed.
    var processedUntil: Double = -.infinity
    var frame: ITDFrame
    let grid: DelayGrid
    var gates: OnsetGates?
    /// Half of each internal delay, in seconds: where each detector's precedence gate sits.
    let halfDelays: [Double]
    /// Threads that share the channels; any count gives the same frames, since channels do not
    /// interact until the read-out.
    public var threadCount = 1

    struct Side: Sendable {
        var times: [Double] = []
        var dendrite: [Double] = []
        /// `seriesLog` of each potential and of threshold minus it (0 where that is not
        /// positive), for the sweep's estimates of coincidence windows.
        var logDendrite: [Double] = []
        var logNeed: [Double] = []
        var lastDendrite = 0.0
        var lastTime = -Double.infinity

        mutating func append(contentsOf newTimes: [Double], _ p: CoincidenceDetector.Parameters) {
            guard !newTimes.isEmpty else { return }
            times.append(contentsOf: newTimes)
            let old = dendrite.count
            let added = newTimes.count
            // Filled in place: four appends per spike cost more than the arithmetic.
            dendrite.append(contentsOf: repeatElement(0, count: added))
            logDendrite.append(contentsOf: repeatElement(0, count: added))
            logNeed.append(contentsOf: repeatElement(0, count: added))
            var level = lastDendrite
            var previous = lastTime
            dendrite.withUnsafeMutableBufferPointer { d in
                logDendrite.withUnsafeMutableBufferPointer { ld in
                    logNeed.withUnsafeMutableBufferPointer { ln in
                        for (k, t) in newTimes.enumerated() {
                            level = p.dendriteAfterInput(previous: level, gapSeconds: t - previous)
                            previous = t
                            let need = p.threshold - level
                            d[old + k] = level
                            ld[old + k] = seriesLog(level)
                            ln[old + k] = need > 0 ? seriesLog(need) : 0
                        }
                    }
                }
            }
            lastDendrite = level
            lastTime = previous
        }

        /// Forgets inputs before `t`. Only the last few milliseconds are kept, so removing the
        /// prefix moves a handful of values.
        mutating func drop(before t: Double) {
            let k = firstIndex(atOrAfter: t)
            if k > 0 {
                times.removeFirst(k)
                dendrite.removeFirst(k)
                logDendrite.removeFirst(k)
                logNeed.removeFirst(k)
            }
        }

        /// Index of the first spike at or after `t`.
        func firstIndex(atOrAfter t: Double) -> Int {
            times.withUnsafeBufferPointer { lowerBound($0, t) }
        }
    }

    struct ChannelState: Sendable {
        var left = Side(), right = Side()
        /// Time of each detector's last spike, in left-ear input time.
        var lastFire: [Double]
    }

    public init(configuration: Configuration = .init(), channelCount: Int) {
        precondition(configuration.delayCount >= 1 && channelCount >= 1)
        self.configuration = configuration
        self.channelCount = channelCount
        delaysSeconds = configuration.delaysSeconds
        channels = .init(
            repeating: ChannelState(lastFire: .init(repeating: -.infinity, count: configuration.delayCount)),
            count: channelCount)
        frame = ITDFrame(
            index: 0, startSeconds: 0, durationSeconds: configuration.frameSeconds,
            counts: .init(repeating: 0, count: channelCount * configuration.delayCount),
            channelCount: channelCount, delayCount: configuration.delayCount,
            inputSpikes: 0, synapticEvents: 0, detectorSpikes: 0)
        grid = DelayGrid(delaysSeconds: delaysSeconds, maximumWindowSeconds: Self.maximumWindow(configuration.detector))
        halfDelays = delaysSeconds.map { $0 / 2 }
        if let p = configuration.precedence {
            gates = OnsetGates(parameters: p, channelCount: channelCount)
            frame.onsetCounts = frame.counts
        }
    }

    /// Feeds one block of spikes from each ear (covering the same time span) and returns the
    /// frames that are complete.
    public mutating func process(left: SpikeBlock, right: SpikeBlock) -> [ITDFrame] {
        let p = configuration.detector
        for c in 0..<channelCount {
            channels[c].left.append(contentsOf: left.times[c], p)
            channels[c].right.append(contentsOf: right.times[c], p)
        }
        gates?.process(left: left, right: right)
        if processedUntil == -.infinity { processedUntil = min(left.startSeconds, right.startSeconds) }
        // A detector's decision at left-ear time s needs right-ear input up to s + D.
        let until = min(left.endSeconds, right.endSeconds) - configuration.maximumDelaySeconds
        return advance(to: until)
    }

    /// Processes everything still pending and returns the remaining frames, the last one partial.
    public mutating func finish() -> [ITDFrame] {
        // The last possible decision comes at the last right input plus the longest delay.
        var last = processedUntil
        for ch in channels {
            if let t = ch.left.times.last { last = max(last, t) }
            if let t = ch.right.times.last { last = max(last, t + configuration.maximumDelaySeconds) }
        }
        var out = advance(to: last.nextUp)
        if frame.inputSpikes > 0 || frame.detectorSpikes > 0 { out.append(completedFrame()) }
        return out
    }

    mutating func advance(to until: Double) -> [ITDFrame] {
        var out: [ITDFrame] = []
        guard until > processedUntil else { return out }
        // Work frame by frame so counts land in the right frame.
        while processedUntil < until {
            let frameEnd = frame.startSeconds + frame.durationSeconds
            let stop = min(until, frameEnd)
            if stop > processedUntil { processWindow(from: processedUntil, to: stop) }
            processedUntil = stop
            if stop >= frameEnd {
                out.append(completedFrame())
                startNextFrame()
            } else {
                break
            }
        }
        // Keep only the input history a later window can still need.
        let keep = processedUntil - 2 * configuration.maximumDelaySeconds - grid.maximumWindowSeconds - 0.001
        for c in 0..<channelCount {
            channels[c].left.drop(before: keep)
            channels[c].right.drop(before: keep)
        }
        gates?.forget(before: processedUntil, lastHalfDelaySeconds: grid.maximum / 2)
        return out
    }

    /// The frame as handed on: while it fills, `counts` holds only the spikes outside the open
    /// gates; those inside are added in here.
    func completedFrame() -> ITDFrame {
        var f = frame
        if gates != nil {
            for i in f.counts.indices { f.counts[i] += f.onsetCounts[i] }
        }
        return f
    }

    mutating func startNextFrame() {
        frame.index += 1
        frame.startSeconds += frame.durationSeconds
        for i in frame.counts.indices { frame.counts[i] = 0 }
        for i in frame.onsetCounts.indices { frame.onsetCounts[i] = 0 }
        frame.inputSpikes = 0
        frame.synapticEvents = 0
        frame.detectorSpikes = 0
    }

    /// The longest coincidence window any pair can have (both dendrites saturated).
    static func maximumWindow(_ p: CoincidenceDetector.Parameters) -> Double {
        p.coincidenceWindow(own: p.dendriteSaturation, other: p.dendriteSaturation) ?? 0
    }

    /// Finds every detector spike whose triggering input lies in [from, to) (left-ear input time).
    mutating func processWindow(from: Double, to: Double) {
        let n = configuration.delayCount
        let p = configuration.detector
        let grid = grid
        let channelCount = channelCount
        let parts = max(1, min(threadCount, channelCount))
        // Per part: input spikes and detector spikes, summed into the frame afterwards.
        var tallies = [SIMD2<Int>](repeating: .zero, count: parts)
        let gates = gates
        let halfRange = (grid.minimum / 2)...(grid.maximum / 2)
        let gateWidth = gates?.parameters.onsetWindowSeconds ?? 0
        let halfDelays = halfDelays
        channels.withUnsafeMutableBufferPointer { channels in
            frame.counts.withUnsafeMutableBufferPointer { counts in
                frame.onsetCounts.withUnsafeMutableBufferPointer { onsetCounts in
                    tallies.withUnsafeMutableBufferPointer { tallies in
                        // Each part touches only its own channels, their rows of counts and its own
                        // tally: disjoint indices, so the buffers may be shared between the threads.
                        let (channels, countRows, tallies) = (
                            SharedBuffer(channels), SharedBuffer(counts), SharedBuffer(tallies)
                        )
                        let onsetRows = SharedBuffer(onsetCounts)
                        // Channels interleaved between parts, so that each gets low and high ones.
                        @Sendable func run(part: Int) {
                            var inputs = 0
                            var fired = 0
                            for c in stride(from: part, to: channelCount, by: parts) {
                                inputs +=
                                    channels[c].left.firstIndex(atOrAfter: to)
                                    - channels[c].left.firstIndex(atOrAfter: from)
                                    + channels[c].right.firstIndex(atOrAfter: to)
                                    - channels[c].right.firstIndex(atOrAfter: from)
                                // Each stretch inside or outside an open gate is swept on its own into
                                // its row; refractoriness carries over through `lastFire`, so the
                                // spikes are those of one sweep over [from, to).
                                func sweep(_ from: Double, _ to: Double, _ gate: OpenGates?) {
                                    let li0 = channels[c].left.firstIndex(atOrAfter: from)
                                    let li1 = channels[c].left.firstIndex(atOrAfter: to)
                                    // The sides are read, and only `lastFire` written, so the row's
                                    // pointers never alias what is read.
                                    fired += Self.withInputs(channels[c].left, channels[c].right) { left, right in
                                        channels[c].lastFire.withUnsafeMutableBufferPointer { last in
                                            let row = DetectorRow(
                                                lastFire: last,
                                                counts: UnsafeMutableBufferPointer(
                                                    rebasing: countRows.buffer[(c * n)..<(c * n + n)]),
                                                gate: gate)
                                            return sweepCoincidences(
                                                left: left, right: right, leftRange: li0..<li1, from: from,
                                                to: to, grid: grid, detector: p, row: row)
                                        }
                                    }
                                }
                                if let gates {
                                    gates.forEachStretch(channel: c, from: from, to: to, halfDelays: halfRange) {
                                        a, b, onsets in
                                        sweep(
                                            a, b,
                                            onsets.map {
                                                OpenGates(
                                                    onsetCounts: UnsafeMutableBufferPointer(
                                                        rebasing: onsetRows.buffer[(c * n)..<(c * n + n)]),
                                                    halfDelays: halfDelays, current: $0.current,
                                                    previous: $0.previous, width: gateWidth)
                                            })
                                    }
                                } else {
                                    sweep(from, to, nil)
                                }
                            }
                            tallies[part] = SIMD2(inputs, fired)
                        }
                        if parts == 1 {
                            run(part: 0)
                        } else {
                            DispatchQueue.concurrentPerform(iterations: parts, execute: run)
                        }
                    }
                }
            }
        }
        // Input spikes are counted once, when their left-ear time enters the window; each goes to
        // every detector of its channel.
        let total = tallies.reduce(.zero, &+)
        frame.inputSpikes += total[0]
        frame.synapticEvents += total[0] * n
        frame.detectorSpikes += total[1]
    }

    private static func withInputs<R>(_ leftSide: Side, _ rightSide: Side, _ body: (SideInputs, SideInputs) -> R) -> R {
        withInputs(leftSide) { left in withInputs(rightSide) { right in body(left, right) } }
    }

    private static func withInputs<R>(_ side: Side, _ body: (SideInputs) -> R) -> R {
        side.times.withUnsafeBufferPointer { t in
            side.dendrite.withUnsafeBufferPointer { d in
                side.logDendrite.withUnsafeBufferPointer { ld in
                    side.logNeed.withUnsafeBufferPointer { ln in
                        body(SideInputs(times: t, dendrite: d, logDendrite: ld, logNeed: ln))
                    }
                }
            }
        }
    }
}
