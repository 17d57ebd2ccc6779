#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DSP

extension SpontaneousRateClass {
    var index: Int { SpontaneousRateClass.allCases.firstIndex(of: self)! }
}

/// Hazards of four channels, in double precision (the integral runs from the start of the sound).
typealias HalfHazard = SIMD4<Double>

/// Which ear a cochlea belongs to. It only seeds the randomness differently.
public enum Ear: Int, Sendable, CaseIterable { case left = 0, right = 1 }

/// Everything that shapes one ear's cochlea, with units in the names.
public struct CochleaConfiguration: Sendable, Equatable {
    /// Lowest and highest centre frequency of the filterbank, in Hz.
    public var lowestCentreFrequencyHz: Double = 100
    public var highestCentreFrequencyHz: Double = 8000
    /// Number of frequency channels, evenly spaced on the ERB-rate scale.
    public var channelCount: Int = 64
    /// Gammatone bandwidth as a multiple of ERB(fc).
    public var bandwidthPerERB: Double = 1.019
    public var innerHairCell = InnerHairCell.Parameters()
    /// Fibres per channel for each spontaneous-rate class, in the rough proportions of Liberman
    /// (1978): mostly high-spontaneous-rate fibres.
    public var fibresPerChannel: [SpontaneousRateClass: Int] = [.high: 4, .medium: 1, .low: 1]
    /// Fibre parameters per class.
    public var fibre: [SpontaneousRateClass: AuditoryNerveFiber.Parameters] =
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

    public var spikeCount: Int { times.reduce(0) { $0 + $1.count } }
}

/// One ear's cochlea: gammatone filterbank -> inner hair cells -> auditory-nerve fibres.
/// Feed it blocks of samples; it returns the spikes each block produced. Results do not depend on
/// how the sound is cut into blocks.
public final class Cochlea {
    public let configuration: CochleaConfiguration
    public let sampleRateHz: Double
    public let centreFrequenciesHz: [Double]
    public private(set) var filterbank: GammatoneFilterbank
    public private(set) var hairCell: InnerHairCell
    var fibres: [[AuditoryNerveFiber]]  // [channel][fibre]
    let classOfFibre: [SpontaneousRateClass]
    /// The classes that have fibres, and each one's parameters.
    let activeClasses: [(cls: SpontaneousRateClass, parameters: AuditoryNerveFiber.Parameters)]
    let hazardTables: [HazardTable]
    var framesDone: Int = 0
    var basilarMembrane: ChannelBlock
    var levelDB: ChannelBlock
    /// The hazard of one class and group of eight channels integrated from the start of the
    /// sound, at the start of each interval of the current chunk (`chunkFrames + 1` vectors).
    let cumulative: UnsafeMutablePointer<SIMD8<Double>>
    /// Room for one update's steady and locked hazard terms of four channels.
    let termScratch: UnsafeMutablePointer<Double>
    /// Per channel group and active class: the integrated hazard carried between chunks, and the
    /// two terms of the hazard held between level updates (multiplied by the sample interval).
    /// Four channels each (half a group).
    var integratedHazard: [HalfHazard]
    var heldSteadyHazard: [HalfHazard]
    var heldLockedHazard: [HalfHazard]
    /// For the merge: where each channel's spikes of the current chunk begin, and how many
    /// each fibre of each channel added.
    var chunkStart: [Int]
    var runLength: [Int]
    var merged: [Double] = []

    /// Samples are taken through the stages this many at a time, so that the intermediate
    /// blocks (filterbank output, level, integrated hazard) stay in cache. Any chunk size gives
    /// the same spikes.
    static let chunkFrames = 1024

    public init(configuration: CochleaConfiguration = .init(), sampleRateHz: Double, ear: Ear, seed: UInt64) {
        self.configuration = configuration
        self.sampleRateHz = sampleRateHz
        let fcs = configuration.centreFrequenciesHz(sampleRateHz: sampleRateHz)
        centreFrequenciesHz = fcs
        filterbank = GammatoneFilterbank(.init(centreFrequenciesHz: fcs, sampleRateHz: sampleRateHz,
                                               bandwidthPerERB: configuration.bandwidthPerERB))
        hairCell = InnerHairCell(parameters: configuration.innerHairCell, channelCount: fcs.count, sampleRateHz: sampleRateHz)
        var classes: [SpontaneousRateClass] = []
        for c in SpontaneousRateClass.allCases {
            classes += Array(repeating: c, count: configuration.fibresPerChannel[c] ?? 0)
        }
        classOfFibre = classes
        activeClasses = SpontaneousRateClass.allCases.filter { (configuration.fibresPerChannel[$0] ?? 0) > 0 }
            .map { ($0, configuration.fibre[$0] ?? .typical($0)) }
        hazardTables = activeClasses.map { HazardTable($0.parameters) }
        let root = SeededGenerator(seed: seed)
        fibres = (0..<fcs.count).map { ch in
            classes.enumerated().map { f, c in
                let stream = UInt64(ear.rawValue) << 40 | UInt64(ch) << 16 | UInt64(f)
                return AuditoryNerveFiber(parameters: configuration.fibre[c] ?? .typical(c),
                                          generator: root.derived(stream: stream))
            }
        }
        basilarMembrane = ChannelBlock(channelCount: fcs.count, capacityFrames: Self.chunkFrames)
        levelDB = basilarMembrane
        let slots = 2 * basilarMembrane.groupCount * activeClasses.count
        integratedHazard = .init(repeating: .zero, count: slots)
        heldSteadyHazard = integratedHazard
        heldLockedHazard = integratedHazard
        let vectors = Self.chunkFrames + 1
        cumulative = .allocate(capacity: vectors)
        cumulative.initialize(repeating: .zero, count: vectors)
        termScratch = .allocate(capacity: 8)
        termScratch.initialize(repeating: 0, count: 8)
        runLength = .init(repeating: 0, count: fcs.count * classes.count)
        chunkStart = .init(repeating: 0, count: fcs.count)
    }

    deinit { cumulative.deallocate(); termScratch.deallocate() }

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
        for c in 0..<channelCount { spikes.times[c].removeAll(keepingCapacity: true); spikes.fibre[c].removeAll(keepingCapacity: true) }
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

    /// Draws the chunk's spikes of every fibre and merges them into time order per channel.
    private func generateSpikes(frames: Int, dt: Double, into spikes: inout SpikeBlock) {
        let perChannel = classOfFibre.count
        for ch in 0..<channelCount { chunkStart[ch] = spikes.times[ch].count }
        let cum = UnsafeBufferPointer(start: UnsafeRawPointer(cumulative).assumingMemoryBound(to: Double.self),
                                      count: (frames + 1) * channelLanes)
        for g in 0..<basilarMembrane.groupCount {
            for (c, entry) in activeClasses.enumerated() {
                integrateHazard(group: g, classIndex: c, frames: frames, dt: dt)
                for l in 0..<channelLanes {
                    let ch = g * channelLanes + l
                    guard ch < channelCount else { break }
                    for f in 0..<perChannel where classOfFibre[f] == entry.cls {
                        let before = spikes.times[ch].count
                        fibres[ch][f].advance(cumulative: cum, stride: channelLanes, offset: l, frames: frames,
                                              firstFrame: framesDone, dtSeconds: dt, spikes: &spikes.times[ch])
                        runLength[ch * perChannel + f] = spikes.times[ch].count - before
                    }
                }
            }
        }
        for ch in 0..<channelCount { mergeRuns(&spikes, channel: ch) }
    }

    /// Integrates one class's hazard over the chunk into `cumulative`, for the eight channels of
    /// one group. The hazard is `steady + locked x drive` (see
    /// `AuditoryNerveFiber.Parameters.hazardTerms`), capped at the fibre's maximum; the two terms
    /// follow the level, refreshed when the hair cell refreshes it. Four channels at a time: with
    /// eight doubles per vector the loop's state does not fit in the vector registers.
    private func integrateHazard(group g: Int, classIndex c: Int, frames: Int, dt: Double) {
        let groups = basilarMembrane.groupCount, slot = 2 * (g * activeClasses.count + c)
        let p = activeClasses[c].parameters, table = hazardTables[c]
        // Terms and cap are held multiplied by dt: the integral then needs one multiply per frame.
        let cap = HalfHazard(repeating: p.maximumHazardHz * dt), step = HalfHazard(repeating: dt)
        let firstFrame = framesDone, update = InnerHairCell.levelUpdateFrames
        let cum = UnsafeMutableRawPointer(cumulative).assumingMemoryBound(to: HalfHazard.self)
        let terms = termScratch
        basilarMembrane.storage.withUnsafeBytes { bmBytes in
            levelDB.storage.withUnsafeBytes { lvBytes in
                table.values.withUnsafeBufferPointer { values in
                    let bm = bmBytes.baseAddress!.assumingMemoryBound(to: Quad.self)
                    let lv = lvBytes.baseAddress!.assumingMemoryBound(to: Quad.self)
                    for h in 0..<2 {
                        var steady = heldSteadyHazard[slot + h], locked = heldLockedHazard[slot + h]
                        var running = integratedHazard[slot + h]
                        cum[h] = running
                        var n = 0
                        while n < frames {
                            let phase = (firstFrame + n) & (update - 1)
                            if phase == 0 {
                                // Scalar look-ups into scratch, then one vector load each.
                                let level = lv[2 * (n * groups + g) + h]
                                for l in 0..<4 {
                                    (terms[l], terms[4 + l]) = table.terms(levelSPL: Double(level[l]), table: values)
                                }
                                steady = UnsafeRawPointer(terms).loadUnaligned(as: HalfHazard.self) * step
                                locked = UnsafeRawPointer(terms + 4).loadUnaligned(as: HalfHazard.self) * step
                            }
                            let segmentEnd = min(frames, n + update - phase)
                            while n < segmentEnd {
                                let f = bm[2 * (n * groups + g) + h]
                                let drive = HalfHazard(Double(f[0]), Double(f[1]), Double(f[2]), Double(f[3]))
                                running += pointwiseMin(steady + locked * drive, cap)
                                n += 1
                                cum[2 * n + h] = running
                            }
                        }
                        heldSteadyHazard[slot + h] = steady
                        heldLockedHazard[slot + h] = locked
                        integratedHazard[slot + h] = running
                    }
                }
            }
        }
    }

    /// The chunk's spikes of one channel come as one time-ordered run per fibre, fibre after
    /// fibre; a k-way merge puts them in time order (ties go to the lower fibre index) and
    /// records each spike's fibre.
    private func mergeRuns(_ spikes: inout SpikeBlock, channel ch: Int) {
        let perChannel = classOfFibre.count, start = chunkStart[ch], end = spikes.times[ch].count
        guard end > start else { return }
        var out: [Double] = []
        swap(&out, &merged)
        out.removeAll(keepingCapacity: true)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * perChannel) { bounds in
            // bounds[f]: the next unmerged spike of fibre f; bounds[perChannel + f]: its run's end.
            var position = start
            for f in 0..<perChannel {
                bounds[f] = position
                position += runLength[ch * perChannel + f]
                bounds[perChannel + f] = position
            }
            spikes.times[ch].withUnsafeBufferPointer { t in
                for _ in start..<end {
                    var best = 0, bestTime = Double.infinity
                    for f in 0..<perChannel where bounds[f] < bounds[perChannel + f] && t[bounds[f]] < bestTime {
                        best = f; bestTime = t[bounds[f]]
                    }
                    out.append(bestTime)
                    bounds[best] += 1
                    spikes.fibre[ch].append(UInt16(best))
                }
            }
        }
        spikes.times[ch].replaceSubrange(start..<end, with: out)
        swap(&out, &merged)
    }
}
