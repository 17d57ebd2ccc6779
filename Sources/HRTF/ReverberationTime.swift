#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reverberation time measured from an impulse response by Schroeder's backward integration
/// (Schroeder 1965, J. Acoust. Soc. Am. 37:409) and a straight-line fit, as ISO 3382-1 does.
public enum ReverberationTime {
    /// The energy decay curve in dB (0 at the start): 10 log10 of the energy left after each
    /// sample, integrated backwards from the end, over the total. `energy` is the squared response
    /// (or the sum of several responses' squares). -infinity once nothing is left.
    public static func schroederDecibels(energy: [Double]) -> [Double] {
        var remaining = [Double](repeating: 0, count: energy.count)
        var sum = 0.0
        for i in energy.indices.reversed() {
            sum += energy[i]
            remaining[i] = sum
        }
        guard sum > 0 else { return remaining.map { _ in -.infinity } }
        return remaining.map { 10 * log10($0 / sum) }
    }

    /// T30 in seconds: -60 dB over the slope of the least-squares line through the decay curve
    /// between -5 and -35 dB. nil when the decay never reaches -35 dB (the response is too short).
    static func t30Seconds(energy: [Double], sampleRateHz: Double) -> Double? {
        let curve = schroederDecibels(energy: energy)
        guard let start = curve.firstIndex(where: { $0 <= -5 }),
            let end = curve.firstIndex(where: { $0 <= -35 }), end > start + 1
        else { return nil }
        var st = 0.0
        var sy = 0.0
        var stt = 0.0
        var sty = 0.0
        for i in start...end {
            let t = Double(i) / sampleRateHz
            let y = curve[i]
            st += t
            sy += y
            stt += t * t
            sty += t * y
        }
        let n = Double(end - start + 1)
        let slope = (n * sty - st * sy) / (n * stt - st * st)
        return slope < 0 ? -60 / slope : nil
    }

    /// T30 of the sum of the responses' energies (the two ears together), in seconds.
    public static func t30Seconds(_ responses: [[Float]], sampleRateHz: Double) -> Double? {
        let n = responses.map(\.count).max() ?? 0
        var energy = [Double](repeating: 0, count: n)
        for h in responses { for i in h.indices { energy[i] += Double(h[i]) * Double(h[i]) } }
        return t30Seconds(energy: energy, sampleRateHz: sampleRateHz)
    }
}
