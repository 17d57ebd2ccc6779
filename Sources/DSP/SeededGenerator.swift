/// A small, fast, seedable random number generator (xoshiro256**, Blackman & Vigna 2018).
///
/// Every random draw in soundloc goes through a value of this type that the caller creates
/// from a seed, so a run is repeatable bit for bit. There is no global generator.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Expands `seed` into the 256-bit state with SplitMix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// A generator for an independent sub-stream, so that e.g. each fibre's randomness does not
    /// depend on how many draws another fibre made.
    public func derived(stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: (s0 ^ (stream &* 0xD1B5_4A32_D192_ED03)) &+ s3)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in the open interval (0, 1): never 0, so `-log(u)` is always finite.
    @inline(__always)
    public mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// Exponentially distributed with mean 1.
    @inline(__always)
    public mutating func nextExponential() -> Double {
        -_log(nextOpenUnit())
    }

    /// Standard normal, by the Box-Muller transform.
    public mutating func nextGaussian() -> Double {
        let u1 = nextOpenUnit()
        let u2 = nextOpenUnit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}
