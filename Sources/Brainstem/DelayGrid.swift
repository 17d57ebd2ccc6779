import DSP

/// The internal delays of one row of detectors, evenly spaced, and range look-ups on them.
struct DelayGrid: Sendable {
    let delaysSeconds: [Double]
    let minimum: Double, maximum: Double
    /// Delay steps per second.
    let inverseStep: Double
    /// The longest coincidence window any pair of inputs can open, in seconds.
    let maximumWindowSeconds: Double

    init(delaysSeconds: [Double], maximumWindowSeconds: Double) {
        self.delaysSeconds = delaysSeconds
        minimum = delaysSeconds[0]
        maximum = delaysSeconds[delaysSeconds.count - 1]
        inverseStep = delaysSeconds.count > 1 ? 1 / (delaysSeconds[1] - delaysSeconds[0]) : 1
        self.maximumWindowSeconds = maximumWindowSeconds
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

/// Where a boundary time falls on the grid, in steps from the first delay.
struct GridPosition {
    /// The last delay below the boundary (negative if none); the first at or above it is one more.
    var floor: Int
    /// False when the boundary lies so close to a delay that the fast estimate of it might put
    /// it on the wrong side; the caller then works the range out exactly.
    var clear: Bool
}

extension DelayGrid {
    /// Grid position of time `x`, clamped to [-1.5, count + 0.5] steps. `near` is the distance
    /// to a delay, in steps, under which the position is not clear.
    @inline(__always)
    func position(_ x: Double, count n: Int, near: Double) -> GridPosition {
        // Clamped with NaN (which no spike time makes) at the low end, so that u + 2 lies in
        // [0.5, count + 2.5] and the conversion needs no check; truncation of a positive number
        // is its floor.
        let v = (x - minimum) * inverseStep
        let top = Double(n) + 0.5
        let u = v > -1.5 ? (v < top ? v : top) : -1.5
        let k = truncatedToInt(u + 2) - 2
        let fraction = u - Double(k)
        return GridPosition(floor: k, clear: fraction > near && fraction < 1 - near)
    }

    /// How close, in steps, a boundary estimated with `seriesLog` may come to a delay before
    /// the exact computation must decide: a hundred times the estimate's worst error (the
    /// difference of two series logarithms, 2 x `seriesLogErrorBound`, times tau), and never
    /// less than 1e-6 steps, far above the rounding of the delays themselves (~1e-14 steps).
    func nearness(tau: Double) -> Double {
        1e-6 + 100 * (2 * seriesLogErrorBound + 1e-15) * tau * inverseStep
    }

    /// Detectors a...b at which left input (time 0) decides with the right input at `-lag`,
    /// the next right input at `-next`: delay in [max(lag - tau ln(other / need), next), lag),
    /// with libm's `log`, as the fast path in `sweepCoincidences` estimates it.
    func exactFirstKind(
        _ d: UnsafeBufferPointer<Double>, lag: Double, next: Double, other: Double, need: Double,
        tau: Double
    ) -> (Int, Int) {
        let lo = need > 0 ? max(lag - tau * _log(other / need), next) : next
        return (firstIndex(d, atLeast: lo), lastIndex(d, atMost: lag, open: true))
    }

    /// Detectors a...b at which a right input decides after the left input `lag` before it
    /// (the next left input `nextLag` after it): delay in [lag, lag + tau ln(other / need)],
    /// cut short (open) at `nextLag`, with libm's `log`.
    func exactSecondKind(
        _ d: UnsafeBufferPointer<Double>, lag: Double, nextLag: Double, other: Double, need: Double,
        tau: Double
    ) -> (Int, Int) {
        let hi = need > 0 ? lag + tau * _log(other / need) : .infinity
        let b = nextLag <= hi ? lastIndex(d, atMost: nextLag, open: true) : lastIndex(d, atMost: hi, open: false)
        return (firstIndex(d, atLeast: lag), b)
    }
}

/// Index of the first value at or after `t` in sorted `xs`.
@inline(__always)
func lowerBound(_ xs: UnsafeBufferPointer<Double>, _ t: Double) -> Int {
    var lo = 0
    var hi = xs.count
    while lo < hi {
        let m = (lo + hi) >> 1
        if xs[m] < t { lo = m + 1 } else { hi = m }
    }
    return lo
}
