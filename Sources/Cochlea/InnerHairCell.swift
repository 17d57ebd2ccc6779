#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inner hair cell turns basilar-membrane motion into a drive for the auditory nerve:
/// half-wave rectification (transduction channels open for one direction of deflection), a
/// low-pass filter (the membrane's capacitance), whose corner makes phase locking fade above about
/// 1-2 kHz as measured in the auditory nerve (Johnson 1980, J. Acoust. Soc. Am. 68:1115;
/// Palmer & Russell 1986), and compression of the level.
///
/// The compression acts on the smoothed level, not sample by sample: the drive's fine structure
/// is kept (so phase locking survives at high levels, as it does in real fibres) while its mean
/// grows compressively. The output is two signals per channel: the fine-structure drive
/// (rectified, low-passed, normalised to a mean of 1) and the level in dB SPL.
public struct InnerHairCell: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Corner frequency of each first-order low-pass stage, in Hz.
        public var lowpassCornerHz: Double = 3000
        /// Number of cascaded first-order low-pass stages (the filter's order).
        public var lowpassOrder: Int = 4
        /// Time constant of the level estimate, in seconds (an adaptation-like smoothing).
        public var levelTimeConstantSeconds: Double = 0.010
        /// Exponent applied to the rectified signal before the low-pass; 1 is linear.
        public var rectifierExponent: Double = 1.5
        /// The sound level, in dB SPL, of a full-scale (amplitude 1) sinusoid: maps digital
        /// samples to pressure.
        public var fullScaleSPL: Double = 100

        public init() {}
    }

    public let parameters: Parameters
    let groupCount: Int
    let alpha: Float, levelAlpha: Float
    let exponent: Float
    // State per group: low-pass stages, then the level smoother (and its normaliser).
    var lowpass: [ChannelVector]
    var level: [ChannelVector]
    var heldLevelDB: [ChannelVector]
    var framesSeen = 0
    // Converts the smoothed rectified drive to dB SPL: a full-scale sine has a mean of its
    // rectified power of E[max(sin,0)^k].
    let dbOffset: Float

    public init(parameters: Parameters = .init(), channelCount: Int, sampleRateHz: Double) {
        self.parameters = parameters
        groupCount = (channelCount + channelLanes - 1) / channelLanes
        alpha = Float(exp(-2 * Double.pi * parameters.lowpassCornerHz / sampleRateHz))
        levelAlpha = Float(exp(-1 / (parameters.levelTimeConstantSeconds * sampleRateHz)))
        exponent = Float(parameters.rectifierExponent)
        lowpass = .init(repeating: .zero, count: groupCount * max(parameters.lowpassOrder, 1))
        level = .init(repeating: .zero, count: groupCount)
        heldLevelDB = level
        // Mean of max(sin x, 0)^k over a period, numerically.
        var meanRectified = 0.0
        let steps = 4096
        for i in 0..<steps {
            let s = sin(2 * Double.pi * (Double(i) + 0.5) / Double(steps))
            if s > 0 { meanRectified += pow(s, parameters.rectifierExponent) }
        }
        meanRectified /= Double(steps)
        // level(dB) = fullScaleSPL + (20 / k) log10(mean / meanRectified(full scale)).
        dbOffset = Float(parameters.fullScaleSPL - 20 / parameters.rectifierExponent * log10(meanRectified))
    }

    /// Transforms filterbank output in place into the fine-structure drive, and writes the level
    /// (dB SPL) of each channel and frame into `levelDB`.
    public mutating func process(_ block: inout ChannelBlock, levelDB: inout ChannelBlock) {
        levelDB.resize(frames: block.frames)
        let groups = groupCount, order = max(parameters.lowpassOrder, 1), frames = block.frames
        let a = ChannelVector(repeating: alpha), oneMinusA = 1 - a
        let la = ChannelVector(repeating: levelAlpha), oneMinusLA = 1 - la
        let k = exponent, dbPerLog2 = Float(20 / parameters.rectifierExponent) * 0.30103
        let offset = ChannelVector(repeating: dbOffset)
        let tiny = ChannelVector(repeating: 1e-20)
        block.storage.withUnsafeMutableBufferPointer { io in
            levelDB.storage.withUnsafeMutableBufferPointer { lv in
                // Each group's low-pass stages live in a local buffer while its frames run, so
                // the compiler need not reload them through the block's pointers.
                withUnsafeTemporaryAllocation(of: ChannelVector.self, capacity: order) { lp in
                    for g in 0..<groups {
                        for s in 0..<order { lp[s] = lowpass[g * order + s] }
                        var lev = level[g]
                        var db = heldLevelDB[g]
                        for n in 0..<frames {
                            let i = n * groups + g
                            var y = io[i].replacing(with: 0, where: io[i] .< 0)
                            if k == 1.5 { y = y * y.squareRoot() } else if k == 2 { y = y * y } else if k != 1 { y = powVector(y, k) }
                            for s in 0..<order {
                                y = oneMinusA * y + a * lp[s]
                                lp[s] = y
                            }
                            lev = oneMinusLA * y + la * lev
                            let safe = lev.replacing(with: tiny, where: lev .< tiny)
                            io[i] = y / safe
                            // The level moves with a 10 ms time constant; its logarithm is
                            // refreshed every 16 frames (0.36 ms at 44.1 kHz) and held between.
                            if (framesSeen + n) & 15 == 0 { db = offset + dbPerLog2 * log2Vector(safe) }
                            lv[i] = db
                        }
                        for s in 0..<order { lowpass[g * order + s] = lp[s] }
                        level[g] = lev
                        heldLevelDB[g] = db
                    }
                }
            }
        }
        framesSeen += frames
    }
}

@inline(__always)
func powVector(_ x: ChannelVector, _ k: Float) -> ChannelVector {
    var r = x
    for l in 0..<channelLanes where x[l] > 0 { r[l] = powf(x[l], k) }
    return r
}

@inline(__always)
func log2Vector(_ x: ChannelVector) -> ChannelVector {
    var r = x
    for l in 0..<channelLanes { r[l] = log2f(x[l]) }
    return r
}
