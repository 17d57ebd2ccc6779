import DSP
import HRTF
import Stimuli
import XCTest

/// A "head" whose ears hear every direction as a unit impulse: isolates the room's delays and gains.
final class ImpulseEars: DirectionalEars {
    let sampleRateHz: Double
    let earSpacingMetres = 0.175
    init(sampleRateHz: Double) { self.sampleRateHz = sampleRateHz }
    func impulseResponse(azimuthDegrees: Double, elevationDegrees: Double) -> HeadRelatedImpulseResponse {
        HeadRelatedImpulseResponse(
            left: [1], right: [1], sampleRateHz: sampleRateHz,
            azimuthDegrees: azimuthDegrees, elevationDegrees: elevationDegrees)
    }
}

final class RoomRendererTests: XCTestCase {
    let office = ShoeboxRoom(lengthMetres: 5, widthMetres: 4, heightMetres: 3)

    func noise(seconds: Double, sampleRateHz: Double, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return Stimulus.whiteNoise.render(durationSeconds: seconds, sampleRateHz: sampleRateHz, generator: &g)
    }

    /// A decay of exactly T = 0.5 s (white noise times 10^(-3 t / T), energy down 60 dB in T): the
    /// Schroeder fit must find it. 3% covers the noise's random fluctuation around the exponential
    /// (its backward integral over the 0.25 s of the fit averages thousands of samples).
    func testSchroederT30OfASyntheticExponentialDecay() {
        let fs = 16000.0
        let t60 = 0.5
        let n = noise(seconds: 1.5, sampleRateHz: fs, seed: 77)
        let h = n.indices.map { n[$0] * Float(pow(10, -3 * Double($0) / fs / t60)) }
        let t30 = ReverberationTime.t30Seconds([h], sampleRateHz: fs)
        print("synthetic decay T60 \(t60) s: Schroeder T30 \(t30 ?? .nan) s")
        XCTAssertEqual(t30 ?? 0, t60, accuracy: 0.03 * t60)
        // The decay curve of a pure exponential is a straight line from 0 dB (Schroeder 1965).
        let curve = ReverberationTime.schroederDecibels(energy: h.map { Double($0) * Double($0) })
        // 0 dB by definition (the whole energy over itself); 1e-9 dB allows the summation's
        // rounding, 10 log10(1 + 1e-13) for a sum of 16 000 terms.
        XCTAssertEqual(curve[0], 0, accuracy: 1e-9)
    }

    /// Eyring's formula by hand for the 5 x 4 x 3 m office: V = 60 m^3, S = 94 m^2; absorption
    /// 0.2 gives 24 ln 10 * 60 / (343 * 94 * -ln 0.8) = 3315.7 / 7194.7 = 0.4609 s; the inverse
    /// gives 0.2 back.
    func testEyringByHand() {
        XCTAssertEqual(office.eyringRT60Seconds(absorption: 0.2), 0.4609, accuracy: 0.0005)
        // The inverse is closed-form (1 - exp(...)), so only rounding separates it from 0.2: a few
        // operations at 1.1e-16 relative each, far below 1e-12.
        XCTAssertEqual(
            office.eyringAbsorption(rt60Seconds: office.eyringRT60Seconds(absorption: 0.2)), 0.2, accuracy: 1e-12)
    }

    /// One image, worked by hand. A 20 x 10 x 10 m room, the listener at (1, 5, 5), the source 1 m
    /// ahead at (2, 5, 5). Its mirror in the wall x = 0 is at (-2, 5, 5): 3 m away, so it arrives
    /// (3 - 1) / 343 s after the direct sound with gain beta (1 / 3), beta = sqrt(1 - 0.36) = 0.8.
    /// The other first-order images are more than 7 m further, so nothing else is near it.
    func testASingleImageDelayAndGainByHand() {
        let fs = 16000.0
        let room = ShoeboxRoom(lengthMetres: 20, widthMetres: 10, heightMetres: 10)
        var scene = RoomScene(
            room: room, absorption: 0.36, listener: RoomPoint(x: 1, y: 5, z: 5),
            azimuthDegrees: 0, distanceMetres: 1)
        scene.maxOrder = 1
        scene.responseSeconds = 0.05
        scene.reflectionHighPassHz = nil  // its 50 Hz high-pass would take the arrival's area (0 Hz gain) away
        var found: [ImageSource] = []
        room.forEachImage(of: scene.sourcePosition, listener: scene.listener, maxDistanceMetres: 3.5) {
            found.append($0)
        }
        XCTAssertEqual(found.count, 2, "the source and its image in the wall behind")
        XCTAssertTrue(found.contains(ImageSource(position: RoomPoint(x: -2, y: 5, z: 5), reflections: 1)))

        let response = RoomRenderer.impulseResponse(
            scene, receiver: .head(ImpulseEars(sampleRateHz: fs)),
            sampleRateHz: fs)
        XCTAssertEqual(response.left[0], 1, "the direct sound: time 0, gain 1")
        let delay = 2.0 / 343 * fs  // 93.29 samples
        let window = (Int(delay) - 20)...(Int(delay) + 20)
        let area = window.reduce(0.0) { $0 + Double(response.left[$1]) }
        let centroid = window.reduce(0.0) { $0 + Double($1) * Double(response.left[$1]) } / area
        print("image behind: area \(area) (hand 0.8/3 = \(0.8 / 3)), centroid \(centroid) samples (hand \(delay))")
        // The interpolator's gain at 0 Hz differs from 1 by its window's ripple (well under 1%); its
        // linear phase puts the centroid at the delay to within the 1/256-sample rounding.
        XCTAssertEqual(area, 0.8 / 3, accuracy: 0.01 * 0.8 / 3)
        XCTAssertEqual(centroid, delay, accuracy: 0.01)
        XCTAssertEqual(response.highestOrder, 1)
    }

    /// With reflections off (order 0) the room rendering is the anechoic one, sample for sample.
    func testTheDirectSoundAloneEqualsTheAnechoicRendering() throws {
        let fs = 44100.0
        let sofa = try SofaFile(path: SofaFile.defaultKEMARPath, sampleRateHz: fs)
        var scene = RoomScene(
            room: office, absorption: office.eyringAbsorption(rt60Seconds: 0.6),
            azimuthDegrees: 30, distanceMetres: 1.2)
        scene.maxOrder = 0
        let response = RoomRenderer.impulseResponse(scene, receiver: .head(sofa), sampleRateHz: fs)
        XCTAssertEqual(response.imageCount, 1)
        let mono = noise(seconds: 0.3, sampleRateHz: fs, seed: 5)
        let room = BinauralRenderer.render(mono, through: response.asImpulseResponse(azimuthDegrees: 30))
        let anechoic = BinauralRenderer.render(mono, through: sofa.impulseResponse(azimuthDegrees: 30))
        XCTAssertEqual(room.left, anechoic.left)
        XCTAssertEqual(room.right, anechoic.right)
    }

    /// For RT60 0.3, 0.6 and 0.9 s the T30 measured on the rendered response is within 20% of the
    /// target, through KEMAR and at a microphone pair 18 cm apart. Measured: within 6% (worst
    /// 0.567 s for 0.6 s, docs/rooms.md); Eyring's absorption without the solve for T30 gives
    /// decays 40-67% too long (0.47-1.42 s there), so 20% holds the first and refuses the second.
    func testMeasuredT30IsWithinTwentyPercentOfTheTarget() throws {
        let fs = 16000.0
        let sofa = try SofaFile(path: SofaFile.defaultKEMARPath, sampleRateHz: fs)
        let classroom = ShoeboxRoom(lengthMetres: 8, widthMetres: 6, heightMetres: 3)
        for room in [office, classroom] {
            for target in [0.3, 0.6, 0.9] {
                var scene = RoomScene(
                    room: room, absorption: room.eyringAbsorption(rt60Seconds: target),
                    azimuthDegrees: 40, distanceMetres: 1.5)
                let eyring = scene.absorption
                scene.absorption = try XCTUnwrap(scene.absorptionGiving(t30Seconds: target))
                print("RT60 \(target) s: absorption \(scene.absorption) (Eyring's: \(eyring))")
                for (name, receiver) in [
                    ("KEMAR", RoomReceiver.head(sofa)), ("mics 0.18 m", .microphones(spacingMetres: 0.18)),
                ] {
                    let response = RoomRenderer.impulseResponse(scene, receiver: receiver, sampleRateHz: fs)
                    let t30 = response.measuredT30Seconds ?? 0
                    print(
                        "room \(room.lengthMetres)x\(room.widthMetres)x\(room.heightMetres) RT60 \(target) s, \(name): "
                            + "T30 \(t30) s, \(response.imageCount) images, order \(response.highestOrder)")
                    XCTAssertEqual(t30, target, accuracy: 0.2 * target, "\(name), RT60 \(target) s")
                }
            }
        }
    }
}
