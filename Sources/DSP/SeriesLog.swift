/// Natural logarithm by a short series, for callers that only need to know on which side of a
/// boundary log(x) falls and can fall back to libm's `log` when it is too close to call.
///
/// x = 2^e m with m in [sqrt(1/2), sqrt 2); then ln m = 2 atanh z with z = (m - 1) / (m + 1),
/// |z| <= 0.1716, and the odd series of atanh to z^11 leaves a truncation error below
/// 2 |z|^13 / (13 (1 - z^2)) < 1.8e-11. `seriesLogErrorBound` states that bound.
/// Branch-light and free of calls, so it costs a few nanoseconds where `log` costs tens.
@inlinable @inline(__always)
public func seriesLog(_ x: Double) -> Double {
    let bits = x.bitPattern
    let biased = Int(truncatingIfNeeded: bits >> 52)  // sign bit 0 for x > 0
    // Zero, subnormals, infinities, NaN and negatives are left to libm.
    guard biased > 0 && biased < 0x7ff else { return _log(x) }
    var e = Double(biased - 1023)
    var m = Double(bitPattern: bits & 0x000f_ffff_ffff_ffff | 0x3ff0_0000_0000_0000)
    if m > 1.4142135623730951 {
        m *= 0.5
        e += 1
    }
    let z = (m - 1) / (m + 1)
    let z2 = z * z
    let series = 1 + z2 * (1.0 / 3 + z2 * (1.0 / 5 + z2 * (1.0 / 7 + z2 * (1.0 / 9 + z2 * (1.0 / 11)))))
    return e * 0.6931471805599453 + 2 * z * series
}

/// Largest difference between `seriesLog(x)` and ln x for finite x > 0: the series' truncation
/// error (< 1.8e-11) plus rounding, which for |ln x| < 750 stays far below 1e-12.
public let seriesLogErrorBound = 2e-11
