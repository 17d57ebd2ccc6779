import DSP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point or direction in a room, in metres: x along the room's length, y along its width, z up.
/// A listener faces +x with +y on the left (the SOFA convention, AES69-2015), so a source on the
/// right has a smaller y than the listener.
public struct RoomPoint: Sendable, Equatable {
    public var x: Double, y: Double, z: Double
    public init(x: Double, y: Double, z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }
    func distance(to p: RoomPoint) -> Double {
        let dx = p.x - x
        let dy = p.y - y
        let dz = p.z - z
        return (dx * dx + dy * dy + dz * dz).squareRoot()
    }
}

/// One mirror image of a source in a shoebox room (Allen & Berkley 1979, J. Acoust. Soc. Am. 65:943).
public struct ImageSource: Sendable, Equatable {
    var position: RoomPoint
    /// Wall reflections on the image's path (0 for the source itself): its reflection order.
    var reflections: Int
    public init(position: RoomPoint, reflections: Int) {
        self.position = position
        self.reflections = reflections
    }
}

/// A rectangular room with rigid-but-absorbing walls, all six with the same absorption.
public struct ShoeboxRoom: Sendable, Equatable {
    /// Inner dimensions, in metres: length (x), width (y), height (z).
    public var lengthMetres: Double, widthMetres: Double, heightMetres: Double
    /// Speed of sound, in m/s (dry air at 20 degrees C).
    public var speedOfSoundMetresPerSecond: Double

    public init(
        lengthMetres: Double, widthMetres: Double, heightMetres: Double,
        speedOfSoundMetresPerSecond: Double = Acoustics.speedOfSoundMetresPerSecond
    ) {
        self.lengthMetres = lengthMetres
        self.widthMetres = widthMetres
        self.heightMetres = heightMetres
        self.speedOfSoundMetresPerSecond = speedOfSoundMetresPerSecond
    }

    public var volumeCubicMetres: Double { lengthMetres * widthMetres * heightMetres }
    var surfaceSquareMetres: Double {
        2 * (lengthMetres * widthMetres + lengthMetres * heightMetres + widthMetres * heightMetres)
    }

    /// 24 ln(10) V / c: the numerator of Sabine's and Eyring's formulas, in m^2 s (0.161 V at 343 m/s).
    var decayConstant: Double { 24 * log(10) * volumeCubicMetres / speedOfSoundMetresPerSecond }

    /// Eyring's reverberation time (Eyring 1930, J. Acoust. Soc. Am. 1:217), in seconds, for a
    /// random-incidence energy absorption coefficient `absorption` (0 < absorption < 1) on every
    /// wall: T60 = 24 ln(10) V / (-c S ln(1 - absorption)).
    ///
    /// Eyring rather than Sabine because it is what the image-source method itself does: a ray
    /// meets walls c S / (4 V) times a second on average (the mean free path 4V/S) and keeps
    /// (1 - absorption) of its energy each time, which is Eyring's decay; Sabine's formula is its
    /// first-order approximation and overestimates T60 once absorption exceeds about 0.2.
    public func eyringRT60Seconds(absorption: Double) -> Double {
        decayConstant / (-surfaceSquareMetres * log(1 - absorption))
    }

    /// The inverse of `eyringRT60Seconds`: the wall absorption giving `rt60Seconds`.
    public func eyringAbsorption(rt60Seconds: Double) -> Double {
        1 - exp(-decayConstant / (surfaceSquareMetres * rt60Seconds))
    }

    /// Whether `p` lies inside the room at least `margin` metres from every wall.
    public func contains(_ p: RoomPoint, margin: Double = 0) -> Bool {
        p.x > margin && p.x < lengthMetres - margin && p.y > margin && p.y < widthMetres - margin
            && p.z > margin && p.z < heightMetres - margin
    }

    /// Calls `body` for every image of `source` (the source itself included) within
    /// `maxDistanceMetres` of `listener`.
    ///
    /// Allen & Berkley (1979): along each axis an image sits at (1 - 2u) s + 2 l L for integers l and
    /// u in {0, 1}, after |l - u| reflections off the wall at 0 and |l| off the wall at L.
    public func forEachImage(
        of source: RoomPoint, listener: RoomPoint, maxDistanceMetres r: Double,
        _ body: (ImageSource) -> Void
    ) {
        func axis(_ s: Double, _ length: Double, _ centre: Double) -> [(offset: Double, reflections: Int)] {
            var out: [(Double, Int)] = []
            let reach = Int((r / (2 * length)).rounded(.up)) + 1
            for l in -reach...reach {
                for u in 0...1 {
                    let p = Double(1 - 2 * u) * s + 2 * Double(l) * length
                    if abs(p - centre) <= r { out.append((p - centre, abs(l - u) + abs(l))) }
                }
            }
            return out
        }
        let xs = axis(source.x, lengthMetres, listener.x)
        let ys = axis(source.y, widthMetres, listener.y)
        let zs = axis(source.z, heightMetres, listener.z)
        let r2 = r * r
        for (dx, kx) in xs {
            for (dy, ky) in ys where dx * dx + dy * dy <= r2 {
                for (dz, kz) in zs where dx * dx + dy * dy + dz * dz <= r2 {
                    body(
                        ImageSource(
                            position: RoomPoint(x: listener.x + dx, y: listener.y + dy, z: listener.z + dz),
                            reflections: kx + ky + kz))
                }
            }
        }
    }
}
