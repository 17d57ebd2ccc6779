import AudioIO
import Foundation
import XCTest

final class AudioFileTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-audioio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testStereoRoundTripInBlocks() throws {
        let path = dir.appendingPathComponent("a.wav").path
        let left = (0..<10_000).map { Float(sin(Double($0) * 0.01)) * 0.5 }
        let right = left.map { -$0 }
        try writeAudioFile(path: path, channels: [left, right], sampleRateHz: 48000, sampleFormat: .float32)
        let reader = try StereoFileReader(path: path, blockFrames: 777)
        XCTAssertEqual(reader.info.sampleRateHz, 48000)
        XCTAssertEqual(reader.info.frameCount, 10_000)
        var l: [Float] = []
        var r: [Float] = []
        var allL: [Float] = []
        var allR: [Float] = []
        while try reader.readBlock(left: &l, right: &r) > 0 {
            allL += l
            allR += r
        }
        XCTAssertEqual(allL, left)  // float32 in, float32 out: bit exact
        XCTAssertEqual(allR, right)
    }

    func testSixteenBitQuantisationIsWithinHalfAStep() throws {
        let path = dir.appendingPathComponent("b.wav").path
        let x = (0..<1000).map { Float($0 - 500) / 600 }
        try writeAudioFile(path: path, channels: [x, x], sampleRateHz: 44100, sampleFormat: .pcm16)
        let reader = try StereoFileReader(path: path)
        var l: [Float] = []
        var r: [Float] = []
        try reader.readBlock(left: &l, right: &r)
        // One 16-bit step is 2^-15. libsndfile scales by 32767 when writing floats and by 1/32768
        // when reading them, so besides half a step of rounding a sample can lose up to x/32768:
        // 1.5 steps in all.
        for (a, b) in zip(l, x) { XCTAssertEqual(a, b, accuracy: 1.5 / 32768) }
    }

    func testMonoAndMissingFilesAreNamedErrors() throws {
        let mono = dir.appendingPathComponent("mono.wav").path
        try writeAudioFile(path: mono, channels: [[0.1, 0.2, 0.3]], sampleRateHz: 44100)
        XCTAssertThrowsError(try StereoFileReader(path: mono)) { error in
            XCTAssertEqual(error as? AudioIOError, .notStereo(path: mono, channelCount: 1))
            XCTAssertTrue("\(error)".hasPrefix("\(mono): has 1 channel"))
        }
        let missing = dir.appendingPathComponent("nope.wav").path
        XCTAssertThrowsError(try StereoFileReader(path: missing)) { error in
            XCTAssertEqual(error as? AudioIOError, .noSuchFile(path: missing))
            XCTAssertEqual("\(error)", "\(missing): no such file")
        }
    }

    /// A file cut short: WAV and AIFF headers state the data chunk's size, which libsndfile
    /// checks against the file's length; FLAC states a frame count that only decoding can check.
    func testFilesCutShortAreTruncatedNotSilentlyShort() throws {
        let x = (0..<44100).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        for container in [AudioContainer.wav, .aiff, .flac] {
            let whole = dir.appendingPathComponent("whole.\(container.rawValue)").path
            try writeAudioFile(path: whole, channels: [x, x], sampleRateHz: 44100, container: container)
            let cut = dir.appendingPathComponent("cut.\(container.rawValue)").path
            let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
            try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: cut))
            var outcome: AudioIOError?
            do {
                let reader = try StereoFileReader(path: cut)
                var l: [Float] = []
                var r: [Float] = []
                while try reader.readBlock(left: &l, right: &r) > 0 {}
            } catch let error as AudioIOError { outcome = error }
            guard case .truncated(_, let promised, let present)? = outcome else {
                return XCTFail("\(container): \(String(describing: outcome))")
            }
            XCTAssertEqual(promised, 44100, "\(container)")
            XCTAssertLessThan(present, 44100 / 2, "\(container)")
        }
    }
}
