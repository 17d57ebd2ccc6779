import ArgumentParser
import AudioIO
import DSP
import Decoding
import Foundation
import HRTF

extension AudioSampleFormat: ExpressibleByArgument {}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a stereo test file from a mono sound placed at a direction.",
        discussion: """
            With --azimuth alone the sound is convolved with the head-related impulse responses \
            measured nearest that direction (elevation 0) in a SOFA file: KEMAR by default. \
            With --itd-us, or --azimuth with --woodworth or --mics, one ear is delayed against the \
            other by a (fractional) number of samples and there is no level difference: a pure-ITD \
            stimulus. Positive azimuth or ITD = the right ear leads = a source on the right. A \
            multi-channel input is mixed to mono first. --snr adds independent Gaussian noise to each \
            ear, its RMS that ear's signal RMS minus the SNR in dB. \
            With --room the source sits --distance metres from the listener in a shoebox room whose \
            walls absorb enough for --rt60 (Eyring) or absorb --absorption; every mirror image of the \
            source arrives through the head's response for its own direction (the first 80 ms; the \
            later tail at two free-field points where the ears are) or at the two --mics. The measured \
            T30 of the room's response goes to standard error. Method and limits: docs/rooms.md.
            """)

    @Argument(help: "Mono (or multi-channel, mixed down) input sound.")
    var input: String

    @Option(name: .shortAndLong, help: "Output stereo audio file (WAV).")
    var output: String

    @Option(
        name: .customLong("itd-us"), parsing: .unconditional,
        help: "Interaural time difference, in microseconds (positive: right ear leads).")
    var itdUs: Double?

    @Option(parsing: .unconditional, help: "Direction, in degrees (0 ahead, negative left, positive right, -90...90).")
    var azimuth: Double?

    @Flag(help: "With --azimuth: use the ITD of Woodworth's spherical head (radius 8.75 cm), nothing else.")
    var woodworth = false

    @Option(
        name: .customLong("mics"),
        help:
            "With --azimuth: two free-field microphones this far apart, in metres: pure delay, ITD = spacing sin(azimuth) / 343 m/s."
    )
    var micsSpacingM: Double?

    @Option(
        help: "With --azimuth: SOFA file of head-related impulse responses (default: \(SofaFile.defaultKEMARPath)).")
    var hrtf: String?

    @Option(
        name: .customLong("sphere-radius-cm"),
        help:
            "With --azimuth: a rigid spherical head of this radius, in cm (Duda & Martens 1998), ears at +-100 degrees, instead of --hrtf."
    )
    var sphereRadiusCm: Double?

    @Option(
        help:
            "A shoebox room, its length x width x height in metres, e.g. 5x4x3 (with --azimuth; needs --rt60 or --absorption)."
    )
    var room: String?

    @Option(
        help:
            "With --room: reverberation time to give the room, in seconds (0.1...2); the walls' absorption follows from Eyring's formula."
    )
    var rt60: Double?

    @Option(
        help: "With --room, instead of --rt60: every wall's energy absorption coefficient, between 0 and 1 (exclusive)."
    )
    var absorption: Double?

    @Option(
        help:
            "With --room: the listener's (head centre's) position X,Y,Z in metres, facing +X, +Y on the left (default: 40%, 45% and 40% of the room's length, width and height)."
    )
    var listener: String?

    @Option(help: "With --room: the source's distance from the listener, in metres (default 1.5).")
    var distance: Double?

    @Option(
        name: .customLong("max-order"),
        help:
            "With --room: keep reflections up to this order only (0: the direct sound alone; default: all the RT60 needs)."
    )
    var maxOrder: Int?

    @Option(
        parsing: .unconditional,
        help: "Add uncorrelated noise to each ear at this signal-to-noise ratio, in dB (default: none).")
    var snr: Double?

    @Option(help: "Seed for the added noise.")
    var seed: UInt64 = 1

    @Option(name: .customLong("sample-format"), help: "Output samples: pcm8, pcm16, pcm24, pcm32, float32 or float64.")
    var sampleFormat: AudioSampleFormat = .float32

    func validate() throws {
        switch (itdUs, azimuth) {
        case (nil, nil): throw ValidationError("give --azimuth (with --hrtf, --woodworth or --mics) or --itd-us")
        case (.some, .some): throw ValidationError("give either --itd-us or --azimuth, not both")
        case (let itd?, nil):
            guard abs(itd) <= 5000 else { throw ValidationError("--itd-us must be within +/-5000 microseconds") }
            guard !woodworth && micsSpacingM == nil && hrtf == nil else {
                throw ValidationError("--woodworth, --mics and --hrtf go with --azimuth, not --itd-us")
            }
        case (nil, let az?):
            guard abs(az) <= 90 else { throw ValidationError("--azimuth must be within -90...90 degrees") }
            let modes =
                (woodworth ? 1 : 0) + (micsSpacingM == nil ? 0 : 1) + (hrtf == nil ? 0 : 1)
                + (sphereRadiusCm == nil ? 0 : 1)
            guard modes <= 1 else {
                throw ValidationError("give at most one of --hrtf, --woodworth, --mics and --sphere-radius-cm")
            }
        }
        if let r = sphereRadiusCm, !(r >= 3 && r <= 30) {
            throw ValidationError("--sphere-radius-cm must be between 3 and 30 cm")
        }
        if sphereRadiusCm != nil && azimuth == nil { throw ValidationError("--sphere-radius-cm goes with --azimuth") }
        if let m = micsSpacingM, !(m > 0.001 && m < 10) {
            throw ValidationError("--mics must be a spacing between 0.001 and 10 m")
        }
        try validateRoom()
        if let s = snr, !(s >= -40 && s <= 120) { throw ValidationError("--snr must be between -40 and 120 dB") }
    }

    /// The longest reverberation rendered, in seconds: the image count grows as its cube.
    static let longestRT60Seconds = 2.0
    /// The most image sources rendered (about 1.5 s of computing at 48 kHz per 2 million).
    static let mostImages = 10e6

    /// Length, width and height parsed from `--room`.
    static func parseRoom(_ text: String) throws -> ShoeboxRoom {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Double($0) }
        guard parts.count == 3, let l = parts[0], let w = parts[1], let h = parts[2] else {
            throw ValidationError("--room must be LENGTHxWIDTHxHEIGHT in metres, e.g. 5x4x3 (got '\(text)')")
        }
        guard [l, w, h].allSatisfy({ $0 >= 1 && $0 <= 50 }) else {
            throw ValidationError("--room dimensions must each be between 1 and 50 m (got '\(text)')")
        }
        return ShoeboxRoom(lengthMetres: l, widthMetres: w, heightMetres: h)
    }

    /// The room scene the options describe (validated), or nil without --room.
    func roomScene() throws -> RoomScene? {
        guard let room else { return nil }
        let shoebox = try Self.parseRoom(room)
        var point: RoomPoint?
        if let listener {
            let v = listener.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard v.count == 3, let x = v[0], let y = v[1], let z = v[2] else {
                throw ValidationError("--listener must be X,Y,Z in metres, e.g. 2,1.8,1.2 (got '\(listener)')")
            }
            point = RoomPoint(x: x, y: y, z: z)
        }
        var alpha = 0.5  // replaced below: solved for --rt60, or --absorption as given
        if let rt60 {
            guard rt60 >= 0.1 && rt60 <= Self.longestRT60Seconds else {
                throw ValidationError("--rt60 must be between 0.1 and \(Self.longestRT60Seconds) s (got \(rt60))")
            }
        } else if let absorption {
            guard absorption > 0 && absorption < 1 else {
                throw ValidationError("--absorption must be between 0 and 1, exclusive (got \(absorption))")
            }
            alpha = absorption
            let t = shoebox.eyringRT60Seconds(absorption: alpha)
            guard t <= Self.longestRT60Seconds else {
                throw ValidationError(
                    "--absorption \(absorption) gives a \(room) m room an RT60 of "
                        + "\(String(format: "%.2f", t)) s (Eyring), beyond the \(Self.longestRT60Seconds) s the renderer supports"
                )
            }
        } else {
            throw ValidationError("--room needs --rt60 or --absorption")
        }
        let d = distance ?? 1.5
        guard d >= 0.2 && d <= 50 else { throw ValidationError("--distance must be between 0.2 and 50 m (got \(d))") }
        var scene = RoomScene(
            room: shoebox, absorption: alpha, listener: point, azimuthDegrees: azimuth ?? 0,
            distanceMetres: d)
        scene.maxOrder = maxOrder
        let l = scene.listener
        let s = scene.sourcePosition
        guard shoebox.contains(l, margin: 0.1) else {
            throw ValidationError(
                "the listener (\(l.x), \(l.y), \(l.z)) m is not inside the \(room) m room "
                    + "at least 0.1 m from every wall")
        }
        guard shoebox.contains(s) else {
            let at = String(format: "(%.2f, %.2f, %.2f)", s.x, s.y, s.z)
            throw ValidationError(
                "the source, \(d) m from the listener at \(azimuth ?? 0) degrees, lands at \(at) m: "
                    + "outside the \(room) m room; lower --distance or move --listener")
        }
        // Images fill a sphere of radius c T around the listener, one per room volume.
        let reach =
            scene.distanceMetres + scene.room.speedOfSoundMetresPerSecond
            * (rt60 ?? shoebox.eyringRT60Seconds(absorption: alpha))
        let images = 4 / 3 * Double.pi * reach * reach * reach / scene.room.volumeCubicMetres
        guard images <= Self.mostImages else {
            throw ValidationError(
                String(
                    format: "a reverberation of this length in a \(room) m room needs about "
                        + "%.0f million image sources, more than the %.0f million the renderer allows: shorten it or enlarge "
                        + "the room", images / 1e6, Self.mostImages / 1e6))
        }
        if let rt60 {
            guard let solved = scene.absorptionGiving(t30Seconds: rt60) else {
                throw ValidationError(
                    "--rt60 \(rt60) s is impossible in a \(room) m room: walls absorbing between "
                        + "0.001 and 0.99 of the sound give no such decay")
            }
            scene.absorption = solved
            // The response runs until the target's 60 dB decay.
            scene.responseSeconds = rt60
        }
        return scene
    }

    func validateRoom() throws {
        guard room != nil else {
            guard rt60 == nil, absorption == nil, listener == nil, distance == nil, maxOrder == nil else {
                throw ValidationError("--rt60, --absorption, --listener, --distance and --max-order go with --room")
            }
            return
        }
        guard azimuth != nil, !woodworth else {
            throw ValidationError("--room needs --azimuth (with --hrtf or --mics)")
        }
        guard rt60 == nil || absorption == nil else {
            throw ValidationError("give either --rt60 or --absorption, not both")
        }
        if let m = maxOrder, m < 0 { throw ValidationError("--max-order must be 0 or more") }
        _ = try roomScene()
    }

    func run() throws {
        try reportingUserErrors {
            let (channels, rate) = try readWholeAudioFile(path: input)
            var mono = [Float](repeating: 0, count: channels[0].count)
            for c in channels { for i in mono.indices { mono[i] += c[i] / Float(channels.count) } }
            var (left, right) = try place(mono, sampleRateHz: rate)
            if let snr {
                var generator = SeededGenerator(seed: seed)
                BinauralRenderer.addUncorrelatedNoise(
                    left: &left, right: &right, snrDecibels: snr, generator: &generator)
            }
            let overloads = left.filter { abs($0) > 1 }.count + right.filter { abs($0) > 1 }.count
            if overloads > 0 && sampleFormat != .float32 && sampleFormat != .float64 {
                printError(
                    "warning: \(output): \(overloads) samples beyond full scale were clipped; lower the input's level")
            }
            try writeAudioFile(path: output, channels: [left, right], sampleRateHz: rate, sampleFormat: sampleFormat)
        }
    }

    /// The two ears' signals, before any noise.
    func place(_ mono: [Float], sampleRateHz rate: Int) throws -> (left: [Float], right: [Float]) {
        if let scene = try roomScene() {
            let receiver: RoomReceiver
            if let m = micsSpacingM {
                receiver = .microphones(spacingMetres: m)
            } else if let r = sphereRadiusCm {
                receiver = .head(SphereHead(radiusMetres: r / 100, sampleRateHz: Double(rate)))
            } else {
                receiver = .head(try SofaFile(path: hrtf ?? SofaFile.defaultKEMARPath, sampleRateHz: Double(rate)))
            }
            let response = RoomRenderer.impulseResponse(scene, receiver: receiver, sampleRateHz: Double(rate))
            let t30 = response.measuredT30Seconds.map { String(format: "%.3f s", $0) } ?? "n/a (no 35 dB decay)"
            let walls = String(
                format: "walls absorbing %.3f (Eyring's formula would say RT60 %.3f s)",
                scene.absorption, scene.room.eyringRT60Seconds(absorption: scene.absorption))
            writeStandardError(
                "render: room \(room ?? "") m, \(walls), \(response.imageCount) images up to order "
                    + "\(response.highestOrder); measured T30 \(t30)\n")
            return BinauralRenderer.render(
                mono, through: response.asImpulseResponse(azimuthDegrees: scene.azimuthDegrees))
        }
        if let r = sphereRadiusCm {
            let head = SphereHead(radiusMetres: r / 100, sampleRateHz: Double(rate))
            return BinauralRenderer.render(
                mono,
                through: head.impulseResponse(
                    azimuthDegrees: azimuth ?? 0,
                    elevationDegrees: 0))
        }
        let itdSeconds: Double
        if let itdUs {
            itdSeconds = itdUs * 1e-6
        } else if woodworth {
            itdSeconds = HeadModel.standardHead.itdSeconds(azimuthDegrees: azimuth ?? 0)
        } else if let m = micsSpacingM {
            itdSeconds = HeadModel.microphones(spacingMetres: m).itdSeconds(azimuthDegrees: azimuth ?? 0)
        } else {
            // libmysofa resamples the responses to the sound's rate on opening.
            let sofa = try SofaFile(path: hrtf ?? SofaFile.defaultKEMARPath, sampleRateHz: Double(rate))
            return BinauralRenderer.render(mono, through: sofa.impulseResponse(azimuthDegrees: azimuth ?? 0))
        }
        return FractionalDelay().interauralPair(mono, itdSeconds: itdSeconds, sampleRateHz: Double(rate))
    }
}
