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

    /// A FLAC header's total-samples field (36 bits of STREAMINFO, bytes 21-25 of the file) set to
    /// 0 means "unknown", which is valid: the reader reads to the end and gets every frame. Set to
    /// its largest value (2^36 - 1, some 18 days at 44.1 kHz) it is a lie that only decoding
    /// finds: a typed error naming the shortfall, never a crash or an attempt to reserve that much.
    func testFLACLengthIsAHintWhetherUnknownOrAbsurd() throws {
        let x = (0..<8820).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        let whole = dir.appendingPathComponent("whole.flac").path
        try writeAudioFile(path: whole, channels: [x, x], sampleRateHz: 44100, container: .flac)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
        XCTAssertEqual(Array(original[0..<4]), Array("fLaC".utf8))
        XCTAssertEqual(original[4] & 0x7F, 0, "the first metadata block is STREAMINFO")
        func withTotal(_ high: UInt8, _ low: [UInt8], name: String) throws -> String {
            var b = original
            b[21] = (b[21] & 0xF0) | high
            b.replaceSubrange(22..<26, with: low)
            let path = dir.appendingPathComponent(name).path
            try Data(b).write(to: URL(fileURLWithPath: path))
            return path
        }
        func readAll(_ path: String) throws -> Int {
            let reader = try StereoFileReader(path: path)
            var l: [Float] = []
            var r: [Float] = []
            var n = 0
            while case let k = try reader.readBlock(left: &l, right: &r), k > 0 { n += k }
            return n
        }
        let unknown = try withTotal(0, [0, 0, 0, 0], name: "unknown.flac")
        // libsndfile reports an unknown length as the largest count, so the edit did reach the field.
        XCTAssertEqual(try StereoFileReader(path: unknown).info.frameCount, Int64.max)
        XCTAssertEqual(try readAll(unknown), x.count)
        XCTAssertThrowsError(try readAll(try withTotal(0x0F, [0xFF, 0xFF, 0xFF, 0xFF], name: "absurd.flac"))) {
            guard case .truncated(_, _, let present)? = $0 as? AudioIOError else {
                return XCTFail("\($0)")
            }
            XCTAssertLessThanOrEqual(present, Int64(x.count))
        }
    }
}
