#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RoomScene {
    /// The wall absorption (every wall the same) whose image-source response has a T30 of
    /// `t30Seconds`, found from the images' energy alone, or nil when even 0.99 leaves the decay
    /// longer (or 0.001 shorter) than that.
    ///
    /// Eyring's formula assumes a diffuse field, in which every path meets walls at the mean rate
    /// c S / 4V. In a shoebox with the same absorption on all walls the image-source response is
    /// not diffuse: late energy is carried by the images along the room's axes and planes, which
    /// meet fewer walls, so the decay slows (Lehmann & Johansson 2008, J. Acoust. Soc. Am. 124:269).
    /// Measured here, Eyring's absorption gives T30s 1.4-1.6 times the target in 5x4x3 and 8x6x3 m
    /// rooms. So the absorption is solved for: the images within the target time of the direct sound
    /// are enumerated once into an energy histogram by arrival time (1 ms bins) and reflection order,
    /// sum of (r0 / r)^2; for any absorption the decay is then the sum over orders of the histogram times
    /// (1 - absorption)^order, and bisection finds the absorption whose Schroeder T30 is the target,
    /// starting from Eyring's bracket. This is the energy the rendering sums, before the head's filtering.
    public func absorptionGiving(t30Seconds target: Double) -> Double? {
        let c = room.speedOfSoundMetresPerSecond
        let r0 = distanceMetres
        let binSeconds = 0.001
        let bins = Int(target / binSeconds) + 1
        var histogram: [[Double]] = Array(repeating: [], count: bins)
        room.forEachImage(of: sourcePosition, listener: listener, maxDistanceMetres: r0 + c * target) { image in
            let r = listener.distance(to: image.position)
            let b = Int((r - r0) / c / binSeconds)
            guard b >= 0 && b < bins else { return }
            if histogram[b].count <= image.reflections {
                histogram[b] += [Double](repeating: 0, count: image.reflections + 1 - histogram[b].count)
            }
            histogram[b][image.reflections] += (r0 / r) * (r0 / r)
        }
        func t30(_ alpha: Double) -> Double {
            let keep = 1 - alpha
            let energy = histogram.map { orders -> Double in
                var sum = 0.0
                var power = 1.0
                for e in orders {
                    sum += e * power
                    power *= keep
                }
                return sum
            }
            // No 35 dB decay within the target time: far too slow.
            return ReverberationTime.t30Seconds(energy: energy, sampleRateHz: 1 / binSeconds) ?? .infinity
        }
        var low = 0.001
        var high = 0.99  // T30 falls as the absorption grows
        guard t30(high) <= target, t30(low) >= target else { return nil }
        for _ in 0..<40 {
            let mid = (low + high) / 2
            if t30(mid) > target { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
