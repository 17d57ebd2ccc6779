#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inner hair cell turns basilar-membrane motion into a drive for the auditory nerve:
/// half-wave rectification (transduction channels open for one direction of deflection), a
/// power law on the rectified signal, a low-pass filter (the membrane's capacitance and the
/// synapse), and compression of the level.
///
/// The low-pass sets how phase locking fades with frequency. Auditory-nerve vector strength is
/// about 0.8-0.9 up to roughly 1 kHz and falls steeply above, to near zero by 5-6 kHz in the cat
/// (Johnson 1980, J. Acoust. Soc. Am. 68:1115). Vector strength measures only the fundamental of
/// the drive against its mean, so it falls as |H(f)| of the low-pass; a cascade of first-order
/// stages cannot be flat to 1 kHz and down to a quarter at 4 kHz at once, and four stages with
/// 4 kHz corners come closest (|H| = 0.89 at 1 kHz, 0.64 at 2 kHz, 0.25 at 4 kHz). Models of the
/// cat's nerve use filters of the same kind (e.g. 7th order, 3.8 kHz in Zhang et al. 2001,
/// J. Acoust. Soc. Am. 109:648). `docs/cochlea.md` gives the vector strengths measured.
///
/// The compression acts on the smoothed level, not sample by sample: the drive's fine structure
/// is kept (so phase locking survives at high levels, as it does in real fibres) while the rate
/// grows compressively with level (the fibre's rate-level function). The output is two signals per
/// channel: the fine-structure drive (rectified, low-passed, divided by its smoothed level, so of
/// mean about 1) and the level in dB SPL.
public struct InnerHairCell: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Corner frequency of each first-order low-pass stage, in Hz.
        var lowpassCornerHz: Double = 4000
        /// Number of cascaded first-order low-pass stages (the filter's order), 1...8.
        var lowpassOrder: Int = 4
        /// Time constant of each of the two cascaded smoothers of the level estimate, in seconds
        /// (an adaptation-like smoothing; two stages keep the ripple of low channels small).
        var levelTimeConstantSeconds: Double = 0.005
        /// Exponent applied to the rectified signal before the low-pass; 1 is linear.
        var rectifierExponent: Double = 2
        /// The sound level, in dB SPL, of a full-scale (amplitude 1) sinusoid: maps digital
        /// samples to pressure.
        public var fullScaleSPL: Double = 100

        public init() {}
    }

    /// The level (and the drive's normaliser) is refreshed every this many frames and held
    /// between (0.36 ms at 44.1 kHz, against a 10 ms smoothing): logarithms and divisions are
    /// then rare. The fibres update their rates on the same frames. A power of two.
    static var levelUpdateFrames: Int { 16 }

    let parameters: Parameters
    let groupCount: Int
    let alpha: Float, levelAlpha: Float
    let exponent: Float
    // State per four channels: low-pass stages, the two level smoothers, and the held level and
    // normaliser.
    var lowpass: [Quad]
    var level: [Quad]
    var heldLevelDB: [Quad]
    var heldInverse: [Quad]
    var framesSeen = 0
    // Converts the smoothed rectified drive to dB SPL: a full-scale sine has a mean of its
    // rectified power of E[max(sin,0)^k].
    let dbOffset: Float

    init(parameters: Parameters = .init(), channelCount: Int, sampleRateHz: Double) {
        self.parameters = parameters
        groupCount = (channelCount + channelLanes - 1) / channelLanes
        alpha = Float(exp(-2 * Double.pi * parameters.lowpassCornerHz / sampleRateHz))
        levelAlpha = Float(exp(-1 / (parameters.levelTimeConstantSeconds * sampleRateHz)))
        exponent = Float(parameters.rectifierExponent)
        precondition((1...8).contains(parameters.lowpassOrder), "the hair cell's low-pass order must be 1...8")
        lowpass = .init(repeating: .zero, count: 2 * groupCount * parameters.lowpassOrder)
        level = .init(repeating: .zero, count: 2 * groupCount * 2)
        heldLevelDB = .init(repeating: .zero, count: 2 * groupCount)
        heldInverse = heldLevelDB
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
    /// (dB SPL) of each channel into `levelDB` on the frames where it is refreshed (every
    /// `levelUpdateFrames`, counted from the start of the sound; the level holds between them, and
    /// the other frames of `levelDB` are left as they were).
    ///
    /// Works on four channels at a time (half a `ChannelVector`): with eight, the filter stages
    /// and smoothers do not fit in the processor's vector registers.
    mutating func process(_ block: inout ChannelBlock, levelDB: inout ChannelBlock) {
        levelDB.resize(frames: block.frames)
        let halves = 2 * groupCount
        let order = parameters.lowpassOrder
        let frames = block.frames
        let a = Quad(repeating: alpha)
        let oneMinusA = 1 - a
        let la = Quad(repeating: levelAlpha)
        let oneMinusLA = 1 - la
        let k = exponent
        let dbPerLog2 = Float(20 / parameters.rectifierExponent) * 0.30103
        let offset = Quad(repeating: dbOffset)
        let tiny = Quad(repeating: 1e-20)
        let update = Self.levelUpdateFrames
        let first = framesSeen
        block.storage.withUnsafeMutableBytes { ioBytes in
            levelDB.storage.withUnsafeMutableBytes { lvBytes in
                let io = ioBytes.baseAddress!.assumingMemoryBound(to: Quad.self)
                let lv = lvBytes.baseAddress!.assumingMemoryBound(to: Quad.self)
                for h in 0..<halves {
                    // The stages live in local variables (the filter's order is at most 8) so that
                    // they stay in registers.
                    let base = h * order
                    func stage(_ s: Int) -> Quad { s < order ? lowpass[base + s] : .zero }
                    var st = Stages(
                        s0: stage(0), s1: stage(1), s2: stage(2), s3: stage(3),
                        s4: stage(4), s5: stage(5), s6: stage(6), s7: stage(7),
                        lev0: level[2 * h], lev1: level[2 * h + 1], db: heldLevelDB[h], inverse: heldInverse[h])
                    let c = Coefficients(
                        a: a, oneMinusA: oneMinusA, la: la, oneMinusLA: oneMinusLA, offset: offset,
                        tiny: tiny, dbPerLog2: dbPerLog2, first: first, update: update)
                    // The default filter gets its own copy of the loop, with the order and the
                    // exponent known, so that no per-sample test of them is left in it.
                    if order == 4 && k == 2 {
                        Self.run(&st, io: io, lv: lv, half: h, halves: halves, frames: frames, shape: DefaultShape(), c)
                    } else {
                        Self.run(
                            &st, io: io, lv: lv, half: h, halves: halves, frames: frames,
                            shape: AnyShape(order: order, exponent: k), c)
                    }
                    for (s, value) in [st.s0, st.s1, st.s2, st.s3, st.s4, st.s5, st.s6, st.s7].prefix(order)
                        .enumerated()
                    {
                        lowpass[base + s] = value
                    }
                    level[2 * h] = st.lev0
                    level[2 * h + 1] = st.lev1
                    heldLevelDB[h] = st.db
                    heldInverse[h] = st.inverse
                }
            }
        }
        framesSeen += frames
    }

    /// What one group of four channels carries through `run`.
    struct Stages {
        var s0, s1, s2, s3, s4, s5, s6, s7: Quad
        var lev0, lev1: Quad
        var db, inverse: Quad
    }

    struct Coefficients {
        var a, oneMinusA, la, oneMinusLA, offset, tiny: Quad
        var dbPerLog2: Float
        var first, update: Int
    }

    /// The per-sample loop of `process` for one group of four channels. Generic over the filter's
    /// shape so that the compiler makes a copy for the default shape with its constants folded in.
    static func run<Shape: FilterShape>(
        _ st: inout Stages, io: UnsafeMutablePointer<Quad>, lv: UnsafeMutablePointer<Quad>,
        half h: Int, halves: Int, frames: Int, shape: Shape, _ c: Coefficients
    ) {
        let order = shape.order
        let k = shape.exponent
        var s0 = st.s0
        var s1 = st.s1
        var s2 = st.s2
        var s3 = st.s3
        var s4 = st.s4
        var s5 = st.s5
        var s6 = st.s6
        var s7 = st.s7
        var lev0 = st.lev0
        var lev1 = st.lev1
        var db = st.db
        var inverse = st.inverse
        let a = c.a
        let oneMinusA = c.oneMinusA
        let la = c.la
        let oneMinusLA = c.oneMinusLA
        // Frames to go until the next level update (0: this one), counted down rather than
        // tested against the frame number on every sample.
        var untilUpdate = (c.update &- (c.first & (c.update &- 1))) & (c.update &- 1)
        var sample = io + h
        var level = lv + h
        for _ in 0..<frames {
            var y = sample.pointee.replacing(with: 0, where: sample.pointee .< 0)
            if k == 2 { y = y * y } else if k == 1.5 { y = y * y.squareRoot() } else if k != 1 { y = powQuad(y, k) }
            s0 = oneMinusA * y + a * s0
            y = s0
            if order > 1 {
                s1 = oneMinusA * y + a * s1
                y = s1
            }
            if order > 2 {
                s2 = oneMinusA * y + a * s2
                y = s2
            }
            if order > 3 {
                s3 = oneMinusA * y + a * s3
                y = s3
            }
            if order > 4 {
                s4 = oneMinusA * y + a * s4
                y = s4
            }
            if order > 5 {
                s5 = oneMinusA * y + a * s5
                y = s5
            }
            if order > 6 {
                s6 = oneMinusA * y + a * s6
                y = s6
            }
            if order > 7 {
                s7 = oneMinusA * y + a * s7
                y = s7
            }
            lev0 = oneMinusLA * y + la * lev0
            lev1 = oneMinusLA * lev0 + la * lev1
            if untilUpdate == 0 {
                let safe = lev1.replacing(with: c.tiny, where: lev1 .< c.tiny)
                inverse = 1 / safe
                db = c.offset + c.dbPerLog2 * log2Quad(safe)
                // The level is written on update frames only: the fibres read it nowhere else.
                level.pointee = db
                untilUpdate = c.update
            }
            untilUpdate &-= 1
            sample.pointee = y * inverse
            sample += halves
            level += halves
        }
        st = Stages(
            s0: s0, s1: s1, s2: s2, s3: s3, s4: s4, s5: s5, s6: s6, s7: s7, lev0: lev0, lev1: lev1, db: db,
            inverse: inverse)
    }
}

/// The low-pass order and rectifier exponent of the hair cell's filter.
protocol FilterShape {
    var order: Int { get }
    var exponent: Float { get }
}

/// The default shape (`Parameters()`), known at compile time.
struct DefaultShape: FilterShape {
    var order: Int { 4 }
    var exponent: Float { 2 }
}

struct AnyShape: FilterShape {
    var order: Int
    var exponent: Float
}

/// Four channels: half a `ChannelVector`, laid out as its lower or upper half in memory.
typealias Quad = SIMD4<Float>

@inline(__always)
func powQuad(_ x: Quad, _ k: Float) -> Quad {
    var r = x
    for l in 0..<4 where x[l] > 0 { r[l] = powf(x[l], k) }
    return r
}

@inline(__always)
func log2Quad(_ x: Quad) -> Quad {
    Quad(log2f(x[0]), log2f(x[1]), log2f(x[2]), log2f(x[3]))
}
