#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Channels are processed eight at a time in SIMD lanes; this is the lane count.
let channelLanes = 8
public typealias ChannelVector = SIMD8<Float>

/// A block of filterbank (or hair-cell) output: `frames` samples for each channel, stored frame
/// by frame with channels grouped into SIMD vectors, the layout the recursive filters want.
public struct ChannelBlock: Sendable {
    let channelCount: Int
    let groupCount: Int
    private(set) var frames: Int
    public var storage: [ChannelVector]

    public init(channelCount: Int, capacityFrames: Int) {
        self.channelCount = channelCount
        groupCount = (channelCount + channelLanes - 1) / channelLanes
        frames = 0
        storage = [ChannelVector](repeating: .zero, count: groupCount * max(capacityFrames, 1))
    }

    /// Sets the frame count, growing storage if needed (reuses memory otherwise).
    mutating func resize(frames newFrames: Int) {
        frames = newFrames
        let need = groupCount * newFrames
        if storage.count < need { storage.append(contentsOf: repeatElement(.zero, count: need - storage.count)) }
    }

    func value(channel: Int, frame: Int) -> Float {
        storage[frame * groupCount + channel / channelLanes][channel % channelLanes]
    }

    /// One channel's samples, copied out (for tests and plots, not the hot path).
    public func channel(_ c: Int) -> [Float] { (0..<frames).map { value(channel: c, frame: $0) } }
}

/// A bank of 4th-order gammatone filters, the standard model of the basilar membrane's frequency
/// analysis (Patterson et al. 1992; Holdsworth et al. 1988).
///
/// Each filter is realised as four cascaded one-pole complex resonators with pole
/// p = exp(-2 pi b / fs) exp(i 2 pi fc / fs), b = 1.019 ERB(fc). Unlike the direct-form 8th-order
/// polynomial, this cascade keeps each pole separately, so it stays stable and accurate in single
/// precision even for an 80 Hz channel at 192 kHz. Output is the real part after a complex gain
/// chosen so that the response at fc is exactly 1 with zero phase.
public struct GammatoneFilterbank: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Centre frequencies, in Hz; each must lie in (0, 0.5 x sample rate).
        var centreFrequenciesHz: [Double]
        /// Sample rate, in Hz.
        var sampleRateHz: Double
        /// Filter bandwidth b as a multiple of ERB(fc); 1.019 makes the 4th-order filter's
        /// equivalent rectangular bandwidth equal ERB(fc) (Patterson et al. 1992).
        var bandwidthPerERB: Double = 1.019

        public init(centreFrequenciesHz: [Double], sampleRateHz: Double, bandwidthPerERB: Double = 1.019) {
            self.centreFrequenciesHz = centreFrequenciesHz
            self.sampleRateHz = sampleRateHz
            self.bandwidthPerERB = bandwidthPerERB
        }
    }

    let configuration: Configuration
    var channelCount: Int { configuration.centreFrequenciesHz.count }
    let groupCount: Int
    // Per group: pole (real, imaginary) and output gain (real, imaginary).
    var poleRe: [ChannelVector], poleIm: [ChannelVector]
    var gainRe: [ChannelVector], gainIm: [ChannelVector]
    // State: 4 stages x (re, im) per group, laid out [group * 8 + stage * 2 + part].
    var state: [ChannelVector]

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        let fcs = configuration.centreFrequenciesHz
        precondition(!fcs.isEmpty, "a filterbank needs at least one channel")
        groupCount = (fcs.count + channelLanes - 1) / channelLanes
        poleRe = .init(repeating: .zero, count: groupCount)
        poleIm = poleRe
        gainRe = poleRe
        gainIm = poleRe
        state = .init(repeating: .zero, count: groupCount * 8)
        let fs = configuration.sampleRateHz
        for c in 0..<(groupCount * channelLanes) {
            let fc = fcs[min(c, fcs.count - 1)]
            let b = configuration.bandwidthPerERB * ERBScale.bandwidth(atHz: fc)
            let r = exp(-2 * Double.pi * b / fs)
            let theta = 2 * Double.pi * fc / fs
            let p = (re: r * cos(theta), im: r * sin(theta))
            // H(w) = 1 / (1 - p e^{-iw})^4 for the complex cascade.
            func response(_ w: Double) -> (re: Double, im: Double) {
                let d = (re: 1 - (p.re * cos(w) + p.im * sin(w)), im: -(p.im * cos(w) - p.re * sin(w)))
                var q = (re: 1.0, im: 0.0)
                for _ in 0..<4 { q = (q.re * d.re - q.im * d.im, q.re * d.im + q.im * d.re) }
                let m = q.re * q.re + q.im * q.im
                return (q.re / m, -q.im / m)
            }
            // Output y = Re(g * y_c). Its response at w is (g H(w) + conj(g) conj(H(-w))) / 2.
            let hp = response(theta)
            let hn = response(-theta)
            let hpMag2 = hp.re * hp.re + hp.im * hp.im
            var g = (re: 2 * hp.re / hpMag2, im: -2 * hp.im / hpMag2)  // g = 2 / H(fc)
            let total = (
                re: (g.re * hp.re - g.im * hp.im + g.re * hn.re - g.im * hn.im) / 2,
                im: (g.re * hp.im + g.im * hp.re - (g.re * hn.im + g.im * hn.re)) / 2
            )
            let mag = (total.re * total.re + total.im * total.im).squareRoot()
            g = (g.re / mag, g.im / mag)
            poleRe[c / channelLanes][c % channelLanes] = Float(p.re)
            poleIm[c / channelLanes][c % channelLanes] = Float(p.im)
            gainRe[c / channelLanes][c % channelLanes] = Float(g.re)
            gainIm[c / channelLanes][c % channelLanes] = Float(g.im)
        }
    }

    /// Filters `input` (one ear's samples) into `output`, carrying state to the next call, so that
    /// any split of a signal into blocks gives the same result.
    public mutating func process(_ input: [Float], into output: inout ChannelBlock) {
        input.withUnsafeBufferPointer { process($0, into: &output) }
    }

    /// Filters `x` into `output`, carrying state, as `process(_:into:)`.
    ///
    /// Works on four channels at a time (half a `ChannelVector`): the cascade's eight state
    /// vectors and four coefficients then fit in the processor's sixteen vector registers, where
    /// eight channels at a time would spill them to memory on every sample.
    mutating func process(_ x: UnsafeBufferPointer<Float>, into output: inout ChannelBlock) {
        output.resize(frames: x.count)
        let halves = 2 * groupCount
        output.storage.withUnsafeMutableBytes { outBytes in
            state.withUnsafeMutableBytes { stateBytes in
                let out = outBytes.baseAddress!.assumingMemoryBound(to: Quad.self)
                let st = stateBytes.baseAddress!.assumingMemoryBound(to: Quad.self)
                for h in 0..<halves {
                    let g = h / 2
                    let half = h % 2
                    func lanes(_ v: ChannelVector) -> Quad { half == 0 ? v.lowHalf : v.highHalf }
                    let pr = lanes(poleRe[g])
                    let pi = lanes(poleIm[g])
                    let gr = lanes(gainRe[g])
                    let gi = lanes(gainIm[g])
                    // State vector k of group g is st[2 * (g * 8 + k) + half] in quads.
                    func slot(_ k: Int) -> Int { 2 * (g * 8 + k) + half }
                    var s0r = st[slot(0)]
                    var s0i = st[slot(1)]
                    var s1r = st[slot(2)]
                    var s1i = st[slot(3)]
                    var s2r = st[slot(4)]
                    var s2i = st[slot(5)]
                    var s3r = st[slot(6)]
                    var s3i = st[slot(7)]
                    // Stepped pointers: an index multiplied out on every sample cost more than the
                    // store it addresses.
                    var target = out + h
                    for n in 0..<x.count {
                        let xn = Quad(repeating: x[n])
                        let a0r = pr * s0r - pi * s0i + xn
                        let a0i = pr * s0i + pi * s0r
                        let a1r = pr * s1r - pi * s1i + a0r
                        let a1i = pr * s1i + pi * s1r + a0i
                        let a2r = pr * s2r - pi * s2i + a1r
                        let a2i = pr * s2i + pi * s2r + a1i
                        let a3r = pr * s3r - pi * s3i + a2r
                        let a3i = pr * s3i + pi * s3r + a2i
                        s0r = a0r
                        s0i = a0i
                        s1r = a1r
                        s1i = a1i
                        s2r = a2r
                        s2i = a2i
                        s3r = a3r
                        s3i = a3i
                        target.pointee = gr * a3r - gi * a3i
                        target += halves
                    }
                    st[slot(0)] = s0r
                    st[slot(1)] = s0i
                    st[slot(2)] = s1r
                    st[slot(3)] = s1i
                    st[slot(4)] = s2r
                    st[slot(5)] = s2i
                    st[slot(6)] = s3r
                    st[slot(7)] = s3i
                }
            }
        }
    }

    /// Clears the filter state, as if the signal before were silence.
    mutating func reset() { for i in state.indices { state[i] = .zero } }
}
