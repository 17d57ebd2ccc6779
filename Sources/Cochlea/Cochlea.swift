import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Hazards of two channels, in double precision (the integral runs from the start of the sound).
typealias PairHazard = SIMD2<Double>

/// Which ear a cochlea belongs to. It only seeds the randomness differently.
public enum Ear: Int, Sendable, CaseIterable {
    case left = 0
    case right = 1
}

/// Everything that shapes one ear's cochlea, with units in the names.
public struct CochleaConfiguration: Sendable, Equatable {
    /// Lowest and highest centre frequency of the filterbank, in Hz.
    public var lowestCentreFrequencyHz: Double = 100
    public var highestCentreFrequencyHz: Double = 8000
    /// Number of frequency channels, evenly spaced on the ERB-rate scale.
    public var channelCount: Int = 64
    /// Gammatone bandwidth as a multiple of ERB(fc).
    public var bandwidthPerERB: Double = 1.019
    var innerHairCell = InnerHairCell.Parameters()
    /// Fibres per channel for each spontaneous-rate class, in the rough proportions of Liberman
    /// (1978): mostly high-spontaneous-rate fibres.
    public var fibresPerChannel: [SpontaneousRateClass: Int] = [.high: 4, .medium: 1, .low: 1]
    /// Fibre parameters per class.
    var fibre: [SpontaneousRateClass: AuditoryNerveFiber.Parameters] =
        Dictionary(uniqueKeysWithValues: SpontaneousRateClass.allCases.map { ($0, .typical($0)) })

    public init() {}

    /// Centre frequencies of the channels, in Hz, clipped to below 0.45 x `sampleRateHz`.
    public func centreFrequenciesHz(sampleRateHz: Double) -> [Double] {
        let top = min(highestCentreFrequencyHz, 0.45 * sampleRateHz)
        let bottom = min(lowestCentreFrequencyHz, top)
        return ERBScale.centreFrequencies(lowestHz: bottom, highestHz: top, count: channelCount)
    }

    /// Total fibres in one channel of one ear.
    public var fibreCountPerChannel: Int { fibresPerChannel.values.reduce(0, +) }

    /// Spikes per second that one channel's fibres of one ear fire together at rest.
    public var spontaneousSpikesPerSecondPerChannel: Double {
        spontaneousSpikesPerSecondPerChannel(of: SpontaneousRateClass.allCases)
    }

    /// The same, for the fibres of `classes` only.
    public func spontaneousSpikesPerSecondPerChannel(of classes: [SpontaneousRateClass]) -> Double {
        classes.reduce(0) { $0 + Double(fibresPerChannel[$1] ?? 0) * (fibre[$1]?.spontaneousRateHz ?? 0) }
    }
}

/// Spike times of one ear, per channel, for one block of time. Times are in seconds from the start
/// of the sound, sorted within each channel; `fibre` gives the fibre index within the channel.
public struct SpikeBlock: Sendable {
    public var times: [[Double]]
    public var fibre: [[UInt16]]
    /// The block covers `startSeconds ..< endSeconds`.
    public var startSeconds: Double = 0
    public var endSeconds: Double = 0

    public init(channelCount: Int) {
        times = .init(repeating: [], count: channelCount)
        fibre = .init(repeating: [], count: channelCount)
    }

    /// The block `startSeconds ..< endSeconds` of whole spike trains (one sorted train per
    /// channel), for feeding recorded or hand-made trains to a later stage in pieces; fibre indices
    /// are left empty.
    public init(trains: [[Double]], startSeconds: Double, endSeconds: Double) {
        self.init(channelCount: trains.count)
        times = trains.map { train in train.filter { $0 >= startSeconds && $0 < endSeconds } }
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }

    public var spikeCount: Int { times.reduce(0) { $0 + $1.count } }
}

/// One ear's cochlea: gammatone filterbank -> inner hair cells -> auditory-nerve fibres.
/// Feed it blocks of samples; it returns the spikes each block produced. Results do not depend on
/// how the sound is cut into blocks.
public final class Cochlea {
    let configuration: CochleaConfiguration
    let sampleRateHz: Double
    public let centreFrequenciesHz: [Double]
    private(set) var filterbank: GammatoneFilterbank
    private(set) var hairCell: InnerHairCell
    /// Channel after channel, `classOfFibre.count` fibres each.
    var fibres: [AuditoryNerveFiber]
    let classOfFibre: [SpontaneousRateClass]
    /// Each fibre's index into `activeClasses`.
    let slotOfFibre: [Int]
    /// The classes that have fibres, and each one's parameters.
    let activeClasses: [(cls: SpontaneousRateClass, parameters: AuditoryNerveFiber.Parameters)]
    let hazardTables: [HazardTable]
    var framesDone: Int = 0
    var basilarMembrane: ChannelBlock
    /// The hair cell's level, in dB SPL, written on its update frames only (see
    /// `InnerHairCell.process`).
    var levelDB: ChannelBlock
    /// Per active class and channel of the current pair, the hazard integrated from the start of
    /// the sound, at the start of each interval of the current chunk (`chunkFrames + 1` values,
    /// contiguous so that a fibre's search reads neighbouring memory).
    let cumulative: UnsafeMutablePointer<Double>
    /// Per channel group and active class: the integrated hazard carried between chunks, and the
    /// two terms of the hazard held between level updates (multiplied by the sample interval).
    /// Two channels each, four per group, for three class slots per group.
    var integratedHazard: [PairHazard]
    var heldSteadyHazard: [PairHazard]
    var heldLockedHazard: [PairHazard]
    /// One channel's spikes of the current chunk, fibre after fibre, and where each fibre's run
    /// ends, for the merge.
    var runs: [Double] = []
    var runEnds: [Int]

    /// Samples are taken through the stages this many at a time, so that the intermediate
    /// blocks (filterbank output, level, integrated hazard) stay in cache. Any chunk size gives
    /// the same spikes.
    static let chunkFrames = 1024

    /// `sampleRateHz` must lie in `supportedSampleRatesHz` (readers and options check it first):
    /// outside it the filterbank is untested and may lose its gain or its stability.
    public init(configuration: CochleaConfiguration = .init(), sampleRateHz: Double, ear: Ear, seed: UInt64) {
        precondition(
            isSupportedSampleRate(sampleRateHz),
            "sample rate \(sampleRateHz) Hz is outside the supported \(supportedSampleRatesText)")
        self.configuration = configuration
        self.sampleRateHz = sampleRateHz
        let fcs = configuration.centreFrequenciesHz(sampleRateHz: sampleRateHz)
        centreFrequenciesHz = fcs
        filterbank = GammatoneFilterbank(
            .init(
                centreFrequenciesHz: fcs, sampleRateHz: sampleRateHz,
                bandwidthPerERB: configuration.bandwidthPerERB))
        hairCell = InnerHairCell(
            parameters: configuration.innerHairCell, channelCount: fcs.count, sampleRateHz: sampleRateHz)
        var classes: [SpontaneousRateClass] = []
        for c in SpontaneousRateClass.allCases {
            classes += Array(repeating: c, count: configuration.fibresPerChannel[c] ?? 0)
        }
        classOfFibre = classes
        let active = SpontaneousRateClass.allCases.filter { (configuration.fibresPerChannel[$0] ?? 0) > 0 }
        activeClasses = active.map { ($0, configuration.fibre[$0] ?? .typical($0)) }
        hazardTables = activeClasses.map { HazardTable($0.parameters) }
        slotOfFibre = classes.map { active.firstIndex(of: $0)! }
        let root = SeededGenerator(seed: seed)
        fibres = (0..<fcs.count).flatMap { ch in
            classes.enumerated().map { f, c in
                let stream = UInt64(ear.rawValue) << 40 | UInt64(ch) << 16 | UInt64(f)
                return AuditoryNerveFiber(
                    parameters: configuration.fibre[c] ?? .typical(c),
                    generator: root.derived(stream: stream))
            }
        }
        basilarMembrane = ChannelBlock(channelCount: fcs.count, capacityFrames: Self.chunkFrames)
        levelDB = basilarMembrane
        let slots = 4 * basilarMembrane.groupCount * SpontaneousRateClass.allCases.count
        integratedHazard = .init(repeating: .zero, count: slots)
        heldSteadyHazard = integratedHazard
        heldLockedHazard = integratedHazard
        let values = 2 * max(activeClasses.count, 1) * (Self.chunkFrames + 1)
        cumulative = .allocate(capacity: values)
        cumulative.initialize(repeating: 0, count: values)
        runEnds = .init(repeating: 0, count: classes.count)
    }

    deinit { cumulative.deallocate() }

    public var channelCount: Int { centreFrequenciesHz.count }

    /// Runs one block of samples through the cochlea and writes its spikes into `spikes`
    /// (replacing what was there).
    public func process(_ samples: [Float], into spikes: inout SpikeBlock) {
        let frames = samples.count
        let dt = 1 / sampleRateHz
        // Interval k of the block is centred on sample k.
        let start = (Double(framesDone) - 0.5) * dt
        spikes.startSeconds = start
        spikes.endSeconds = start + Double(frames) * dt
        if spikes.times.count != channelCount { spikes = SpikeBlock(channelCount: channelCount) }
        for c in 0..<channelCount {
            spikes.times[c].removeAll(keepingCapacity: true)
            spikes.fibre[c].removeAll(keepingCapacity: true)
        }
        samples.withUnsafeBufferPointer { x in
            var first = 0
            while first < frames {
                let end = min(first + Self.chunkFrames, frames)
                filterbank.process(UnsafeBufferPointer(rebasing: x[first..<end]), into: &basilarMembrane)
                hairCell.process(&basilarMembrane, levelDB: &levelDB)
                generateSpikes(frames: end - first, dt: dt, into: &spikes)
                framesDone += end - first
                first = end
            }
        }
    }

    /// Draws the chunk's spikes of every fibre and appends them in time order per channel.
    /// Each pair of channels is integrated and its fibres drawn right away, so the fibres search
    /// integrated hazard that is still in cache.
    private func generateSpikes(frames: Int, dt: Double, into spikes: inout SpikeBlock) {
        let perChannel = classOfFibre.count
        let stretch = Self.chunkFrames + 1
        var runs: [Double] = []
        var runEnds: [Int] = []
        swap(&runs, &self.runs)
        swap(&runEnds, &self.runEnds)
        defer {
            swap(&runs, &self.runs)
            swap(&runEnds, &self.runEnds)
        }
        fibres.withUnsafeMutableBufferPointer { fibres in
            for g in 0..<basilarMembrane.groupCount {
                for q in 0..<channelLanes / 2 where g * channelLanes + 2 * q < channelCount {
                    integrateHazard(group: g, pair: q, frames: frames, dt: dt)
                    for l in 0..<2 {
                        let ch = g * channelLanes + 2 * q + l
                        guard ch < channelCount else { break }
                        runs.removeAll(keepingCapacity: true)
                        for f in 0..<perChannel {
                            let cum = UnsafeBufferPointer(
                                start: cumulative + (2 * slotOfFibre[f] + l) * stretch, count: frames + 1)
                            fibres[ch * perChannel + f].advance(
                                cumulative: cum, frames: frames, firstFrame: framesDone,
                                dtSeconds: dt, spikes: &runs)
                            runEnds[f] = runs.count
                        }
                        Self.mergeRuns(runs, ends: runEnds, times: &spikes.times[ch], fibres: &spikes.fibre[ch])
                    }
                }
            }
        }
    }

    /// Integrates every class's hazard over the chunk into `cumulative` (one stretch of
    /// `chunkFrames + 1` values per class and channel) for channels `2q` and `2q + 1` of group
    /// `g`. The hazard is `steady + locked x drive` (see
    /// `AuditoryNerveFiber.Parameters.hazardTerms`), capped at the fibre's maximum; the two terms
    /// follow the level, refreshed when the hair cell refreshes it.
    ///
    /// All classes (at most three) in one pass: each frame's drive is then converted once, and
    /// the loop's state fits the processor's vector registers.
    private func integrateHazard(group g: Int, pair q: Int, frames: Int, dt: Double) {
        let groups = basilarMembrane.groupCount
        let classes = activeClasses.count
        guard classes > 0 else { return }
        let stretch = Self.chunkFrames + 1
        let firstFrame = framesDone
        let update = InnerHairCell.levelUpdateFrames
        // Stores the two channels' integral at the start of frame n of class c ...
        func store(_ c: Int, _ n: Int, _ value: PairHazard) {
            cumulative[2 &* c &* stretch &+ n] = value[0]
            cumulative[(2 &* c &+ 1) &* stretch &+ n] = value[1]
        }
        // ... and of frames n and n + 1.
        func store(_ c: Int, _ n: Int, _ value: PairHazard, _ next: PairHazard) {
            UnsafeMutableRawPointer(cumulative + (2 &* c &* stretch &+ n))
                .storeBytes(of: PairHazard(value[0], next[0]), as: PairHazard.self)
            UnsafeMutableRawPointer(cumulative + ((2 &* c &+ 1) &* stretch &+ n))
                .storeBytes(of: PairHazard(value[1], next[1]), as: PairHazard.self)
        }
        // pointwiseMin (Double.minimum) as `x < cap ? x : cap`, which is one MINPD instruction.
        // The two differ only where x == cap are zeros of opposite sign (the sum takes either to
        // the same value) and for signalling NaNs (which arithmetic never makes); a quiet NaN
        // gives the cap in both.
        @inline(__always) func capped(_ x: PairHazard, _ cap: PairHazard) -> PairHazard {
            #if arch(x86_64)
            _mm_min_pd(x, cap)
            #else
            cap.replacing(with: x, where: x .< cap)
            #endif
        }
        // Terms and caps are held multiplied by dt: the integral then needs one multiply per frame.
        let step = PairHazard(repeating: dt)
        func cap(_ c: Int) -> PairHazard {
            PairHazard(repeating: activeClasses[min(c, classes - 1)].parameters.maximumHazardHz * dt)
        }
        let cap0 = cap(0)
        let cap1 = cap(1)
        let cap2 = cap(2)
        let t0 = hazardTables[0]
        let t1 = hazardTables[min(1, classes - 1)]
        let t2 = hazardTables[min(2, classes - 1)]
        basilarMembrane.storage.withUnsafeBytes { bmBytes in
            levelDB.storage.withUnsafeBytes { lvBytes in
                t0.values.withUnsafeBufferPointer { v0 in
                    t1.values.withUnsafeBufferPointer { v1 in
                        t2.values.withUnsafeBufferPointer { v2 in
                            let bm = bmBytes.baseAddress!.assumingMemoryBound(to: SIMD2<Float>.self)
                            let lv = lvBytes.baseAddress!.assumingMemoryBound(to: SIMD2<Float>.self)
                            func slot(_ c: Int) -> Int { (g * 3 + min(c, classes - 1)) * 4 + q }
                            var steady0 = heldSteadyHazard[slot(0)]
                            var locked0 = heldLockedHazard[slot(0)]
                            var steady1 = heldSteadyHazard[slot(1)]
                            var locked1 = heldLockedHazard[slot(1)]
                            var steady2 = heldSteadyHazard[slot(2)]
                            var locked2 = heldLockedHazard[slot(2)]
                            var running0 = integratedHazard[slot(0)]
                            var running1 = integratedHazard[slot(1)]
                            var running2 = integratedHazard[slot(2)]
                            store(0, 0, running0)
                            if classes > 1 { store(1, 0, running1) }
                            if classes > 2 { store(2, 0, running2) }
                            var n = 0
                            while n < frames {
                                let phase = (firstFrame + n) & (update - 1)
                                if phase == 0 {
                                    let level = lv[(n * groups + g) * 4 + q]
                                    // Each channel's level is placed among the tables' points once.
                                    let a = HazardTable.position(levelSPL: Double(level[0]))
                                    let b = HazardTable.position(levelSPL: Double(level[1]))
                                    func terms(_ t: HazardTable, _ v: UnsafeBufferPointer<Double>) -> (
                                        PairHazard, PairHazard
                                    ) {
                                        let x = t.terms(at: a, table: v)
                                        let y = t.terms(at: b, table: v)
                                        return (
                                            PairHazard(x.steady, y.steady) * step, PairHazard(x.locked, y.locked) * step
                                        )
                                    }
                                    (steady0, locked0) = terms(t0, v0)
                                    if classes > 1 { (steady1, locked1) = terms(t1, v1) }
                                    if classes > 2 { (steady2, locked2) = terms(t2, v2) }
                                }
                                let segmentEnd = min(frames, n + update - phase)
                                var drivePointer = bm + (n * groups + g) * 4 + q
                                func drive() -> PairHazard {
                                    let f = drivePointer.pointee
                                    drivePointer += 4 * groups
                                    return PairHazard(Double(f[0]), Double(f[1]))
                                }
                                // Two frames at a time, so that each channel's two new values go
                                // out in one store.
                                while n &+ 2 <= segmentEnd {
                                    let d = drive()
                                    let e = drive()
                                    let first0 = running0 + capped(steady0 + locked0 * d, cap0)
                                    let first1 = running1 + capped(steady1 + locked1 * d, cap1)
                                    let first2 = running2 + capped(steady2 + locked2 * d, cap2)
                                    running0 = first0 + capped(steady0 + locked0 * e, cap0)
                                    running1 = first1 + capped(steady1 + locked1 * e, cap1)
                                    running2 = first2 + capped(steady2 + locked2 * e, cap2)
                                    store(0, n &+ 1, first0, running0)
                                    if classes > 1 { store(1, n &+ 1, first1, running1) }
                                    if classes > 2 { store(2, n &+ 1, first2, running2) }
                                    n &+= 2
                                }
                                if n < segmentEnd {
                                    let d = drive()
                                    running0 += capped(steady0 + locked0 * d, cap0)
                                    running1 += capped(steady1 + locked1 * d, cap1)
                                    running2 += capped(steady2 + locked2 * d, cap2)
                                    n &+= 1
                                    store(0, n, running0)
                                    if classes > 1 { store(1, n, running1) }
                                    if classes > 2 { store(2, n, running2) }
                                }
                            }
                            heldSteadyHazard[slot(0)] = steady0
                            heldLockedHazard[slot(0)] = locked0
                            integratedHazard[slot(0)] = running0
                            if classes > 1 {
                                heldSteadyHazard[slot(1)] = steady1
                                heldLockedHazard[slot(1)] = locked1
                                integratedHazard[slot(1)] = running1
                            }
                            if classes > 2 {
                                heldSteadyHazard[slot(2)] = steady2
                                heldLockedHazard[slot(2)] = locked2
                                integratedHazard[slot(2)] = running2
                            }
                        }
                    }
                }
            }
        }
    }

    /// A channel's spikes come as one time-ordered run per fibre, fibre after fibre; a k-way
    /// merge appends them to `times` in time order (ties go to the lower fibre index) and each
    /// spike's fibre to `fibres`.
    private static func mergeRuns(_ runs: [Double], ends: [Int], times: inout [Double], fibres: inout [UInt16]) {
        guard let total = ends.last, total > 0 else { return }
        let count = ends.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { next in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { head in
                // next[f]: fibre f's next unmerged spike; head[f]: its time, or infinity once the
                // run is used up (spike times are finite).
                var start = 0
                for f in 0..<count {
                    next[f] = start
                    head[f] = start < ends[f] ? runs[start] : .infinity
                    start = ends[f]
                }
                for _ in 0..<total {
                    var best = 0
                    var bestTime = head[0]
                    for f in 1..<count where head[f] < bestTime {
                        best = f
                        bestTime = head[f]
                    }
                    times.append(bestTime)
                    fibres.append(UInt16(best))
                    let i = next[best] + 1
                    next[best] = i
                    head[best] = i < ends[best] ? runs[i] : .infinity
                }
            }
        }
    }
}
