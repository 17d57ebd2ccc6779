#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DSP

extension SpontaneousRateClass {
    var index: Int { SpontaneousRateClass.allCases.firstIndex(of: self)! }
}

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
    var framesDone: Int = 0
    var basilarMembrane: ChannelBlock
    var levelDB: ChannelBlock
    var cumulative: [Double] = []
    /// Per channel group and fibre class: the hazard integrated since the start of the sound,
    /// and the driven hazard held between level updates (eight lanes each).
    var integratedHazard: [[Double]]
    var heldDrivenHazard: [[Double]]
    var scratch: [Double] = []
    var order: [Int] = []
    /// When true, `lastBasilarMembrane` keeps a copy of the filterbank output (for inspection).
    public var keepsFilterbankOutput = false
    public private(set) var lastBasilarMembrane: ChannelBlock?

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
        let root = SeededGenerator(seed: seed)
        fibres = (0..<fcs.count).map { ch in
            classes.enumerated().map { f, c in
                let stream = UInt64(ear.rawValue) << 40 | UInt64(ch) << 16 | UInt64(f)
                return AuditoryNerveFiber(parameters: configuration.fibre[c] ?? .typical(c),
                                          generator: root.derived(stream: stream))
            }
        }
        basilarMembrane = ChannelBlock(channelCount: fcs.count, capacityFrames: 0)
        let slots = basilarMembrane.groupCount * SpontaneousRateClass.allCases.count
        integratedHazard = .init(repeating: .init(repeating: 0, count: channelLanes), count: slots)
        heldDrivenHazard = integratedHazard
        levelDB = basilarMembrane
    }

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
        guard frames > 0 else { return }
        filterbank.process(samples, into: &basilarMembrane)
        if keepsFilterbankOutput { lastBasilarMembrane = basilarMembrane }
        hairCell.process(&basilarMembrane, levelDB: &levelDB)
        generateSpikes(frames: frames, dt: dt, into: &spikes)
        framesDone += frames
    }

    private func generateSpikes(frames: Int, dt: Double, into spikes: inout SpikeBlock) {
        let groups = basilarMembrane.groupCount
        let lanes = channelLanes
        if cumulative.count < (frames + 1) * lanes { cumulative = .init(repeating: 0, count: (frames + 1) * lanes) }
        for g in 0..<groups {
            for cls in SpontaneousRateClass.allCases where (configuration.fibresPerChannel[cls] ?? 0) > 0 {
                let p = configuration.fibre[cls] ?? .typical(cls)
                let spont = p.spontaneousHazardHz, cap = p.maximumHazardHz
                // Integrate the hazard for the eight channels of this group at once.
                let slot = g * SpontaneousRateClass.allCases.count + cls.index
                var driven = heldDrivenHazard[slot]
                var running = integratedHazard[slot]
                cumulative.withUnsafeMutableBufferPointer { cum in
                    for l in 0..<lanes { cum[l] = running[l] }
                    for n in 0..<frames {
                        let i = n * groups + g
                        let drive = basilarMembrane.storage[i]
                        // The level is refreshed every 16 frames (see InnerHairCell); so is this.
                        if (framesDone + n) & 15 == 0 {
                            let level = levelDB.storage[i]
                            for l in 0..<lanes { driven[l] = p.drivenHazard(levelSPL: Double(level[l])) }
                        }
                        for l in 0..<lanes {
                            let hazard = min(spont + driven[l] * Double(drive[l]), cap)
                            running[l] += hazard * dt
                            cum[(n + 1) * lanes + l] = running[l]
                        }
                    }
                }
                heldDrivenHazard[slot] = driven
                integratedHazard[slot] = running
                cumulative.withUnsafeBufferPointer { cum in
                    for l in 0..<lanes {
                        let ch = g * lanes + l
                        guard ch < channelCount else { break }
                        for f in 0..<classOfFibre.count where classOfFibre[f] == cls {
                            let before = spikes.times[ch].count
                            fibres[ch][f].advance(cumulative: cum, stride: lanes, offset: l, frames: frames,
                                                  firstFrame: framesDone, dtSeconds: dt, spikes: &spikes.times[ch])
                            let added = spikes.times[ch].count - before
                            spikes.fibre[ch].append(contentsOf: repeatElement(UInt16(f), count: added))
                        }
                    }
                }
            }
        }
        for ch in 0..<channelCount { sortChannel(&spikes, ch) }
    }

    /// Sorts one channel's spikes by time, keeping each spike's fibre index with it.
    private func sortChannel(_ spikes: inout SpikeBlock, _ ch: Int) {
        let n = spikes.times[ch].count
        guard n > 1 else { return }
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: 0..<n)
        let t = spikes.times[ch]
        order.sort { t[$0] < t[$1] }
        let f = spikes.fibre[ch]
        for i in 0..<n { spikes.times[ch][i] = t[order[i]]; spikes.fibre[ch][i] = f[order[i]] }
    }
}
