import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A head whose two ears' responses to a far source are known for any direction.
public protocol DirectionalEars: AnyObject {
    /// Sample rate of the responses handed out, in Hz.
    var sampleRateHz: Double { get }
    /// Distance between the ear entrances, in metres: where the room's late tail is received.
    var earSpacingMetres: Double { get }
    /// Azimuth in degrees (0 ahead, positive right, any value), elevation in degrees (positive up).
    func impulseResponse(azimuthDegrees: Double, elevationDegrees: Double) -> HeadRelatedImpulseResponse
}

extension SofaFile: DirectionalEars {
    /// 17.5 cm: twice the 8.75 cm radius of Woodworth's standard head, about KEMAR's ear spacing.
    public var earSpacingMetres: Double { 0.175 }
}

/// What listens in the room.
public enum RoomReceiver {
    /// A head: early images through its responses, each from the image's own direction.
    case head(any DirectionalEars)
    /// Two omnidirectional microphones in free field, this far apart (metres) on the listener's
    /// left-right axis.
    case microphones(spacingMetres: Double)
}

/// A source in a shoebox room and where the listener stands.
public struct RoomScene: Sendable {
    public var room: ShoeboxRoom
    /// Random-incidence energy absorption coefficient of every wall, 0 < absorption < 1.
    public var absorption: Double
    /// Centre of the head (or of the microphone pair), in metres; it faces +x.
    public var listener: RoomPoint
    /// Direction of the source in the horizontal plane through the ears, degrees (positive right).
    public var azimuthDegrees: Double
    /// Distance of the source from the listener, in metres.
    public var distanceMetres: Double
    /// Highest reflection order kept; nil keeps every image arriving within the response's length
    /// (0 keeps the direct sound alone).
    public var maxOrder: Int?
    /// Length of the response, in seconds after the direct sound; nil: the Eyring RT60, by when
    /// the decay has fallen 60 dB.
    public var responseSeconds: Double?
    /// For a head: images arriving up to this long after the direct sound, in seconds, go through
    /// the head's response for their direction; later ones form the late tail (see `RoomRenderer`).
    var headEarlySeconds: Double = 0.08
    /// Cutoff of the high-pass the reflections (not the direct sound) go through, in Hz; nil: none.
    /// All images arrive with the same (positive) sign, so their sum carries a large, slowly growing
    /// offset that is not sound; Allen & Berkley (1979) high-pass their responses for the same reason.
    /// Without it the response's energy decays far slower than the images' summed energies (measured:
    /// T30 1.13 s where the images' energies give 0.90 s).
    public var reflectionHighPassHz: Double? = 50

    public init(
        room: ShoeboxRoom, absorption: Double, listener: RoomPoint? = nil, azimuthDegrees: Double,
        distanceMetres: Double
    ) {
        self.room = room
        self.absorption = absorption
        self.listener = listener ?? Self.defaultListener(in: room)
        self.azimuthDegrees = azimuthDegrees
        self.distanceMetres = distanceMetres
    }

    /// Off the room's centre lines (40% of the length, 45% of the width, 40% of the height: 1.2 m
    /// in a 3 m room), so that mirror-symmetric reflections do not arrive together.
    static func defaultListener(in room: ShoeboxRoom) -> RoomPoint {
        RoomPoint(x: 0.4 * room.lengthMetres, y: 0.45 * room.widthMetres, z: 0.4 * room.heightMetres)
    }

    /// Where the source is: `distanceMetres` from the listener towards `azimuthDegrees`, at ear height.
    public var sourcePosition: RoomPoint {
        let a = azimuthDegrees * Double.pi / 180
        return RoomPoint(
            x: listener.x + distanceMetres * cos(a), y: listener.y - distanceMetres * sin(a),
            z: listener.z)
    }
}

/// A room's two-ear impulse response and what went into it.
public struct RoomResponse: Sendable {
    public var left: [Float], right: [Float]
    var sampleRateHz: Double
    /// Image sources summed (the direct sound included).
    public var imageCount: Int
    /// Highest reflection order among them.
    public var highestOrder: Int
    /// T30 of the two ears' response by Schroeder's backward integration, in seconds (nil when the
    /// response does not decay by 35 dB, e.g. the direct sound alone).
    public var measuredT30Seconds: Double? { ReverberationTime.t30Seconds([left, right], sampleRateHz: sampleRateHz) }

    /// The response as one left/right pair, to hand to `BinauralRenderer.render`.
    public func asImpulseResponse(azimuthDegrees: Double) -> HeadRelatedImpulseResponse {
        HeadRelatedImpulseResponse(
            left: left, right: right, sampleRateHz: sampleRateHz,
            azimuthDegrees: azimuthDegrees, elevationDegrees: 0)
    }
}

/// Binaural room impulse responses by the image-source method (Allen & Berkley 1979, J. Acoust.
/// Soc. Am. 65:943) for a shoebox room with the same absorption on every wall.
///
/// Each image's sound arrives (r - r0) / c after the direct sound, where r is its path length and
/// r0 the direct one, with gain (r0 / r) beta^k: spherical spreading relative to the direct sound
/// and a pressure reflection coefficient beta = sqrt(1 - absorption) per reflection. The direct
/// sound therefore arrives at time 0 with gain 1, exactly as in the anechoic rendering.
/// Fractional delays use the Kaiser-windowed sinc of `FractionalDelay` (16 taps each side, the
/// fraction rounded to 1/256 sample).
///
/// Through a head, images arriving within `headEarlySeconds` of the direct sound are filtered by
/// the head's response for their own direction of arrival (the nearest measured one of a SOFA
/// file). Later images, tens of thousands to millions of them, are the late tail: each still has its
/// own exact delay and gain, but is received at two points in free field where the ears are, with the
/// head's diffuse-field gain per ear (the RMS of its responses over a grid of directions), not its
/// direction-dependent filtering. So the late tail has the right decay, density and interaural
/// coherence of two points 17.5 cm apart, but no head shadow and a flat spectrum.
/// Through two microphones every image is received at both exactly; there is no tail model.
public enum RoomRenderer {
    static let interpolator = FractionalDelay(halfLength: 16, kaiserBeta: 9)
    static let fractionSteps = 256
    static let tapTable: [[Double]] = (0..<fractionSteps).map {
        interpolator.taps(fraction: Double($0) / Double(fractionSteps))
    }

    /// Accumulates arrivals in Double and remembers how far it has written.
    struct Accumulator {
        var samples: [Double]
        var used = 0

        init(count: Int) { samples = [Double](repeating: 0, count: count) }

        /// Adds `gain` times `response` arriving `delay` samples late (fractional: interpolated).
        mutating func add(_ response: [Float], delay: Double, gain: Double) {
            var whole = Int(delay.rounded(.down))
            var step = Int(((delay - Double(whole)) * Double(RoomRenderer.fractionSteps)).rounded())
            if step == RoomRenderer.fractionSteps {
                whole += 1
                step = 0
            }
            if step == 0 {
                guard whole >= 0, whole + response.count <= samples.count else { return }
                for t in response.indices { samples[whole + t] += gain * Double(response[t]) }
                used = max(used, whole + response.count)
                return
            }
            let taps = RoomRenderer.tapTable[step]
            let h = RoomRenderer.interpolator.halfLength
            for j in taps.indices {
                let start = whole + j - h + 1
                guard start >= 0, start + response.count <= samples.count else { continue }
                let g = gain * taps[j]
                for t in response.indices { samples[start + t] += g * Double(response[t]) }
                used = max(used, start + response.count)
            }
        }
    }

    /// The room's response at the receiver's two ears, at `sampleRateHz` (a head's own rate).
    public static func impulseResponse(_ scene: RoomScene, receiver: RoomReceiver, sampleRateHz fs: Double)
        -> RoomResponse
    {
        let room = scene.room
        let c = room.speedOfSoundMetresPerSecond
        let source = scene.sourcePosition
        let r0 = scene.distanceMetres
        let seconds = scene.responseSeconds ?? room.eyringRT60Seconds(absorption: scene.absorption)
        let beta = (1 - scene.absorption).squareRoot()
        // beta^k for every order an image can have within reach.
        let reach = r0 + c * seconds
        let orderBound = 3 * (Int(reach / min(room.lengthMetres, room.widthMetres, room.heightMetres)) + 2)
        var betaPower = [Double](repeating: 1, count: orderBound + 1)
        for k in 1...orderBound { betaPower[k] = betaPower[k - 1] * beta }

        let spacing: Double
        let offset: Double
        let earLength: Int
        switch receiver {
        case .head(let ears):
            spacing = ears.earSpacingMetres
            offset = 0
            earLength = ears.impulseResponse(azimuthDegrees: 0, elevationDegrees: 0).left.count
        case .microphones(let s):
            // The nearer microphone hears the direct sound up to s / 2c before the centre would:
            // start the response that much (plus the interpolator's half length) early.
            spacing = s
            offset = (s / 2 / c * fs).rounded(.up) + Double(interpolator.halfLength + 1)
            earLength = 1
        }
        let count = Int(offset + seconds * fs + spacing / c * fs) + earLength + 2 * interpolator.halfLength + 4
        var left = Accumulator(count: count)
        var right = Accumulator(count: count)
        // The direct sound apart from the reflections, which are high-passed (below).
        var directLeft = Accumulator(count: count)
        var directRight = Accumulator(count: count)
        let leftEar = RoomPoint(x: scene.listener.x, y: scene.listener.y + spacing / 2, z: scene.listener.z)
        let rightEar = RoomPoint(x: scene.listener.x, y: scene.listener.y - spacing / 2, z: scene.listener.z)
        let impulse: [Float] = [1]

        // A head's late tail gets its diffuse-field gain per ear: the RMS response energy over
        // directions every 30 degrees of azimuth at elevations -30, 0, 30 and 60 degrees.
        var lateGain = (left: 1.0, right: 1.0)
        if case .head(let ears) = receiver {
            var e = (left: 0.0, right: 0.0)
            var n = 0.0
            for el in stride(from: -30.0, through: 60, by: 30) {
                for az in stride(from: -180.0, to: 180, by: 30) {
                    let h = ears.impulseResponse(azimuthDegrees: az, elevationDegrees: el)
                    e.left += h.left.reduce(0) { $0 + Double($1) * Double($1) }
                    e.right += h.right.reduce(0) { $0 + Double($1) * Double($1) }
                    n += 1
                }
            }
            lateGain = ((e.left / n).squareRoot(), (e.right / n).squareRoot())
        }

        var images = 0
        var highest = 0
        room.forEachImage(of: source, listener: scene.listener, maxDistanceMetres: reach) { image in
            if let m = scene.maxOrder, image.reflections > m { return }
            images += 1
            highest = max(highest, image.reflections)
            let g = betaPower[min(image.reflections, orderBound)]
            let r = scene.listener.distance(to: image.position)
            if case .head(let ears) = receiver, (r - r0) / c <= scene.headEarlySeconds {
                let dx = image.position.x - scene.listener.x
                let dy = image.position.y - scene.listener.y
                let dz = image.position.z - scene.listener.z
                let az = -atan2(dy, dx) * 180 / Double.pi
                let el = atan2(dz, (dx * dx + dy * dy).squareRoot()) * 180 / Double.pi
                let h = ears.impulseResponse(azimuthDegrees: az, elevationDegrees: el)
                let delay = (r - r0) / c * fs
                if image.reflections == 0 {
                    directLeft.add(h.left, delay: delay, gain: g * r0 / r)
                    directRight.add(h.right, delay: delay, gain: g * r0 / r)
                } else {
                    left.add(h.left, delay: delay, gain: g * r0 / r)
                    right.add(h.right, delay: delay, gain: g * r0 / r)
                }
            } else {
                let rl = leftEar.distance(to: image.position)
                let rr = rightEar.distance(to: image.position)
                let gl = g * lateGain.left * r0 / rl
                let gr = g * lateGain.right * r0 / rr
                if image.reflections == 0 {
                    directLeft.add(impulse, delay: offset + (rl - r0) / c * fs, gain: gl)
                    directRight.add(impulse, delay: offset + (rr - r0) / c * fs, gain: gr)
                } else {
                    left.add(impulse, delay: offset + (rl - r0) / c * fs, gain: gl)
                    right.add(impulse, delay: offset + (rr - r0) / c * fs, gain: gr)
                }
            }
        }
        let n = max(left.used, right.used, directLeft.used, directRight.used)
        func ear(_ direct: Accumulator, _ reflections: Accumulator) -> [Float] {
            guard reflections.used > 0 else { return direct.samples[0..<n].map(Float.init) }
            let some = Array(reflections.samples[0..<n])
            let high = scene.reflectionHighPassHz.map { highPassed(some, cutoffHz: $0, sampleRateHz: fs) } ?? some
            return (0..<n).map { Float(direct.samples[$0] + high[$0]) }
        }
        return RoomResponse(
            left: ear(directLeft, left), right: ear(directRight, right),
            sampleRateHz: fs, imageCount: images, highestOrder: highest)
    }
}
