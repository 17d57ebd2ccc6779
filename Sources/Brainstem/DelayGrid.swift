/// The internal delays of one row of detectors, evenly spaced, and range look-ups on them.
struct DelayGrid: Sendable {
    let delaysSeconds: [Double]
    let minimum: Double, maximum: Double, step: Double, inverseStep: Double
    /// The longest coincidence window any pair of inputs can open, in seconds.
    let maximumWindowSeconds: Double

    init(delaysSeconds: [Double], maximumWindowSeconds: Double) {
        self.delaysSeconds = delaysSeconds
        minimum = delaysSeconds[0]
        maximum = delaysSeconds[delaysSeconds.count - 1]
        step = delaysSeconds.count > 1 ? delaysSeconds[1] - delaysSeconds[0] : 1
        inverseStep = 1 / step
        self.maximumWindowSeconds = maximumWindowSeconds
    }

    /// First and last index of the delays in [lo, hi] (or [lo, hi) when `hiOpen`); empty when a > b.
    /// The index arithmetic is corrected against the stored delays, so rounding never moves a
    /// boundary.
    @inline(__always)
    func indices(_ d: UnsafeBufferPointer<Double>, lo: Double, hi: Double, hiOpen: Bool) -> (Int, Int) {
        let n = d.count
        // Truncation is within one step of the ceiling and floor wanted; the checks below
        // finish the job without a libm call.
        var a = Int(max(-1, min(Double(n), (lo - minimum) * inverseStep)))
        if a >= 0 && a < n && d[a] < lo { a += 1 }
        if a > 0 && a - 1 < n && d[a - 1] >= lo { a -= 1 }
        var b = Int(max(-1, min(Double(n), (hi - minimum) * inverseStep)))
        if b >= 0 && b < n && (d[b] > hi || (hiOpen && d[b] >= hi)) { b -= 1 }
        if b + 1 < n && b + 1 >= 0 && d[b + 1] <= hi && !(hiOpen && d[b + 1] >= hi) { b += 1 }
        return (max(a, 0), min(b, n - 1))
    }
}

extension DelayGrid {
    /// Index of the first delay >= `lo` (`count` if none).
    @inline(__always)
    func firstIndex(_ d: UnsafeBufferPointer<Double>, atLeast lo: Double) -> Int {
        let n = d.count
        var a = Int(max(0, min(Double(n), (lo - minimum) * inverseStep)))
        if a < n && d[a] < lo { a += 1 }
        if a > 0 && d[a - 1] >= lo { a -= 1 }
        return a
    }

    /// Index of the last delay <= `hi` (< `hi` when `open`), -1 if none.
    @inline(__always)
    func lastIndex(_ d: UnsafeBufferPointer<Double>, atMost hi: Double, open: Bool) -> Int {
        let n = d.count
        var b = Int(max(-1, min(Double(n - 1), (hi - minimum) * inverseStep)))
        if b >= 0 && (d[b] > hi || (open && d[b] >= hi)) { b -= 1 }
        if b + 1 < n && d[b + 1] <= hi && !(open && d[b + 1] >= hi) { b += 1 }
        return b
    }
}

/// Index of the first value at or after `t` in sorted `xs`.
@inline(__always)
func lowerBound(_ xs: UnsafeBufferPointer<Double>, _ t: Double) -> Int {
    var lo = 0, hi = xs.count
    while lo < hi { let m = (lo + hi) >> 1; if xs[m] < t { lo = m + 1 } else { hi = m } }
    return lo
}
