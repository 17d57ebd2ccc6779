#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `x` through a second-order Butterworth high-pass filter (Q = 1/sqrt 2) cutting at `cutoffHz`,
/// run forwards once (causal). Coefficients by the bilinear transform with the cutoff pre-warped,
/// as in Bristow-Johnson's "Audio EQ cookbook" (1994-2005).
public func highPassed(_ x: [Double], cutoffHz: Double, sampleRateHz: Double) -> [Double] {
    let w = 2 * Double.pi * cutoffHz / sampleRateHz
    let alpha = sin(w) / (2 * 0.5.squareRoot())
    let a0 = 1 + alpha
    let cw = cos(w)
    let b0 = (1 + cw) / 2 / a0
    let b1 = -(1 + cw) / a0
    let b2 = b0
    let a1 = -2 * cw / a0
    let a2 = (1 - alpha) / a0
    var y = [Double](repeating: 0, count: x.count)
    var x1 = 0.0
    var x2 = 0.0
    var y1 = 0.0
    var y2 = 0.0
    for n in x.indices {
        let v = b0 * x[n] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2 = x1
        x1 = x[n]
        y2 = y1
        y1 = v
        y[n] = v
    }
    return y
}
