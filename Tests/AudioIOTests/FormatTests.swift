import AudioIO
import DSP
import Decoding
import Evaluation
import Foundation
import Pipeline
import Stimuli
import XCTest

/// The same sound stored in every sample format, container and rate libsndfile reads must give
/// the same direction.
final class FormatTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// 300 microseconds, right ear leading: about 34 degrees right by Woodworth's formula.
    static let itdSeconds = 300e-6

    /// A harmonic complex (200 Hz to 3 kHz, below 0.45 x 8 kHz, so every rate holds all of it)
    /// with the right ear leading by `itdSeconds`. The same seed gives the same phases at every
    /// rate, so the files hold the same continuous sound.
    static func sound(sampleRateHz: Double) -> [[Float]] {
        var generator = SeededGenerator(seed: 7)
        let mono = Stimulus.harmonicComplex(fundamentalHz: 200, highestHz: 3000)
            .render(durationSeconds: 0.3, sampleRateHz: sampleRateHz, rms: 0.1, generator: &generator)
        // 16 samples of silence first, so the ear advanced by half the ITD keeps the first samples.
        let padded = [Float](repeating: 0, count: 16) + mono.dropLast(16)
        let ears = FractionalDelay().interauralPair(padded, itdSeconds: itdSeconds, sampleRateHz: sampleRateHz)
        return [ears.left, ears.right]
    }

    func azimuth(_ path: String, seed: UInt64 = 1) throws -> Double {
        var configuration = LocalizerConfiguration()
        configuration.seed = seed
        // The sound is a pure ITD, so it is read through the Woodworth head the test checks against.
        configuration.headModel = .standardHead
        let result = try FileLocalizer(configuration: configuration).localize(path: path).result
        return try XCTUnwrap(result.temporal?.azimuthDegrees, path)
    }

    func testEveryContainerAndSampleFormatGivesTheSameDirection() throws {
        let channels = Self.sound(sampleRateHz: 44100)
        let reference = dir.appendingPathComponent("reference.wav").path
        try writeAudioFile(path: reference, channels: channels, sampleRateHz: 44100, sampleFormat: .float32)
        let expected = try azimuth(reference)
        let cases: [(AudioContainer, [AudioSampleFormat])] = [
            (.wav, [.pcm8, .pcm16, .pcm24, .pcm32, .float32, .float64]),
            (.wavex, [.pcm16, .pcm24, .float32]),
            (.rf64, [.pcm16, .float64]),
            (.aiff, [.pcm8, .pcm16, .pcm24, .pcm32, .float32]),
            (.flac, [.pcm16, .pcm24]),  // FLAC holds integers of up to 24 bits only
        ]
        for (container, formats) in cases {
            for format in formats {
                let path = dir.appendingPathComponent("s-\(format.rawValue).\(container.rawValue)").path
                try writeAudioFile(
                    path: path, channels: channels, sampleRateHz: 44100, container: container, sampleFormat: format)
                let reader = try StereoFileReader(path: path)
                XCTAssertEqual(reader.info.frameCount, Int64(channels[0].count), path)
                // One degree near 34 degrees is about 8 microseconds of ITD. Quantisation (even to
                // 8 bits, noise 48 dB below full scale, 28 dB below this sound) changes the spikes
                // only a little; the fibres' seed is the same, so the estimate must stay this close.
                XCTAssertEqual(try azimuth(path), expected, accuracy: 1, "\(container) \(format)")
            }
        }
    }

    func testEverySampleRateFrom8To192kHzGivesTheSameDirection() throws {
        var azimuths: [Int: Double] = [:]
        for rate in [8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192_000] {
            let path = dir.appendingPathComponent("r\(rate).wav").path
            try writeAudioFile(path: path, channels: Self.sound(sampleRateHz: Double(rate)), sampleRateHz: rate)
            // A new sample grid draws different spikes, as a new seed does: the fibres' own
            // scatter (standard deviation about 1.2 degrees for 0.3 s, measured over seeds at
            // 44.1 kHz) would hide the effect of the rate, so each rate's answer is a mean over
            // four seeds.
            let seeds: [UInt64] = [1, 2, 3, 4]
            azimuths[rate] = try seeds.map { try azimuth(path, seed: $0) }.reduce(0, +) / Double(seeds.count)
        }
        print(
            "azimuth by sample rate (mean of 4 seeds):",
            azimuths.sorted { $0.key < $1.key }.map { "\($0.key) Hz \($0.value)" })
        // Woodworth: ITD = (a / c)(theta + sin theta) with a = 8.75 cm, c = 343 m/s, solved by bisection.
        var low = 0.0
        var high = Double.pi / 2
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if 0.0875 / 343 * (mid + sin(mid)) < Self.itdSeconds { low = mid } else { high = mid }
        }
        let woodworth = low * 180 / .pi
        let reference = azimuths.values.reduce(0, +) / Double(azimuths.count)
        for (rate, az) in azimuths.sorted(by: { $0.key < $1.key }) {
            // One degree: the four-seed means measured 34.1 to 35.1 degrees over the ten rates (at
            // most 0.6 from their mean), so the bound is that spread with 0.4 to spare, while a
            // rate-dependent bias (a wrong delay scaling, channels above Nyquist) would give tens
            // of degrees.
            XCTAssertEqual(az, reference, accuracy: 1, "\(rate) Hz: \(az) vs the mean over rates \(reference)")
        }
        // And the common answer is the right one: within 3 degrees of the formula (the model's
        // bias for a harmonic sound, which has few channels with energy, is allowed that much).
        XCTAssertEqual(reference, woodworth, accuracy: 3)
    }
}
