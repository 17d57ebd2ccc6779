#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the lateral superior olives of each channel do at each azimuth: the mean
/// (right - left) / (right + left) LSO spike-count difference, and its spread across sounds,
/// learned by running the model on sounds rendered through one head (see `LSOCalibrationBuilder`).
public struct LSOCalibration: Sendable, Equatable, Codable {
    /// Azimuths, in degrees, ascending.
    public var azimuthsDegrees: [Double]
    /// `rateDifferences[azimuth][channel]`, each in -1...1 (positive = right LSO fires more).
    public var rateDifferences: [[Double]]
    /// `spreads[azimuth][channel]`: the standard deviation of that difference across the
    /// calibration sounds (their kinds, levels and noise), the part of the scatter that counting
    /// noise does not explain.
    public var spreads: [[Double]]
    /// Where it came from (head and sounds).
    public var source: String

    public init(azimuthsDegrees: [Double], rateDifferences: [[Double]], spreads: [[Double]], source: String) {
        precondition(!azimuthsDegrees.isEmpty && rateDifferences.count == azimuthsDegrees.count)
        precondition(spreads.count == azimuthsDegrees.count)
        self.azimuthsDegrees = azimuthsDegrees
        self.rateDifferences = rateDifferences
        self.spreads = spreads
        self.source = source
    }

    public var channelCount: Int { rateDifferences.first?.count ?? 0 }

    /// The expected difference and spread of `channel` at `azimuthDegrees`, interpolated
    /// linearly between calibrated azimuths and clamped at the ends.
    public func expected(channel c: Int, azimuthDegrees az: Double) -> (difference: Double, spread: Double) {
        let a = azimuthsDegrees
        if az <= a[0] { return (rateDifferences[0][c], spreads[0][c]) }
        guard let k = a.indices.dropFirst().first(where: { a[$0] >= az }) else {
            return (rateDifferences[a.count - 1][c], spreads[a.count - 1][c])
        }
        let f = (az - a[k - 1]) / (a[k] - a[k - 1])
        return (
            rateDifferences[k - 1][c] + f * (rateDifferences[k][c] - rateDifferences[k - 1][c]),
            spreads[k - 1][c] + f * (spreads[k][c] - spreads[k - 1][c])
        )
    }

    /// How clearly the observed LSO differences point to the side of `azimuthDegrees` rather than
    /// to its mirror image: the differences projected on the pattern the table expects there,
    /// each channel weighted by the inverse of its variance (as in `logLikelihood`), in units of
    /// the projection's standard deviation. With no level difference (inverted polarity, a
    /// microphone pair) it is a standard normal variable; a source at 60 degrees through KEMAR
    /// gives tens.
    public func sideScore(spikeCounts: [[Int]], azimuthDegrees: Double) -> Double {
        var projection = 0.0
        var norm = 0.0
        forEachChannel(spikeCounts, azimuthDegrees) { observed, d, variance in
            projection += observed * d / variance
            norm += d * d / variance
        }
        return norm > 0 ? projection / norm.squareRoot() : 0
    }

    /// Log-likelihood, up to a constant, of the observed LSO spike counts (`spikeCounts[side]
    /// [channel]`, side 0 = left) for a source at `azimuthDegrees`: each channel's difference is
    /// taken as Gaussian about the calibrated one, with the calibration's spread and the binomial
    /// counting noise of a proportion from n spikes, (1 - d^2) / n, added in variance. Channels
    /// without spikes say nothing.
    public func logLikelihood(spikeCounts: [[Int]], azimuthDegrees: Double) -> Double {
        var sum = 0.0
        forEachChannel(spikeCounts, azimuthDegrees) { observed, d, variance in
            sum -= 0.5 * (observed - d) * (observed - d) / variance
        }
        return sum
    }

    /// For each channel with LSO spikes: its observed difference, the difference expected at
    /// `azimuthDegrees`, and the variance of the one about the other (the table's spread plus the
    /// binomial counting noise of a proportion from n spikes, (1 - d^2) / n).
    private func forEachChannel(
        _ spikeCounts: [[Int]], _ azimuthDegrees: Double, _ body: (Double, Double, Double) -> Void
    ) {
        for c in 0..<min(channelCount, spikeCounts[0].count, spikeCounts[1].count) {
            let l = Double(spikeCounts[0][c])
            let r = Double(spikeCounts[1][c])
            guard l + r > 0 else { continue }
            let (d, s) = expected(channel: c, azimuthDegrees: azimuthDegrees)
            // 0.05 keeps the counting term from vanishing where the calibration sits at +/-1.
            body((r - l) / (r + l), d, s * s + (1 - d * d + 0.05) / (l + r))
        }
    }
}

/// Weighs the two cues of the duplex theory over candidate azimuths and says where the temporal
/// code's ITD peak should be looked for. The ITD cue is the across-frequency curve of the
/// Jeffress array read at the azimuth's ITD, relative to its highest point; the level cue is the
/// LSO log-likelihood per channel, relative to its best azimuth. For broadband sounds the ITD
/// curve has one clear peak and decides alone; for a narrowband sound its ghosts, 1/f apart, are
/// as tall as the true peak, and the level difference, large exactly where the ghosts are
/// (above about 1.5 kHz, Tollin 2003), rules out the wrong ones.
public struct LevelEvidence: Sendable {
    var calibration: LSOCalibration
    /// How much one unit of mean per-channel log-likelihood counts against the ITD curve's
    /// relative height. Chosen on the development set (all 360 files, temporal MAE): 0.15 gave
    /// 20.2 degrees, 0.5 gave 20.7, 1.5 gave 23.1, and without the level cue 20.8; larger weights
    /// let the noisy level cue override clear ITD peaks.
    var weight: Double = 0.15
    /// Candidate azimuths, in degrees.
    var candidatesDegrees: [Double] = Array(stride(from: -90.0, through: 90, by: 1))
    /// The LSOs overrule the side of the time-difference answer when they point the other way by
    /// at least this many standard deviations (`LSOCalibration.sideScore`). A weak weight in
    /// `preferredITD` cannot turn a tall ghost down, and a lateral source's low-frequency ITD
    /// can leave the delay range, so its ghost on the wrong side is then the tallest peak; a
    /// contrary level difference this clear then decides. 1 was chosen on the development set
    /// (docs/model.md): of its answers beyond 135 us, the five whose side score was below -1 were
    /// all on the wrong side, and of the four between -1 and 0, one. Nil: the level cue never
    /// overrules the side (`--ablate side-veto`).
    var sideVetoSigmas: Double? = 1
    /// Only answers whose mirror image lies outside the peak's central stretch, in seconds of
    /// |ITD|, can be overruled: nearer the midline the mirror image is part of the peak, and
    /// a flip would move little.
    var sideVetoMinimumITDSeconds: Double = 0.000135

    /// `sideVeto`: whether a clear level difference may overrule the side (`overruledSide`).
    public init(calibration: LSOCalibration, sideVeto: Bool = true) {
        self.calibration = calibration
        if !sideVeto { sideVetoSigmas = nil }
    }

    /// The ITD, in seconds, of the azimuth the two cues favour together; nil when the curve has
    /// no positive peak. `curve` is the across-frequency ITD curve at `delaysSeconds`.
    public func preferredITD(
        curve: [Double], delaysSeconds: [Double], spikeCounts: [[Int]], headModel: HeadModel
    ) -> Double? {
        guard let top = curve.max(), top > 0, delaysSeconds.count == curve.count, curve.count >= 2 else { return nil }
        let step = delaysSeconds[1] - delaysSeconds[0]
        func height(at itd: Double) -> Double {
            let x = min(max((itd - delaysSeconds[0]) / step, 0), Double(curve.count - 1))
            let i = min(Int(x), curve.count - 2)
            return curve[i] + (x - Double(i)) * (curve[i + 1] - curve[i])
        }
        let level = candidatesDegrees.map { calibration.logLikelihood(spikeCounts: spikeCounts, azimuthDegrees: $0) }
        let bestLevel = level.max() ?? 0
        let channels = Double(max(calibration.channelCount, 1))
        var bestScore = -Double.infinity
        var bestITD: Double?
        for (az, ll) in zip(candidatesDegrees, level) {
            let itd = headModel.itdSeconds(azimuthDegrees: az)
            let score = height(at: itd) / top + weight * (ll - bestLevel) / channels
            if score > bestScore {
                bestScore = score
                bestITD = itd
            }
        }
        return bestITD
    }

    /// Where the answer should be looked for instead of `itd` when the LSOs clearly point to the
    /// other side (`sideVetoSigmas`): the highest peak of `curve` on that side (`onPeak`), or,
    /// when the curve has no positive peak there (the true peak lies beyond the delay range),
    /// the ITD of the azimuth on that side the LSOs favour. Nil when the level cue does not
    /// overrule `itd`.
    public func overruledSide(
        itd: Double, curve: [Double], delaysSeconds: [Double], spikeCounts: [[Int]], headModel: HeadModel
    ) -> (itdSeconds: Double, onPeak: Bool)? {
        guard let sigmas = sideVetoSigmas, abs(itd) > sideVetoMinimumITDSeconds,
            curve.count == delaysSeconds.count, curve.count >= 2,
            calibration.sideScore(spikeCounts: spikeCounts, azimuthDegrees: headModel.azimuthDegrees(itdSeconds: itd))
                <= -sigmas
        else { return nil }
        let n = curve.count
        var best: Int?
        // Peaks as `ITDReadout.decide` finds them, so that it refines the same one.
        for i in 0..<n where (delaysSeconds[i] > 0) != (itd > 0) && delaysSeconds[i] != 0 {
            let isPeak = (i == 0 || curve[i] >= curve[i - 1]) && (i == n - 1 || curve[i] >= curve[i + 1])
            if isPeak && curve[i] > 0 && curve[i] > best.map({ curve[$0] }) ?? 0 { best = i }
        }
        if let best { return (delaysSeconds[best], true) }
        let side = candidatesDegrees.filter { ($0 > 0) != (itd > 0) && $0 != 0 }
        let favoured = side.max {
            calibration.logLikelihood(spikeCounts: spikeCounts, azimuthDegrees: $0)
                < calibration.logLikelihood(spikeCounts: spikeCounts, azimuthDegrees: $1)
        }
        return favoured.map { (headModel.itdSeconds(azimuthDegrees: $0), false) }
    }
}
