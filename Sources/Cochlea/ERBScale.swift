#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The equivalent-rectangular-bandwidth scale of human auditory filters (Glasberg & Moore 1990,
/// Hear. Res. 47:103-138): ERB(f) = 24.7 (4.37 f / 1000 + 1) Hz, and the ERB-rate (the number of
/// ERBs below f) = 21.4 log10(4.37 f / 1000 + 1).
public enum ERBScale {
    /// Equivalent rectangular bandwidth of the auditory filter centred at `hz`, in Hz.
    public static func bandwidth(atHz hz: Double) -> Double { 24.7 * (4.37 * hz / 1000 + 1) }

    /// ERB-rate (in ERB units, "Cams") at `hz`.
    public static func rate(atHz hz: Double) -> Double { 21.4 * log10(4.37 * hz / 1000 + 1) }

    /// The frequency in Hz whose ERB-rate is `erbRate`.
    public static func frequency(atRate erbRate: Double) -> Double { (pow(10, erbRate / 21.4) - 1) * 1000 / 4.37 }

    /// `count` frequencies from `lowestHz` to `highestHz` inclusive, evenly spaced in ERB-rate.
    public static func centreFrequencies(lowestHz: Double, highestHz: Double, count: Int) -> [Double] {
        precondition(count >= 1 && lowestHz > 0 && highestHz >= lowestHz)
        if count == 1 { return [lowestHz] }
        let lo = rate(atHz: lowestHz)
        let hi = rate(atHz: highestHz)
        return (0..<count).map { frequency(atRate: lo + (hi - lo) * Double($0) / Double(count - 1)) }
    }
}
