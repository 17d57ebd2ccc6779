import Foundation
import XCTest

/// Every kind of bad or odd input gets one line on standard error naming the file and the
/// reason with a non-zero exit, or a clear answer: never a crash, a hang or a NaN.
final class BadInputTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Writes `channels` as a WAV file (see `wavData`) in the test's folder.
    @discardableResult
    func wav(
        _ name: String, _ channels: [[Float]], rate: Int = 44100, float: Bool = false,
        claimedDataBytes: UInt32? = nil
    ) throws -> String {
        let p = path(name)
        try Self.wavData(channels, rate: rate, float: float, claimedDataBytes: claimedDataBytes)
            .write(to: URL(fileURLWithPath: p))
        return p
    }

    /// `channels` as the bytes of a WAV file: 16-bit PCM, or 32-bit float when `float` is set.
    /// `claimedDataBytes` overrides the data chunk's size field, to make a lying header.
    static func wavData(
        _ channels: [[Float]], rate: Int = 44100, float: Bool = false, claimedDataBytes: UInt32? = nil
    ) -> Data {
        let frames = channels.first?.count ?? 0
        let count = channels.count
        let width = float ? 4 : 2
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        let dataBytes = UInt32(frames * count * width)
        d.append(contentsOf: Array("RIFF".utf8))
        u32(36 + dataBytes)
        d.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16)
        u16(float ? 3 : 1)
        u16(UInt16(count))
        u32(UInt32(rate))
        u32(UInt32(rate * count * width))
        u16(UInt16(count * width))
        u16(UInt16(8 * width))
        d.append(contentsOf: Array("data".utf8))
        u32(claimedDataBytes ?? dataBytes)
        for f in 0..<frames {
            for c in 0..<count {
                let x = channels[c][f]
                if float {
                    u32(x.bitPattern)
                } else {
                    u16(UInt16(bitPattern: Int16(max(-32768, min(32767, (x * 32768).rounded())))))
                }
            }
        }
        return d
    }

    /// Seeded white noise, so that every run sees the same file.
    static func noise(_ frames: Int, seed: UInt64, amplitude: Float = 0.2) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        return (0..<frames).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return amplitude * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
        }
    }

    /// `right` delayed by `samples` behind `left` (left ear leads: a source on the left).
    static func pair(_ frames: Int, delaySamples: Int, seed: UInt64 = 3, amplitude: Float = 0.2) -> [[Float]] {
        let n = noise(frames + delaySamples, seed: seed, amplitude: amplitude)
        return [Array(n[delaySamples...]), Array(n[..<frames])]
    }

    func run(_ arguments: [String]) throws -> CommandTests.Output { try CommandTests.run(arguments) }

    /// Exactly one line on stderr, "soundloc: <path>: <reason...>", and exit status 1.
    func assertRefused(_ file: String, _ reason: String, extra: [String] = [], line: UInt = #line) throws {
        let out = try run(["localize"] + extra + [file])
        XCTAssertEqual(out.status, 1, out.stderr, line: line)
        XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr, line: line)
        XCTAssertTrue(out.stderr.hasPrefix("soundloc: \(file): \(reason)"), out.stderr, line: line)
        XCTAssertEqual(out.stdout, "", line: line)
    }

    // MARK: not audio at all

    func testTextFile() throws {
        let p = path("notes.wav")
        try Data("this is not a sound\n".utf8).write(to: URL(fileURLWithPath: p))
        try assertRefused(p, "not a readable audio file (libsndfile: ")
    }

    func testRandomBytes() throws {
        let p = path("random.wav")
        try Data(Self.noise(4000, seed: 9).map { UInt8(truncatingIfNeeded: $0.bitPattern) }).write(
            to: URL(fileURLWithPath: p))
        try assertRefused(p, "not a readable audio file (libsndfile: ")
    }

    func testTruncatedHeader() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: try wav("whole.wav", Self.pair(4410, delaySamples: 0))))
        let p = path("cut-header.wav")
        try whole.prefix(30).write(to: URL(fileURLWithPath: p))
        try assertRefused(p, "not a readable audio file (libsndfile: ")
    }

    func testDataChunkLongerThanTheFile() throws {
        // Claims a second of stereo 16-bit samples; holds 0.1 s.
        let p = try wav("lying.wav", Self.pair(4410, delaySamples: 0), claimedDataBytes: 44100 * 4)
        try assertRefused(p, "truncated: the header promises 44100 frames but the file holds only 4410")
    }

    func testEmptyFile() throws {
        let p = path("empty.wav")
        XCTAssertTrue(FileManager.default.createFile(atPath: p, contents: Data()))
        try assertRefused(p, "empty file (0 bytes)")
    }

    func testDirectory() throws {
        let p = path("folder.wav")
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: false)
        try assertRefused(p, "is a directory")
    }

    func testMissingFile() throws {
        try assertRefused(path("nowhere.wav"), "no such file")
    }

    func testUnreadableFile() throws {
        try XCTSkipIf(getuid() == 0, "root reads files whatever their permissions say")
        let p = try wav("locked.wav", Self.pair(4410, delaySamples: 0))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: p)
        try assertRefused(p, "permission denied")
    }

    // MARK: channels

    func testMono() throws {
        let p = try wav("mono.wav", [Self.noise(4410, seed: 1)])
        try assertRefused(p, "has 1 channel; two are needed")
        let out = try run(["localize", p])
        XCTAssertTrue(out.stderr.contains("--channels L,R"), out.stderr)
    }

    func testMoreThanTwoChannelsNeedChannelsOption() throws {
        let four = Self.pair(4410, delaySamples: 0) + Self.pair(4410, delaySamples: 0, seed: 5)
        let p = try wav("four.wav", four)
        try assertRefused(p, "has 4 channels; pick the left and right ones with --channels L,R")
        try assertRefused(p, "channel 5 does not exist; the file has 4 channels", extra: ["--channels", "1,5"])
        let picked = try run(["localize", "--channels", "3,4", "--format", "csv", p])
        XCTAssertEqual(picked.status, 0, picked.stderr)
        XCTAssertEqual(
            picked.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)[
                Self.statusColumn], "ok", picked.stdout)
    }

    func testSampleRateOutsideTheModelsRange() throws {
        // The cochlea's lowest channels need a few kHz of bandwidth; 4 kHz is below the 8 kHz floor.
        try assertRefused(
            try wav("slow.wav", Self.pair(4000, delaySamples: 0), rate: 4000),
            "sample rate 4000 Hz is outside the supported 8000...192000 Hz")
    }

    // MARK: length

    func testZeroFrames() throws {
        try assertRefused(try wav("zero.wav", [[], []]), "contains no audio frames")
    }

    func testShorterThanOneReadoutFrame() throws {
        // 10 ms; the default readout frame is 50 ms.
        try assertRefused(try wav("blip.wav", Self.pair(441, delaySamples: 0)), "too short: 10.0 ms of sound")
    }

    // MARK: signals without a direction, and extreme ones

    /// `localize --format csv`'s status column (0-based); GCC-PHAT's columns follow it.
    static let statusColumn = 14

    func csvRow(_ file: String, extra: [String] = []) throws -> (status: Int32, fields: [String], stderr: String) {
        let out = try run(["localize", "--format", "csv"] + extra + [file])
        let lines = out.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, out.stdout + out.stderr)
        return (
            out.status,
            lines.last.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? [],
            out.stderr
        )
    }

    func testDigitalSilenceHasNoDirection() throws {
        let p = try wav("silence.wav", [[Float](repeating: 0, count: 22050), [Float](repeating: 0, count: 22050)])
        let row = try csvRow(p)
        XCTAssertEqual(row.status, 0)
        XCTAssertEqual(row.fields[1], "")
        XCTAssertEqual(row.fields[2], "")
        XCTAssertEqual(row.fields.count > Self.statusColumn ? row.fields[Self.statusColumn] : nil, "no sound detected")
        let text = try run(["localize", p])
        XCTAssertTrue(text.stdout.contains("no sound detected (the file is digital silence)"), text.stdout)
    }

    func testDCOffsetOnlyHasNoDirection() throws {
        let p = try wav("dc.wav", [[Float](repeating: 0.3, count: 22050), [Float](repeating: -0.1, count: 22050)])
        let row = try csvRow(p)
        XCTAssertEqual(row.status, 0)
        XCTAssertEqual(row.fields[1], "")
        XCTAssertEqual(row.fields.count > Self.statusColumn ? row.fields[Self.statusColumn] : nil, "no sound detected")
        XCTAssertTrue(try run(["localize", p]).stdout.contains("no sound detected (the signal is constant"))
    }

    func testFullScaleClippingStillGivesTheSide() throws {
        // Noise 20 times full scale, clipped to +-1 when written: nearly a square wave. The left
        // ear leads by 18 samples (408 us), 48 degrees left by Woodworth's formula (a = 8.75 cm).
        let clipped = Self.pair(22050, delaySamples: 18, amplitude: 20)
        let row = try csvRow(try wav("clipped.wav", clipped), extra: ["--head-radius-cm", "8.75"])
        XCTAssertEqual(row.status, 0, row.stderr)
        let azimuth = try XCTUnwrap(Double(row.fields[1]), "\(row.fields)")
        // Clipping keeps the zero crossings, hence the ITD; allow 10 degrees for the distortion.
        XCTAssertEqual(azimuth, -48, accuracy: 10)
    }

    func testNaNAndInfinityAreReportedWithTheirPosition() throws {
        var channels = Self.pair(22050, delaySamples: 0)
        channels[1][11025] = .nan
        try assertRefused(
            try wav("nan.wav", channels, float: true),
            "non-finite sample (NaN or infinity) in channel 2 at frame 11025 (0.25 s)")
        channels[1][11025] = 0
        channels[0][100] = -.infinity
        try assertRefused(
            try wav("inf.wav", channels, float: true),
            "non-finite sample (NaN or infinity) in channel 1 at frame 100 (0.002 s)")
    }

    func testAbsurdFloatSampleIsReported() throws {
        // A float file whose first sample reads 1.08e32, as a fuzzed header once produced: it
        // stalled the small model of the fuzz test before the reader refused such values.
        var channels = Self.pair(22050, delaySamples: 0)
        channels[0][0] = 1.0809601511818306e32
        try assertRefused(try wav("absurd.wav", channels, float: true), "sample 1.08096")
        for extra in [["--cochlear-channels", "4", "--delays", "9"], []] {
            XCTAssertEqual(try run(["localize"] + extra + [path("absurd.wav")]).status, 1)
        }
    }

    func testIdenticalChannelsAreStraightAhead() throws {
        let n = Self.noise(22050, seed: 4)
        let row = try csvRow(try wav("same.wav", [n, n]))
        XCTAssertEqual(row.status, 0)
        // Zero ITD gives zero degrees; 1.5 degrees (about 13 us) is the model's resolution at
        // the midline with half a second of noise (design target: 10 us).
        XCTAssertEqual(try XCTUnwrap(Double(row.fields[1])), 0, accuracy: 1.5)
    }

    func testOneSilentChannelIsRefused() throws {
        let p = try wav("one-ear.wav", [Self.noise(22050, seed: 4), [Float](repeating: 0, count: 22050)])
        try assertRefused(p, "the right channel (channel 2) carries no sound")
    }

    // MARK: batches

    func testBatchReportsTheBadFileAndRunsTheOthers() throws {
        let good1 = try wav("good1.wav", Self.pair(11025, delaySamples: 0))
        let bad = path("missing.wav")
        let good2 = try wav("good2.wav", Self.pair(11025, delaySamples: 0, seed: 8))
        let out = try run(["localize", "--format", "csv", good1, bad, good2])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "soundloc: \(bad): no such file\n")
        let rows = out.stdout.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        XCTAssertEqual(rows.map { String($0[0]) }, [good1, bad, good2])
        XCTAssertEqual(rows.map { String($0[Self.statusColumn]) }, ["ok", "error: \(bad): no such file", "ok"])
    }

    func testParallelJobsKeepTheInputOrder() throws {
        // A long file first, so that with two jobs the short ones finish before it.
        let files = try [
            wav("long.wav", Self.pair(88200, delaySamples: 0)),
            wav("short1.wav", Self.pair(4410, delaySamples: 0)),
            wav("short2.wav", Self.pair(4410, delaySamples: 0, seed: 11)),
        ]
        let parallel = try run(["localize", "--format", "csv", "--jobs", "2"] + files)
        let serial = try run(["localize", "--format", "csv", "--jobs", "1"] + files)
        XCTAssertEqual(parallel.status, 0, parallel.stderr)
        XCTAssertEqual(
            parallel.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }, files)
        // Each file's model has its own seeded generator, so the answers do not depend on the jobs.
        XCTAssertEqual(parallel.stdout, serial.stdout)
        XCTAssertEqual(parallel.stderr, "", "no progress bar when standard error is not a terminal")
        XCTAssertNotEqual(try run(["localize", "--jobs", "0", files[0]]).status, 0)
    }

    /// Ctrl-C during a batch: exit status 130, and what was printed is valid CSV / JSON lines.
    func testInterruptLeavesValidOutput() throws {
        let file = try wav("second.wav", Self.pair(44100, delaySamples: 0))
        for format in ["csv", "json"] {
            let p = Process()
            p.executableURL = CommandTests.executable
            p.arguments = ["localize", "--format", format, "--jobs", "1"] + Array(repeating: file, count: 40)
            let out = Pipe()
            let err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            // Wait for the first result, then interrupt in the middle of a later file.
            var received = Data()
            let wanted = format == "csv" ? 2 : 1
            while received.filter({ $0 == UInt8(ascii: "\n") }).count < wanted {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                received.append(chunk)
            }
            usleep(100_000)
            kill(p.processIdentifier, SIGINT)
            received.append(out.fileHandleForReading.readDataToEndOfFile())
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .exit, format)
            XCTAssertEqual(p.terminationStatus, 130, format)
            XCTAssertEqual(stderr, "soundloc: interrupted\n", format)
            let text = String(decoding: received, as: UTF8.self)
            XCTAssertTrue(text.hasSuffix("\n"), "the last line is complete")
            var lines = text.split(separator: "\n").map(String.init)
            var columns = 0
            if format == "csv" {
                let header = lines.removeFirst()
                XCTAssertTrue(header.hasPrefix("file,temporal_azimuth_deg"), header)
                columns = header.split(separator: ",").count
            }
            XCTAssertGreaterThanOrEqual(lines.count, 1, format)
            XCTAssertLessThan(lines.count, 40, "\(format): the run stopped early")
            for line in lines {
                if format == "csv" {
                    XCTAssertEqual(line.split(separator: ",", omittingEmptySubsequences: false).count, columns, line)
                    XCTAssertEqual(
                        line.split(separator: ",", omittingEmptySubsequences: false)[Self.statusColumn], "ok", line)
                } else {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    XCTAssertEqual(object?["status"] as? String, "ok", line)
                }
            }
        }
    }
}
