#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One channel's inputs, as the sweep reads them: spike times and each spike's dendritic
/// potential just after it.
struct SideInputs {
    var times: UnsafeBufferPointer<Double>
    var dendrite: UnsafeBufferPointer<Double>
}

/// The state of one row of detectors that outlives a window, and where its spikes are counted.
struct DetectorRow {
    /// Each detector's last spike, in left-ear input time.
    var lastFire: UnsafeMutableBufferPointer<Double>
    /// Spike counts of the current frame, one per detector.
    var counts: UnsafeMutableBufferPointer<Int32>
}

/// Finds every spike of one channel's detectors whose decision time falls in [from, to), in
/// left-ear input time, and applies refractoriness as it goes. Returns the number of spikes.
///
/// A detector can only reach threshold at an input that arrives within a short window after an
/// input from the other side, so the sweep visits pairs (left input i, right input j) whose lag
/// t_i - t_j lies within the delay span widened by that window. For detector d, a decision at a
/// left input is taken at t_i (first kind); one at a right input at t_j + delay_d (second kind),
/// and then i is the last left input before it, so it falls in [t_i, t_{i+1}). Sweeping i in
/// order, and for each i the pairs in order of j, first-kind before second-kind, therefore
/// reaches every detector's decisions in time order: refractoriness is applied on the spot,
/// with no lists and no sorting. Ties go to the left input, as in `CoincidenceDetector.simulate`.
func sweepCoincidences(left: SideInputs, right: SideInputs, leftRange: Range<Int>, from: Double, to: Double,
                       grid: DelayGrid, detector p: CoincidenceDetector.Parameters, row: DetectorRow) -> Int {
    let lt = left.times, ld = left.dendrite, rt = right.times, rd = right.dendrite
    let lCount = lt.count, rCount = rt.count
    let tau = p.membraneTimeConstantSeconds, threshold = p.threshold, refractory = p.refractorySeconds
    let w = grid.maximumWindowSeconds, dMin = grid.minimum, dMax = grid.maximum
    let last = row.lastFire, counts = row.counts
    var fired: Int32 = 0
    // The left input before the window can own decisions of the second kind inside it.
    let first = max(leftRange.lowerBound - 1, 0)
    guard first < leftRange.upperBound else { return 0 }
    var jStart = lowerBound(rt, lt[first] - dMax - w)
    return grid.delaysSeconds.withUnsafeBufferPointer { delays in
        for i in first..<leftRange.upperBound {
            let ti = lt[i], li = ld[i]
            let inWindow = i >= leftRange.lowerBound
            let nextLeft = i + 1 < lCount ? lt[i + 1] : Double.infinity
            let needAtLeft = threshold - li
            while jStart < rCount && rt[jStart] < ti - dMax - w { jStart += 1 }
            var j = jStart
            while j < rCount && rt[j] <= ti - dMin + w {
                defer { j += 1 }
                let tj = rt[j], rj = rd[j]
                let lag = ti - tj
                // First kind: decision at t_i. Fires for gap = lag - delay in (0, window], and j
                // must be the last right input to arrive: delay >= t_i - t_{j+1}.
                if inWindow && lag >= dMin && (needAtLeft <= 0 || rj >= needAtLeft) {
                    let next = j + 1 < rCount ? ti - rt[j + 1] : -Double.infinity
                    // The widest window any pair can have first; only if it holds a detector is
                    // this pair's own window worked out, which can only raise the lower end.
                    var (a, b) = grid.indices(delays, lo: needAtLeft > 0 ? max(lag - w, next) : next, hi: lag, hiOpen: true)
                    if a <= b && needAtLeft > 0 {
                        a = max(a, grid.firstIndex(delays, atLeast: max(lag - tau * log(rj / needAtLeft), next)))
                    }
                    if a <= b {
                        for d in a...b where ti - last[d] >= refractory {
                            last[d] = ti; counts[d] += 1; fired += 1
                        }
                    }
                }
                // Second kind: decision at t_j + delay. Fires for gap = delay - lag in [0, window]
                // and before the next left input: delay < t_{i+1} - t_j.
                let needAtRight = threshold - rj
                if lag <= dMax && (needAtRight <= 0 || li >= needAtRight) {
                    let nextLag = nextLeft - tj
                    let wide = needAtRight > 0 ? lag + w : Double.infinity
                    var (a, b) = grid.indices(delays, lo: lag, hi: min(wide, nextLag), hiOpen: nextLag <= wide)
                    if a <= b && needAtRight > 0 {
                        var hi = lag + tau * log(li / needAtRight), hiOpen = false
                        if nextLag <= hi { hi = nextLag; hiOpen = true }
                        b = min(b, grid.lastIndex(delays, atMost: hi, open: hiOpen))
                    }
                    if a <= b {
                        for d in a...b {
                            let s = tj + delays[d]
                            if s >= from && s < to && s - last[d] >= refractory {
                                last[d] = s; counts[d] += 1; fired += 1
                            }
                        }
                    }
                }
            }
        }
        return Int(fired)
    }
}
