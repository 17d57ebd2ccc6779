import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps an interaural time difference to a direction. Azimuth is in degrees: 0 straight ahead,
/// negative left, positive right, -90...90. A time difference cannot tell front from back (the
/// cone of confusion), so the answer is a lateral angle.
public enum HeadModel: Sendable, Equatable {
    /// Woodworth's spherical head (Woodworth & Schlosberg 1954): ITD = (a / c)(theta + sin theta)
    /// for a head of radius a and sound speed c.
    case woodworth(radiusMetres: Double, speedOfSoundMetresPerSecond: Double)
    /// Two microphones in free field `spacingMetres` apart: ITD = (spacing / c) sin(theta).
    case freeField(spacingMetres: Double, speedOfSoundMetresPerSecond: Double)
    /// A measured, monotonic mapping, e.g. learned from a head-related transfer function set.
    case calibrated(ITDCalibration)

    /// The default head: radius 8.75 cm, c = 343 m/s (`Acoustics.speedOfSoundMetresPerSecond`).
    public static let standardHead = HeadModel.woodworth(
        radiusMetres: 0.0875,
        speedOfSoundMetresPerSecond: Acoustics.speedOfSoundMetresPerSecond)

    /// Two free-field microphones `spacingMetres` apart at the project's speed of sound.
    public static func microphones(spacingMetres: Double) -> HeadModel {
        .freeField(spacingMetres: spacingMetres, speedOfSoundMetresPerSecond: Acoustics.speedOfSoundMetresPerSecond)
    }

    /// The ITD, in seconds, of a source at `azimuthDegrees` (positive = right ear leads).
    public func itdSeconds(azimuthDegrees: Double) -> Double {
        let theta = max(-90, min(90, azimuthDegrees)) * Double.pi / 180
        switch self {
        case .woodworth(let a, let c): return a / c * (theta + sin(theta))
        case .freeField(let d, let c): return d / c * sin(theta)
        case .calibrated(let cal): return cal.itdSeconds(azimuthDegrees: azimuthDegrees)
        }
    }

    /// `azimuthDegrees(itdSeconds:)` read on the curve of the channels that carried the ITD, for a
    /// calibrated head with a table per channel (`ITDCalibration.azimuthDegrees(itdSeconds:channelWeights:)`);
    /// the other heads have one curve for every channel.
    public func azimuthDegrees(itdSeconds itd: Double, channelWeights: [Double]) -> Double {
        guard itd.isFinite else { return 0 }
        if case .calibrated(let cal) = self {
            return cal.azimuthDegrees(itdSeconds: itd, channelWeights: channelWeights)
        }
        return azimuthDegrees(itdSeconds: itd)
    }

    /// True for a free-field microphone pair, which makes time differences but no level ones.
    public var isFreeField: Bool {
        if case .freeField = self { return true }
        return false
    }

    /// The largest ITD this head produces, in seconds (at 90 degrees).
    public var maximumITDSeconds: Double { itdSeconds(azimuthDegrees: 90) }

    /// The azimuth, in degrees, whose ITD is `itdSeconds`; ITDs beyond the head's range map to
    /// +/-90. Never NaN for a finite input.
    public func azimuthDegrees(itdSeconds itd: Double) -> Double {
        guard itd.isFinite else { return 0 }
        switch self {
        case .freeField(let d, let c):
            let s = max(-1, min(1, itd * c / d))
            return asin(s) * 180 / Double.pi
        case .calibrated(let cal):
            return cal.azimuthDegrees(itdSeconds: itd)
        case .woodworth:
            let top = maximumITDSeconds
            if itd >= top { return 90 }
            if itd <= -top { return -90 }
            // Bisection: the ITD grows monotonically with azimuth.
            var lo = -90.0
            var hi = 90.0
            for _ in 0..<60 {
                let mid = (lo + hi) / 2
                if itdSeconds(azimuthDegrees: mid) < itd { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
    }
}

/// A measured ITD-to-azimuth curve: pairs sorted by azimuth, with ITD increasing. Between points
/// it interpolates linearly; outside it clamps to the end points.
public struct ITDCalibration: Sendable, Equatable, Codable {
    /// Azimuths, in degrees, ascending.
    public var azimuthsDegrees: [Double]
    /// The model's measured best ITD at each azimuth, in seconds.
    public var itdsSeconds: [Double]
    /// Where the calibration came from (for example the SOFA file's name).
    public var source: String
    /// Per azimuth and cochlear channel, the model's best ITD in that channel alone, in seconds
    /// (`[azimuth][channel]`). A head's ITD is larger at low frequencies than at high ones (about
    /// 3a/c against 2a/c for a sphere of radius a; Kuhn 1977, J. Acoust. Soc. Am. 62:157), so a
    /// sound whose evidence comes from low channels, such as speech, has a larger ITD at the same
    /// azimuth than the broadband noise of `itdsSeconds`. Nil: one curve for every sound.
    public var channelITDsSeconds: [[Double]]?
    /// With `channelITDsSeconds`: how much each channel carried the calibration sounds' ITDs
    /// (`ITDReadout.channelWeights`, averaged over sounds and azimuths and scaled to sum to 1).
    /// A sound whose channels weigh as these is read on the broadband curve itself; only a sound
    /// whose weights differ is read on a different one.
    public var calibrationChannelWeights: [Double]?

    public init(
        azimuthsDegrees: [Double], itdsSeconds: [Double], source: String, channelITDsSeconds: [[Double]]? = nil,
        calibrationChannelWeights: [Double]? = nil
    ) {
        precondition(azimuthsDegrees.count == itdsSeconds.count && !azimuthsDegrees.isEmpty)
        precondition(channelITDsSeconds.map { $0.count == azimuthsDegrees.count } ?? true)
        self.channelITDsSeconds = channelITDsSeconds
        self.calibrationChannelWeights = calibrationChannelWeights
        self.azimuthsDegrees = azimuthsDegrees
        // Enforce monotonicity (a running maximum), so that the inverse exists.
        var m = -Double.infinity
        self.itdsSeconds = itdsSeconds.map {
            m = max(m, $0)
            return m
        }
        self.source = source
    }

    public func itdSeconds(azimuthDegrees az: Double) -> Double {
        interpolate(x: az, xs: azimuthsDegrees, ys: itdsSeconds)
    }

    public func azimuthDegrees(itdSeconds itd: Double) -> Double {
        interpolate(x: itd, xs: itdsSeconds, ys: azimuthsDegrees)
    }

    /// The azimuth whose ITD is `itd` on the curve of the channels that carried it: the broadband
    /// curve shifted, at each azimuth, by the channels' own ITDs (`channelITDsSeconds`) weighted by
    /// how much more (or less) each channel carried this sound's ITD than the calibration sounds'
    /// (`channelWeights`, one per channel, >= 0, against `calibrationChannelWeights`), then made
    /// monotonic. Without the tables, with weights of another channel count or with no weight at
    /// all, the broadband curve.
    public func azimuthDegrees(itdSeconds itd: Double, channelWeights w: [Double]) -> Double {
        let total = w.reduce(0, +)
        guard let table = channelITDsSeconds, let reference = calibrationChannelWeights,
            reference.count == w.count, table.first?.count == w.count, total > 0, total.isFinite
        else { return azimuthDegrees(itdSeconds: itd) }
        var m = -Double.infinity
        let curve = table.indices.map { k -> Double in
            var shift = 0.0
            for c in w.indices { shift += (w[c] / total - reference[c]) * table[k][c] }
            m = max(m, itdsSeconds[k] + shift)
            return m
        }
        return interpolate(x: itd, xs: curve, ys: azimuthsDegrees)
    }

    private func interpolate(x: Double, xs: [Double], ys: [Double]) -> Double {
        if x <= xs[0] { return ys[0] }
        if x >= xs[xs.count - 1] { return ys[ys.count - 1] }
        var k = 0
        while k + 1 < xs.count && xs[k + 1] < x { k += 1 }
        // Flat stretches (equal x) average their ys.
        var k1 = k + 1
        while k1 + 1 < xs.count && xs[k1] == xs[k1 + 1] && xs[k1] <= x { k1 += 1 }
        let span = xs[k1] - xs[k]
        return span > 0 ? ys[k] + (ys[k1] - ys[k]) * (x - xs[k]) / span : (ys[k] + ys[k1]) / 2
    }
}
