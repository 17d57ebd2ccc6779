#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Discrete Fourier transform of a real signal whose length is a power of two, in Double.
///
/// The N real samples are packed into N/2 complex ones (even samples real, odd imaginary), sent
/// through an iterative radix-2 decimation-in-time complex FFT (Cooley & Tukey 1965), and the two
/// interleaved half-length spectra are separated with one more twiddle stage. The forward transform
/// is X[k] = sum_n x[n] exp(-2 pi i k n / N) for k = 0...N/2 (the rest is the conjugate mirror);
/// the inverse includes the 1/N.
public struct RealFFT: Sendable {
    /// Transform length N, in samples (a power of two, at least 4).
    let size: Int
    let half: Int
    /// exp(-2 pi i k / (N/2)) for k < N/4: the complex FFT's twiddles.
    let twiddleRe: [Double], twiddleIm: [Double]
    /// exp(-2 pi i k / N) for k <= N/2: the real-to-half-complex split's twiddles.
    let splitRe: [Double], splitIm: [Double]
    let bitReversed: [Int]

    public init(size: Int) {
        precondition(size >= 4 && size & (size - 1) == 0, "the FFT size must be a power of two, at least 4")
        self.size = size
        half = size / 2
        // Twiddles from cos and sin directly, not by recurrence, so that each is within an ulp
        // (the mu of Higham's error bound; see `RealFFT.relativeErrorBound`).
        twiddleRe = (0..<(size / 4)).map { cos(2 * Double.pi * Double($0) / Double(size / 2)) }
        twiddleIm = (0..<(size / 4)).map { -sin(2 * Double.pi * Double($0) / Double(size / 2)) }
        splitRe = (0...(size / 2)).map { cos(2 * Double.pi * Double($0) / Double(size)) }
        splitIm = (0...(size / 2)).map { -sin(2 * Double.pi * Double($0) / Double(size)) }
        let bits = (size / 2).trailingZeroBitCount
        bitReversed = (0..<(size / 2)).map { i in
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            return r
        }
    }

    /// Bound on ||computed - exact|| / ||exact|| (2-norms over the spectrum) for Double arithmetic.
    ///
    /// Higham, "Accuracy and Stability of Numerical Algorithms" (2nd ed. 2002), Theorem 24.2: a
    /// radix-2 FFT of length 2^t in floating point with unit roundoff u, twiddles accurate to mu,
    /// has relative error at most t eta / (1 - t eta), eta = mu + gamma_4 (sqrt 2 + mu),
    /// gamma_4 = 4u / (1 - 4u). Here t = log2(N/2) stages of the complex FFT plus the split stage
    /// (one more twiddle multiply and add per bin), and mu = u (twiddles from libm, within an ulp).
    public static func relativeErrorBound(size: Int) -> Double {
        let u = Double.ulpOfOne / 2
        let gamma4 = 4 * u / (1 - 4 * u)
        let eta = u + gamma4 * (2.0.squareRoot() + u)
        let t = Double((size / 2).trailingZeroBitCount + 1)
        return t * eta / (1 - t * eta)
    }

    /// Multiply-accumulates of one transform, forward or inverse (the same work).
    ///
    /// Counting rule: a multiply-accumulate is one real multiplication with one real addition; an
    /// operation's count is max(multiplications, additions), so spare additions are charged as
    /// whole multiply-accumulates (an upper bound on the arithmetic). A complex butterfly is one
    /// complex multiply (4 multiplications, 2 additions) and two complex additions (4 additions):
    /// 6; the complex FFT has (N/4) log2(N/2) of them. Each of the N/2 + 1 split bins takes one
    /// complex multiply and three complex additions or subtractions (4 multiplications,
    /// 2 + 6 additions): 8. Scalings by 1/2 and 1/N are exponent shifts and are not counted.
    public static func multiplyAccumulates(size: Int) -> Int {
        let butterflies = (size / 4) * (size / 2).trailingZeroBitCount
        return 6 * butterflies + 8 * (size / 2 + 1)
    }

    /// The spectrum of `x` (`size` samples): bins 0...N/2, real and imaginary parts.
    public func forward(_ x: [Double]) -> (re: [Double], im: [Double]) {
        precondition(x.count == size, "the FFT input must have `size` samples")
        var zr = [Double](repeating: 0, count: half)
        var zi = zr
        for n in 0..<half {
            zr[bitReversed[n]] = x[2 * n]
            zi[bitReversed[n]] = x[2 * n + 1]
        }
        butterflies(&zr, &zi)
        var xr = [Double](repeating: 0, count: half + 1)
        var xi = xr
        for k in 0...half {
            let a = k % half
            let b = (half - k) % half
            // Even-sample spectrum E = (Z[k] + conj Z[M-k]) / 2, odd O = (Z[k] - conj Z[M-k]) / 2i.
            let er = 0.5 * (zr[a] + zr[b])
            let ei = 0.5 * (zi[a] - zi[b])
            let or = 0.5 * (zi[a] + zi[b])
            let oi = -0.5 * (zr[a] - zr[b])
            let wr = splitRe[k]
            let wi = splitIm[k]
            xr[k] = er + (wr * or - wi * oi)
            xi[k] = ei + (wr * oi + wi * or)
        }
        return (xr, xi)
    }

    /// The real signal (`size` samples) whose spectrum bins 0...N/2 are `re`, `im`; the imaginary
    /// parts of bins 0 and N/2 are ignored (they are zero for a real signal).
    public func inverse(re: [Double], im: [Double]) -> [Double] {
        precondition(re.count == half + 1 && im.count == half + 1, "the inverse FFT needs N/2 + 1 bins")
        var zr = [Double](repeating: 0, count: half)
        var zi = zr
        for k in 0..<half {
            let b = half - k
            let cr = re[k]
            let ci = k == 0 ? 0 : im[k]
            let dr = re[b]
            let di = b == half ? 0 : -im[b]  // conj X[M-k]
            let er = 0.5 * (cr + dr)
            let ei = 0.5 * (ci + di)
            // O = (X[k] - conj X[M-k]) / 2 times exp(+2 pi i k / N).
            let tr = 0.5 * (cr - dr)
            let ti = 0.5 * (ci - di)
            let wr = splitRe[k]
            let wi = -splitIm[k]
            let or = tr * wr - ti * wi
            let oi = tr * wi + ti * wr
            // Z = E + i O, conjugated so that the forward butterflies compute the inverse.
            zr[bitReversed[k]] = er - oi
            zi[bitReversed[k]] = -(ei + or)
        }
        butterflies(&zr, &zi)
        var x = [Double](repeating: 0, count: size)
        let scale = 1 / Double(half)
        for n in 0..<half {
            x[2 * n] = zr[n] * scale
            x[2 * n + 1] = -zi[n] * scale
        }
        return x
    }

    /// In-place radix-2 decimation-in-time passes over bit-reversed input of length N/2.
    private func butterflies(_ re: inout [Double], _ im: inout [Double]) {
        var span = 1
        while span < half {
            let stride = half / (2 * span)
            var start = 0
            while start < half {
                for j in 0..<span {
                    let wr = twiddleRe[j * stride]
                    let wi = twiddleIm[j * stride]
                    let p = start + j
                    let q = p + span
                    let tr = wr * re[q] - wi * im[q]
                    let ti = wr * im[q] + wi * re[q]
                    re[q] = re[p] - tr
                    im[q] = im[p] - ti
                    re[p] += tr
                    im[p] += ti
                }
                start += 2 * span
            }
            span *= 2
        }
    }
}
