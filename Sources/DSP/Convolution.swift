/// Full linear convolution, `x.count + h.count - 1` samples long, accumulated in Double.
///
/// Direct form: for the sub-second sounds and few-hundred-tap head-related impulse responses
/// soundloc renders, this costs tens of milliseconds, so an FFT method would not pay off.
public func convolve(_ x: [Float], _ h: [Float]) -> [Float] {
    guard !x.isEmpty, !h.isEmpty else { return [] }
    var y = [Double](repeating: 0, count: x.count + h.count - 1)
    for (k, hk) in h.enumerated() where hk != 0 {
        let g = Double(hk)
        for i in x.indices { y[i + k] += g * Double(x[i]) }
    }
    return y.map(Float.init)
}

/// Root mean square of a signal (0 for an empty one).
public func rootMeanSquare(_ x: [Float]) -> Double {
    guard !x.isEmpty else { return 0 }
    return (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
}
