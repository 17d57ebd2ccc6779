import Foundation
import XCTest

/// `soundloc localize -` reads a pipe: the same answers as the file, and a live track whose rows
/// come out while the stream is still being written.
final class StandardInputTests: XCTestCase {
    static let sample = "audio-samples/kemar-anechoic_noise_az45.wav"

    /// A write to a program that has exited must fail with EPIPE, not kill the test runner.
    override func setUp() { signal(SIGPIPE, SIG_IGN) }

    var sampleBytes: Data {
        get throws { try Data(contentsOf: CommandTests.repository.appendingPathComponent(Self.sample)) }
    }

    /// A running `soundloc` whose standard input is a pipe this test writes, and whose standard
    /// output is collected as it comes by a reader thread.
    final class Piped: @unchecked Sendable {
        let process = Process()
        let input = Pipe(), output = Pipe(), errors = Pipe()
        private let lock = NSLock()
        private var collected = Data()
        private let arrived = DispatchSemaphore(value: 0)
        private let ended = DispatchSemaphore(value: 0)

        init(_ arguments: [String]) throws {
            process.executableURL = CommandTests.executable
            process.arguments = arguments
            process.currentDirectoryURL = CommandTests.repository
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let reader = output.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    lock.withLock { collected.append(chunk) }
                    arrived.signal()
                }
                ended.signal()
            }
        }

        var text: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

        /// Waits, at most `seconds`, until the output holds at least `count` complete lines.
        func waitForLines(_ count: Int, seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while text.filter({ $0 == "\n" }).count < count {
                if arrived.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) == .timedOut { return false }
            }
            return true
        }

        /// Writes `data`; a program that has stopped reading (as on Ctrl-C) is no error here.
        func write(_ data: Data) { try? input.fileHandleForWriting.write(contentsOf: data) }

        /// Closes the input and waits, at most `seconds`, for the program to end; kills it if it
        /// does not, so that the suite can never hang here.
        func finish(seconds: Double) -> (status: Int32, stdout: String, stderr: String)? {
            try? input.fileHandleForWriting.close()
            guard ended.wait(timeout: .now() + seconds) == .success else {
                process.terminate()
                return nil
            }
            process.waitUntilExit()
            let e = errors.fileHandleForReading.readDataToEndOfFile()
            return (process.terminationStatus, text, String(decoding: e, as: UTF8.self))
        }
    }

    /// Runs `soundloc` with `data` written through a pipe on its standard input.
    func runPiped(_ arguments: [String], _ data: Data) throws -> (status: Int32, stdout: String, stderr: String) {
        let piped = try Piped(arguments)
        piped.write(data)
        return try XCTUnwrap(piped.finish(seconds: 300), "soundloc did not finish reading a closed pipe")
    }

    /// Each CSV line without its first field (the file's name, which differs by construction).
    func withoutFileColumn(_ csv: String) -> [String] {
        csv.split(separator: "\n").dropFirst().map { line in String(line.drop(while: { $0 != "," })) }
    }

    /// The bytes of a WAV file's data chunk: for a 16-bit PCM WAV, exactly the raw s16 stream.
    func dataChunk(_ wav: Data) throws -> Data {
        let bytes = [UInt8](wav)
        var offset = 12
        while offset + 8 <= bytes.count {
            let size =
                Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16
                | Int(bytes[offset + 7]) << 24
            if bytes[offset..<offset + 4].elementsEqual("data".utf8) {
                return Data(bytes[(offset + 8)..<min(bytes.count, offset + 8 + size)])
            }
            offset += 8 + size + size % 2
        }
        throw XCTSkip("no data chunk in \(Self.sample)")
    }

    /// Issue 18: the same WAV read from a pipe gives the very CSV it gives from the file, per
    /// file and per frame, and so does its sample data sent as raw PCM with --raw.
    func testPipeGivesTheSameCSVAsTheFile() throws {
        let wav = try sampleBytes
        for extra in [[], ["--track"]] {
            let file = try CommandTests.run(["localize", "--format", "csv"] + extra + [Self.sample])
            XCTAssertEqual(file.status, 0, file.stderr)
            let header = file.stdout.split(separator: "\n").first
            let rows = withoutFileColumn(file.stdout)
            XCTAssertFalse(rows.isEmpty)
            let piped = try runPiped(["localize", "--format", "csv"] + extra + ["-"], wav)
            XCTAssertEqual(piped.status, 0, piped.stderr)
            XCTAssertEqual(piped.stdout.split(separator: "\n").first, header)
            XCTAssertEqual(withoutFileColumn(piped.stdout), rows, "\(extra)")
            XCTAssert(piped.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix("-,") })
            let raw = try runPiped(
                ["localize", "--format", "csv", "--raw", "44100,2,s16"] + extra + ["-"],
                try dataChunk(wav))
            XCTAssertEqual(raw.status, 0, raw.stderr)
            XCTAssertEqual(withoutFileColumn(raw.stdout), rows, "raw \(extra)")
        }
        let cochlea = try CommandTests.run(["cochlea", "--format", "csv", Self.sample])
        let pipedCochlea = try runPiped(["cochlea", "--format", "csv", "-"], wav)
        XCTAssertEqual(pipedCochlea.status, 0, pipedCochlea.stderr)
        XCTAssertEqual(withoutFileColumn(pipedCochlea.stdout), withoutFileColumn(cochlea.stdout))
        XCTAssertGreaterThan(withoutFileColumn(cochlea.stdout).count, 10, "one row per cochlear channel")
    }

    /// A WAV written to a pipe by a recorder states a length it cannot know (arecord writes
    /// 0x7fffffff bytes or so): the end of the input is the end of the sound, not an error.
    func testBogusHeaderLengthIsOnlyAHint() throws {
        var wav = [UInt8](try sampleBytes)
        let data = try XCTUnwrap(wav.indices.dropLast(4).first { wav[$0..<$0 + 4].elementsEqual("data".utf8) })
        for k in 0..<4 {
            wav[4 + k] = 0xFF
            wav[data + 4 + k] = k == 3 ? 0x7F : 0xFF
        }
        let file = try CommandTests.run(["localize", "--format", "csv", Self.sample])
        let piped = try runPiped(["localize", "--format", "csv", "-"], Data(wav))
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(withoutFileColumn(piped.stdout), withoutFileColumn(file.stdout))
    }

    /// Issue 18: with --track, a frame's row comes out while the rest of the stream is still to
    /// be written; then the program finishes when the input ends. Every wait is bounded.
    func testTrackRowsArriveBeforeTheStreamEnds() throws {
        let wav = try sampleBytes
        let half = wav.count / 2
        let piped = try Piped(["localize", "--format", "csv", "--track", "-"])
        piped.write(wav.prefix(half))
        // The header, then at least one frame row: 0.25 s of sound hold four final 50 ms frames.
        let early = piped.waitForLines(2, seconds: 120)
        let seen = piped.text
        piped.write(wav.suffix(from: half))
        let end = piped.finish(seconds: 300)
        XCTAssertTrue(early, "no track row within 120 s of writing half the stream; output so far: \(seen)")
        XCTAssert(seen.split(separator: "\n").dropFirst().first?.hasPrefix("-,0.000,") ?? false, seen)
        let done = try XCTUnwrap(end, "soundloc did not finish after its input was closed")
        XCTAssertEqual(done.status, 0, done.stderr)
        let file = try CommandTests.run(["localize", "--format", "csv", "--track", Self.sample])
        XCTAssertEqual(withoutFileColumn(done.stdout), withoutFileColumn(file.stdout))
    }

    /// Ctrl-C while following a stream: the program stops within a block, after whole rows only,
    /// with exit status 130, though the stream has not ended.
    func testInterruptEndsALiveTrackAfterWholeRows() throws {
        let wav = try sampleBytes
        let piped = try Piped(["localize", "--format", "csv", "--track", "-"])
        piped.write(wav.prefix(wav.count / 2))
        XCTAssertTrue(piped.waitForLines(2, seconds: 120), "no track row within 120 s: \(piped.text)")
        piped.process.interrupt()
        // The reader may be waiting for the next block: give it one, then no end of input.
        piped.write(wav.suffix(from: wav.count / 2))
        let deadline = Date().addingTimeInterval(120)
        while piped.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let stillRunning = piped.process.isRunning
        let end = piped.finish(seconds: 60)
        XCTAssertFalse(stillRunning, "SIGINT did not stop soundloc while its input stayed open")
        let done = try XCTUnwrap(end)
        XCTAssertEqual(done.status, 130, done.stderr)
        XCTAssertEqual(done.stderr, "soundloc: interrupted\n")
        XCTAssert(done.stdout.hasSuffix("\n"), "a partial row: \(done.stdout)")
        let lines = done.stdout.split(separator: "\n")
        // Every row as many fields as the header (file, start, azimuth, ITD, confidence, weight, status).
        let columns = lines.first?.split(separator: ",").count
        XCTAssertEqual(columns, 7, done.stdout)
        XCTAssert(
            lines.dropFirst().allSatisfy {
                $0.split(separator: ",", omittingEmptySubsequences: false).count == columns
            },
            done.stdout)
    }

    /// With several files at once, each file's track rows come together and in the order given,
    /// as they would one file at a time.
    func testTracksOfParallelFilesStayInOrder() throws {
        let files = [Self.sample, "audio-samples/kemar-anechoic_noise_az-30.wav"]
        let both = try CommandTests.run(["localize", "--format", "csv", "--track", "--jobs", "2"] + files)
        XCTAssertEqual(both.status, 0, both.stderr)
        var expected: [String] = []
        for f in files {
            let one = try CommandTests.run(["localize", "--format", "csv", "--track", f])
            expected += one.stdout.split(separator: "\n").dropFirst().map(String.init)
        }
        XCTAssertEqual(both.stdout.split(separator: "\n").dropFirst().map(String.init), expected)
    }

    func testStandardInputMisuseIsRefused() throws {
        let twice = try CommandTests.run(["localize", "-", "-"])
        XCTAssertNotEqual(twice.status, 0)
        XCTAssert(twice.stderr.contains("standard input (-) can be read only once"), twice.stderr)
        let badRaw = try CommandTests.run(["localize", "--raw", "48000,2,u8", "-"])
        XCTAssertNotEqual(badRaw.status, 0)
        XCTAssert(badRaw.stderr.contains("--raw takes RATE,CHANNELS,FORMAT"), badRaw.stderr)
        let notAudio = try runPiped(["localize", "-"], Data("hello, this is not audio\n".utf8))
        XCTAssertEqual(notAudio.status, 1)
        XCTAssert(notAudio.stderr.hasPrefix("soundloc: standard input: not a readable audio file"), notAudio.stderr)
        let empty = try runPiped(["cochlea", "--raw", "44100,2,s16", "-"], Data())
        XCTAssertEqual(empty.status, 1)
        XCTAssertEqual(empty.stderr, "soundloc: standard input: contains no audio frames\n")
    }
}
