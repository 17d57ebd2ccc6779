/// Full linear convolution, `x.count + h.count - 1` samples long, accumulated in Double.
///
/// Direct form: for the sub-second sounds and few-hundred-tap head-related impulse responses
/// soundloc renders, this costs tens of milliseconds; room responses go to `fastConvolve`.
public func convolve(_ x: [Float], _ h: [Float]) -> [Float] {
    guard !x.isEmpty, !h.isEmpty else { return [] }
    var y = [Double](repeating: 0, count: x.count + h.count - 1)
    for (k, hk) in h.enumerated() where hk != 0 {
        let g = Double(hk)
        for i in x.indices { y[i + k] += g * Double(x[i]) }
    }
    return y.map(Float.init)
}

/// Full linear convolution by the FFT (overlap-free: one transform of the padded whole), the same
/// `x.count + h.count - 1` samples as `convolve`, equal to it within the FFT's rounding
/// (`RealFFT.relativeErrorBound` times the signals' energy), computed in Double.
///
/// For long responses (a room's, tenths of a second) the direct form's x.count * h.count
/// multiply-adds become billions; this costs three transforms of the next power of two.
func fastConvolve(_ x: [Float], _ h: [Float]) -> [Float] {
    guard !x.isEmpty, !h.isEmpty else { return [] }
    let n = x.count + h.count - 1
    var size = 4
    while size < n { size *= 2 }
    let fft = RealFFT(size: size)
    func padded(_ v: [Float]) -> [Double] {
        var d = [Double](repeating: 0, count: size)
        for i in v.indices { d[i] = Double(v[i]) }
        return d
    }
    let a = fft.forward(padded(x))
    let b = fft.forward(padded(h))
    var re = a.re
    var im = a.im
    for k in re.indices {
        re[k] = a.re[k] * b.re[k] - a.im[k] * b.im[k]
        im[k] = a.re[k] * b.im[k] + a.im[k] * b.re[k]
    }
    let y = fft.inverse(re: re, im: im)
    return (0..<n).map { Float(y[$0]) }
}

/// The direct form when it is cheap (up to 2^26 multiply-adds, tens of milliseconds: every
/// anechoic rendering of a sound under 2 s through a head-related response), the FFT otherwise
/// (a room's response): what renderers call, so an anechoic rendering is the same either way.
public func convolveChoosingMethod(_ x: [Float], _ h: [Float]) -> [Float] {
    x.count * h.count <= 1 << 26 ? convolve(x, h) : fastConvolve(x, h)
}

/// Root mean square of a signal (0 for an empty one).
public func rootMeanSquare(_ x: [Float]) -> Double {
    guard !x.isEmpty else { return 0 }
    return (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
}
