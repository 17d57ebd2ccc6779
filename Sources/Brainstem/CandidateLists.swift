#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// The part of one channel's inputs a window of the Jeffress array examines.
struct Window {
    /// Detector decisions in [from, to), in left-ear input time, belong to this window.
    var from: Double, to: Double
    /// Left inputs in the window, and right inputs whose decisions can fall in it.
    var leftRange: Range<Int>, rightRange: Range<Int>
}

/// Candidate firing times of each detector of one channel in one window: two lists per
/// detector, one from the pass over left inputs and one from the pass over right inputs, each
/// filled in time order, so refractoriness can walk them merged without sorting. Storage is
/// reused from window to window.
struct CandidateLists: Sendable {
    let detectorCount: Int
    /// Room per list, including one slot for an end marker.
    private(set) var capacity = 0
    /// `times[list * capacity + k]`, list = pass * detectorCount + detector.
    var times: [Double] = []
    var counts: [Int32]

    init(detectorCount: Int) {
        self.detectorCount = detectorCount
        counts = .init(repeating: 0, count: 2 * detectorCount)
    }

    /// Makes room for `capacity` candidates per list, plus the end marker `fire` puts after them.
    /// Lists are empty between windows.
    mutating func prepare(capacity wanted: Int) {
        let needed = wanted + 1
        guard needed > capacity else { return }
        capacity = max(needed, 2 * capacity, 16)
        times = .init(repeating: 0, count: 2 * detectorCount * capacity)
    }

    /// Finds every (detector, time) at which an input reaches threshold together with the last
    /// input from the other side (see `JeffressArray`), and files it.
    mutating func collect(left: (times: UnsafeBufferPointer<Double>, dendrite: UnsafeBufferPointer<Double>),
                          right: (times: UnsafeBufferPointer<Double>, dendrite: UnsafeBufferPointer<Double>),
                          window: Window, grid: DelayGrid, detector p: CoincidenceDetector.Parameters) {
        let n = detectorCount, cap = capacity
        let tau = p.membraneTimeConstantSeconds, threshold = p.threshold
        let w = grid.maximumWindowSeconds
        let (lt, ld) = left, (rt, rd) = right
        let lCount = lt.count, rCount = rt.count
        grid.delaysSeconds.withUnsafeBufferPointer { delays in
            times.withUnsafeMutableBufferPointer { store in
                counts.withUnsafeMutableBufferPointer { count in
                    @inline(__always) func file(_ t: Double, _ list: Int) {
                        let k = Int(count[list])
                        store[list * cap + k] = t
                        count[list] = Int32(k + 1)
                    }
                    // Pass 1: decisions at a left input i (time s = t_i), following right input j.
                    // Fires for gap = lag - delay in [0, win]. Inputs at equal times are taken left
                    // first (as in `CoincidenceDetector.simulate`), so the gap must be positive, and
                    // j must be the last right input before t_i - delay: delay >= t_i - t_{j+1}.
                    var jStart = 0
                    if let first = window.leftRange.first {
                        jStart = lowerBound(rt, lt[first] - grid.maximum - w)
                    }
                    for i in window.leftRange {
                        let ti = lt[i], need = threshold - ld[i]
                        while jStart < rCount && rt[jStart] < ti - grid.maximum - w { jStart += 1 }
                        var j = jStart
                        while j < rCount && rt[j] <= ti - grid.minimum {
                            defer { j += 1 }
                            let other = rd[j]
                            guard need <= 0 || other >= need else { continue }
                            let lag = ti - rt[j]
                            let next = j + 1 < rCount ? ti - rt[j + 1] : -Double.infinity
                            // First the range under the widest window any pair can have; only if it
                            // holds a detector is the pair's own window worked out, which can only
                            // raise the range's lower end.
                            var (a, b) = grid.indices(delays, lo: need > 0 ? max(lag - w, next) : next, hi: lag, hiOpen: true)
                            if a > b { continue }
                            if need > 0 {
                                let lo = max(lag - tau * log(other / need), next)
                                a = max(a, grid.firstIndex(delays, atLeast: lo))
                                if a > b { continue }
                            }
                            for d in a...b { file(ti, d) }
                        }
                    }
                    // Pass 2: decisions at a right input j (left-ear time s = t_j + delay), following
                    // left input i. Fires for gap = delay - lag in [0, win], delay < t_{i+1} - t_j,
                    // and s inside [from, to).
                    var iStart = 0
                    if let first = window.rightRange.first {
                        iStart = lowerBound(lt, rt[first] + grid.minimum - w)
                    }
                    for j in window.rightRange {
                        let tj = rt[j], need = threshold - rd[j]
                        while iStart < lCount && lt[iStart] < tj + grid.minimum - w { iStart += 1 }
                        var i = iStart
                        while i < lCount && lt[i] <= tj + grid.maximum {
                            defer { i += 1 }
                            let other = ld[i]
                            guard need <= 0 || other >= need else { continue }
                            let lag = lt[i] - tj
                            let nextLag = i + 1 < lCount ? lt[i + 1] - tj : Double.infinity
                            // As in pass 1: the widest window first; the pair's own window can
                            // only lower the range's upper end.
                            let wide = need > 0 ? lag + w : Double.infinity
                            var (a, b) = grid.indices(delays, lo: lag, hi: min(wide, nextLag), hiOpen: nextLag <= wide)
                            if a > b { continue }
                            if need > 0 {
                                var hi = lag + tau * log(other / need), hiOpen = false
                                if nextLag <= hi { hi = nextLag; hiOpen = true }
                                b = min(b, grid.lastIndex(delays, atMost: hi, open: hiOpen))
                                if a > b { continue }
                            }
                            for d in a...b {
                                let s = tj + delays[d]
                                if s >= window.from && s < window.to { file(s, n + d) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Applies each detector's refractory period to its candidates in time order, adds the
    /// spikes to `counts` (one entry per detector), empties the lists and returns the spike total.
    mutating func fire(lastFire: UnsafeMutableBufferPointer<Double>, counts out: UnsafeMutableBufferPointer<Int32>,
                       refractorySeconds: Double) -> Int {
        let n = detectorCount, cap = capacity
        var total = 0
        times.withUnsafeMutableBufferPointer { store in
            counts.withUnsafeMutableBufferPointer { count in
                for d in 0..<n {
                    let na = Int(count[d]), nb = Int(count[n + d])
                    if na + nb == 0 { continue }
                    let a = d * cap, b = (n + d) * cap
                    // An infinite sentinel ends each list, so the merge needs no bounds tests,
                    // and selections instead of branches keep it fast on unpredictable data.
                    var last = lastFire[d]
                    var fired: Int32 = 0
                    store[a + na] = .infinity
                    store[b + nb] = .infinity
                    var x = 0, y = 0
                    for _ in 0..<(na + nb) {
                        let u = store[a + x], v = store[b + y]
                        let takeFirst = u <= v
                        let s = takeFirst ? u : v
                        x += takeFirst ? 1 : 0
                        y += takeFirst ? 0 : 1
                        let fires = s - last >= refractorySeconds
                        last = fires ? s : last
                        fired += fires ? 1 : 0
                    }
                    lastFire[d] = last
                    out[d] += fired
                    total += Int(fired)
                    count[d] = 0; count[n + d] = 0
                }
            }
        }
        return total
    }
}

/// Index of the first value at or after `t` in sorted `xs`.
@inline(__always)
func lowerBound(_ xs: UnsafeBufferPointer<Double>, _ t: Double) -> Int {
    var lo = 0, hi = xs.count
    while lo < hi { let m = (lo + hi) >> 1; if xs[m] < t { lo = m + 1 } else { hi = m } }
    return lo
}
