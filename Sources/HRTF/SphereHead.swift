import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rigid spherical head with point ears on its surface, for a far (plane-wave) source: the
/// classical scattering solution (Rayleigh; as used by Duda & Martens 1998, J. Acoust. Soc. Am.
/// 104:3048), relative to the free-field pressure at the sphere's centre. Ears at +-100 degrees
/// from the front by default, as Duda & Martens' comparison with human heads suggests.
public final class SphereHead: DirectionalEars {
    let radiusMetres: Double
    public let sampleRateHz: Double
    /// Angle of each ear from straight ahead, in degrees (towards its own side).
    let earAngleDegrees: Double
    let speedOfSoundMetresPerSecond: Double
    /// Taps per response and the latency (samples) every response starts with, so the near ear's
    /// lead over the centre (up to radius / c) stays causal.
    let taps: Int, latencySamples: Int

    public init(
        radiusMetres: Double, sampleRateHz: Double, earAngleDegrees: Double = 100,
        speedOfSoundMetresPerSecond: Double = Acoustics.speedOfSoundMetresPerSecond
    ) {
        self.radiusMetres = radiusMetres
        self.sampleRateHz = sampleRateHz
        self.earAngleDegrees = earAngleDegrees
        self.speedOfSoundMetresPerSecond = speedOfSoundMetresPerSecond
        var n = 256
        while Double(n) < 0.008 * sampleRateHz { n *= 2 }
        taps = n
        latencySamples = Int((0.001 * sampleRateHz).rounded())
    }

    public var earSpacingMetres: Double { 2 * radiusMetres }

    /// Pressure at an ear whose direction makes `incidenceRadians` with the source's, over the
    /// free-field pressure at the centre, at `frequencyHz`, in the e^{+i omega t} convention
    /// (a delay tau is e^{-i omega tau}). Series: (i / mu^2) sum_m (2m+1) (-i)^m P_m(cos g) / h_m'(mu),
    /// mu = k a, h_m the outgoing spherical Hankel function (e^{-i omega t} form, conjugated at the end).
    public func transfer(incidenceRadians g: Double, frequencyHz f: Double) -> (re: Double, im: Double) {
        let mu = 2 * Double.pi * f * radiusMetres / speedOfSoundMetresPerSecond
        guard mu > 1e-6 else { return (1, 0) }
        let x = cos(g)
        // h_0 = -i e^{ix} / mu, h_1 = -e^{ix} (mu + i) / mu^2.
        let c = cos(mu)
        let s = sin(mu)
        var hLow = (re: 0.0, im: 0.0)  // h_{m-1}
        var hCur = (re: s / mu, im: -c / mu)  // h_m
        var hNext = (re: -(c * mu - s) / (mu * mu), im: -(s * mu + c) / (mu * mu))  // h_{m+1}
        var pCur = 1.0
        var pNext = x  // P_m, P_{m+1}
        var sumRe = 0.0
        var sumIm = 0.0
        for m in 0..<(Int(mu) + 40) {
            // h_0' = -h_1; h_m' = h_{m-1} - (m+1)/mu h_m.
            let d =
                m == 0
                ? (re: -hNext.re, im: -hNext.im)
                : (re: hLow.re - Double(m + 1) / mu * hCur.re, im: hLow.im - Double(m + 1) / mu * hCur.im)
            let phase: (re: Double, im: Double) = [(1.0, 0.0), (0.0, -1.0), (-1.0, 0.0), (0.0, 1.0)][m % 4]  // (-i)^m
            let w = Double(2 * m + 1) * pCur
            let den = d.re * d.re + d.im * d.im
            let invRe = d.re / den
            let invIm = -d.im / den
            sumRe += w * (phase.re * invRe - phase.im * invIm)
            sumIm += w * (phase.re * invIm + phase.im * invRe)
            // h_{m+2} = (2m+3)/mu h_{m+1} - h_m; P_{m+2} = ((2m+3) x P_{m+1} - (m+1) P_m) / (m+2).
            let h2 = (re: Double(2 * m + 3) / mu * hNext.re - hCur.re, im: Double(2 * m + 3) / mu * hNext.im - hCur.im)
            hLow = hCur
            hCur = hNext
            hNext = h2
            let p2 = (Double(2 * m + 3) * x * pNext - Double(m + 1) * pCur) / Double(m + 2)
            pCur = pNext
            pNext = p2
        }
        // times i / mu^2, then conjugate for e^{+i omega t}.
        let re = -sumIm / (mu * mu)
        let im = sumRe / (mu * mu)
        return (re, -im)
    }

    /// The ear's impulse response for an incidence angle, `taps` long, starting `latencySamples` early.
    func response(incidenceRadians g: Double) -> [Float] {
        let fft = RealFFT(size: taps)
        var re = [Double](repeating: 0, count: taps / 2 + 1)
        var im = re
        for k in 0...(taps / 2) {
            let f = Double(k) * sampleRateHz / Double(taps)
            let h = transfer(incidenceRadians: g, frequencyHz: f)
            let w = -2 * Double.pi * Double(k) * Double(latencySamples) / Double(taps)
            re[k] = h.re * cos(w) - h.im * sin(w)
            im[k] = h.re * sin(w) + h.im * cos(w)
        }
        im[taps / 2] = 0
        return fft.inverse(re: re, im: im).map(Float.init)
    }

    public func impulseResponse(azimuthDegrees: Double, elevationDegrees: Double) -> HeadRelatedImpulseResponse {
        let az = azimuthDegrees * Double.pi / 180
        let el = elevationDegrees * Double.pi / 180
        // Head frame: x ahead, y left, z up; a source on the right has negative y.
        let s = (x: cos(el) * cos(az), y: -cos(el) * sin(az))
        let e = earAngleDegrees * Double.pi / 180
        let cosLeft = s.x * cos(e) + s.y * sin(e)
        let cosRight = s.x * cos(e) - s.y * sin(e)
        return HeadRelatedImpulseResponse(
            left: response(incidenceRadians: acos(max(-1, min(1, cosLeft)))),
            right: response(incidenceRadians: acos(max(-1, min(1, cosRight)))),
            sampleRateHz: sampleRateHz, azimuthDegrees: azimuthDegrees,
            elevationDegrees: elevationDegrees)
    }
}
