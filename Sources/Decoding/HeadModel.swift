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

    public init(azimuthsDegrees: [Double], itdsSeconds: [Double], source: String) {
        precondition(azimuthsDegrees.count == itdsSeconds.count && !azimuthsDegrees.isEmpty)
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
