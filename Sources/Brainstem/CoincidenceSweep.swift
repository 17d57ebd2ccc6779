import DSP

/// One channel's inputs, as the sweep reads them: spike times, each spike's dendritic potential
/// just after it, and the logarithms the coincidence windows need (`seriesLog` of the potential
/// and of what the soma still needs to reach threshold, 0 where that is not positive).
struct SideInputs {
    var times: UnsafeBufferPointer<Double>
    var dendrite: UnsafeBufferPointer<Double>
    var logDendrite: UnsafeBufferPointer<Double>
    var logNeed: UnsafeBufferPointer<Double>
}

/// The state of one row of detectors that outlives a window, and where its spikes are counted.
struct DetectorRow {
    /// Each detector's last spike, in left-ear input time.
    var lastFire: UnsafeMutableBufferPointer<Double>
    /// Spike counts of the current frame, one per detector.
    var counts: UnsafeMutableBufferPointer<Int32>
    /// When the window lies near a precedence gate: the spikes inside the gate go to its row
    /// instead of `counts`.
    var gate: OpenGates?
}

/// Up to two precedence gates of one channel (`OnsetGates`) that a window may touch, and where the
/// spikes inside them are counted. A gate is open from its onset for `width` seconds of physical
/// time; detector d decides at left-ear input time = physical time + delay_d / 2 (its left input
/// line is delay_d / 2 shorter than the middle's), so each detector's gate is shifted by its own
/// half delay, and none is favoured at the gate's edges.
struct OpenGates {
    var onsetCounts: UnsafeMutableBufferPointer<Int32>
    var halfDelays: [Double]
    /// Onset times of the two gates, in seconds (-infinity for none).
    var current: Double, previous: Double
    var width: Double

    @inline(__always)
    func contains(_ t: Double, detector d: Int) -> Bool {
        let x = t - halfDelays[d]
        return (x >= current && x < current + width) || (x >= previous && x < previous + width)
    }
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
///
/// Each pair's window, tau ln(other / need), is estimated from logarithms computed once per
/// input; only when a range's end falls within `DelayGrid.nearness` of a delay is the range
/// worked out with libm's `log`, so the result is what the exact computation gives.
func sweepCoincidences(
    left: SideInputs, right: SideInputs, leftRange: Range<Int>, from: Double, to: Double,
    grid: DelayGrid, detector p: CoincidenceDetector.Parameters, row: DetectorRow
) -> Int {
    let lt = left.times
    let ld = left.dendrite
    let rt = right.times
    let rd = right.dendrite
    let lLog = left.logDendrite
    let lNeedLog = left.logNeed
    let rLog = right.logDendrite
    let rNeedLog = right.logNeed
    let near = grid.nearness(tau: p.membraneTimeConstantSeconds)
    let n = grid.delaysSeconds.count
    let lCount = lt.count
    let rCount = rt.count
    let tau = p.membraneTimeConstantSeconds
    let threshold = p.threshold
    let refractory = p.refractorySeconds
    let w = grid.maximumWindowSeconds
    let dMin = grid.minimum
    let dMax = grid.maximum
    let last = row.lastFire
    let counts = row.counts
    let gate = row.gate
    var fired: Int32 = 0
    // The left input before the window can own decisions of the second kind inside it.
    let first = max(leftRange.lowerBound - 1, 0)
    guard first < leftRange.upperBound else { return 0 }
    var jStart = lowerBound(rt, lt[first] - dMax - w)
    return grid.delaysSeconds.withUnsafeBufferPointer { delays in
        for i in first..<leftRange.upperBound {
            let ti = lt[i]
            let li = ld[i]
            let inWindow = i >= leftRange.lowerBound
            let nextLeft = i + 1 < lCount ? lt[i + 1] : Double.infinity
            let needAtLeft = threshold - li
            while jStart < rCount && rt[jStart] < ti - dMax - w { jStart += 1 }
            var j = jStart
            while j < rCount && rt[j] <= ti - dMin + w {
                defer { j += 1 }
                let tj = rt[j]
                let rj = rd[j]
                let lag = ti - tj
                // The lag ends the first kind's range and starts the second's.
                let atLag = grid.position(lag, count: n, near: near)
                // First kind: decision at t_i. Fires for gap = lag - delay in (0, window], and j
                // must be the last right input to arrive: delay >= t_i - t_{j+1}.
                if inWindow && lag >= dMin && (needAtLeft <= 0 || rj >= needAtLeft) {
                    let next = j + 1 < rCount ? ti - rt[j + 1] : -Double.infinity
                    let lo = needAtLeft > 0 ? max(lag - tau * (rLog[j] - lNeedLog[i]), next) : next
                    let start = grid.position(lo, count: n, near: near)
                    var (a, b) = (max(start.floor + 1, 0), min(atLag.floor, n - 1))
                    if !(start.clear && atLag.clear) {
                        (a, b) = grid.exactFirstKind(
                            delays, lag: lag, next: next, other: rj, need: needAtLeft, tau: tau)
                    }
                    if a <= b {
                        for d in a...b {
                            let fires = ti - last[d] >= refractory
                            last[d] = fires ? ti : last[d]
                            if let gate, fires, gate.contains(ti, detector: d) {
                                gate.onsetCounts[d] += 1
                            } else {
                                counts[d] += fires ? 1 : 0
                            }
                            fired += fires ? 1 : 0
                        }
                    }
                }
                // Second kind: decision at t_j + delay. Fires for gap = delay - lag in [0, window]
                // and before the next left input: delay < t_{i+1} - t_j.
                let needAtRight = threshold - rj
                if lag <= dMax && (needAtRight <= 0 || li >= needAtRight) {
                    let nextLag = nextLeft - tj
                    let hi = needAtRight > 0 ? lag + tau * (lLog[i] - rNeedLog[j]) : Double.infinity
                    let end = grid.position(min(hi, nextLag), count: n, near: near)
                    var (a, b) = (max(atLag.floor + 1, 0), min(end.floor, n - 1))
                    if !(atLag.clear && end.clear) {
                        (a, b) = grid.exactSecondKind(
                            delays, lag: lag, nextLag: nextLag, other: li, need: needAtRight, tau: tau)
                    }
                    if a <= b {
                        for d in a...b {
                            let s = tj + delays[d]
                            let fires = s >= from && s < to && s - last[d] >= refractory
                            last[d] = fires ? s : last[d]
                            if let gate, fires, gate.contains(s, detector: d) {
                                gate.onsetCounts[d] += 1
                            } else {
                                counts[d] += fires ? 1 : 0
                            }
                            fired += fires ? 1 : 0
                        }
                    }
                }
            }
        }
        return Int(fired)
    }
}
