import Foundation
import XCTest

/// Output that cannot be written is an error (exit status 1, one line on standard error), never
/// a success with the results lost; and writing a picture or calibration never destroys what the
/// target path names (a symbolic link, a FIFO or a device).
final class OutputFaultTests: XCTestCase {
    let sample = "audio-samples/pure-itd_noise_az45.wav"
    let small = ["--cochlear-channels", "8", "--delays", "21"]
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs soundloc through bash with standard output redirected by `redirect` (e.g. ">/dev/full")
    /// and SIGPIPE ignored (the disposition survives exec), so a closed pipe shows as EPIPE.
    func runShell(_ arguments: [String], redirect: String) throws -> (status: Int32, stderr: String) {
        let quoted = ([CommandTests.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "trap '' PIPE; exec \(quoted) \(redirect)"]
        p.currentDirectoryURL = CommandTests.repository
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    func assertWriteFailed(_ arguments: [String], redirect: String, reason: String, line: UInt = #line) throws {
        let out = try runShell(arguments, redirect: redirect)
        XCTAssertEqual(out.status, 1, out.stderr, line: line)
        XCTAssertTrue(
            out.stderr.hasSuffix("soundloc: standard output: write failed: \(reason)\n"), out.stderr, line: line)
    }

    func testFullDiskIsAnError() throws {
        for format in ["text", "csv", "json"] {
            try assertWriteFailed(
                ["localize", "--format", format] + small + [sample], redirect: ">/dev/full",
                reason: "No space left on device")
        }
        try assertWriteFailed(
            ["cochlea", "--cochlear-channels", "4", sample], redirect: ">/dev/full",
            reason: "No space left on device")
        try assertWriteFailed(
            [
                "compare", "audio-samples", "--condition", "pure-itd", "--rate-calibration", "lag-curve",
                "--calibration-sounds", "pure-itd", "--calibration-step-deg", "30",
            ] + small,
            redirect: ">/dev/full", reason: "No space left on device")
    }

    func testBrokenPipeWithSIGPIPEIgnoredIsAnError() throws {
        // The pipe's reader is gone before soundloc starts: `exec 3>&-` is not needed, the
        // subshell that read it has exited when the model finishes.
        let out = try runShell(
            ["localize", "--format", "csv"] + small + [sample, sample],
            redirect: "> >(exec 0<&-)")
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.contains("soundloc: standard output: write failed: Broken pipe"), out.stderr)
    }

    func testClosedStandardOutputIsAnError() throws {
        try assertWriteFailed(["localize"] + small + [sample], redirect: ">&-", reason: "standard output is closed")
        // With standard error closed too there is nowhere to say it, but the status still tells.
        XCTAssertEqual(try runShell(["localize"] + small + [sample], redirect: ">&- 2>&-").status, 1)
    }

    // MARK: what an output path names is kept

    func testPictureIsWrittenThroughASymbolicLink() throws {
        let target = path("target.svg")
        let link = path("link.svg")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        for arguments in [
            ["localize", "--plot", link] + small + [sample], ["plot", "activity", sample, "-o", link] + small,
        ] {
            let out = try CommandTests.run(arguments)
            XCTAssertEqual(out.status, 0, out.stderr)
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target, "the link is kept")
            XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("<?xml"))
            try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        }
    }

    func testPictureIntoAFIFOIsWrittenThroughOrRefused() throws {
        let fifo = path("picture.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // No reader: an error at once, not a hang, and the FIFO stays a FIFO.
        let refused = try CommandTests.run(["plot", "activity", sample, "-o", fifo] + small)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(
            refused.stderr.hasPrefix("soundloc: \(fifo): cannot write: nothing is reading from this FIFO"),
            refused.stderr)
        // With a reader: the picture goes through the FIFO, which is not replaced by a file.
        let received = LockedData()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) { received.set(handle.readDataToEndOfFile()) }
        }
        reader.start()
        var written = try CommandTests.run(["plot", "activity", sample, "-o", fifo] + small)
        for _ in 0..<50 where written.status != 0 {
            // The reader thread may not have opened its end yet.
            usleep(100_000)
            written = try CommandTests.run(["plot", "activity", sample, "-o", fifo] + small)
        }
        XCTAssertEqual(written.status, 0, written.stderr)
        for _ in 0..<100 where received.get().isEmpty { usleep(50_000) }
        XCTAssertTrue(String(decoding: received.get(), as: UTF8.self).hasPrefix("<?xml"))
        var status = stat()
        XCTAssertEqual(lstat(fifo, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO)
    }

    func testCalibrationOutputsKeepLinksAndRefuseDirectories() throws {
        let target = path("cal-target.json")
        let link = path("cal.json")
        let source = path("source-target.swift")
        let sourceLink = path("source.swift")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try Data().write(to: URL(fileURLWithPath: source))
        try FileManager.default.createSymbolicLink(atPath: sourceLink, withDestinationPath: source)
        let quick = ["calibrate", "--step-deg", "30", "--duration", "0.1", "--sounds", "1"] + small
        let out = try CommandTests.run(quick + ["-o", link, "--swift-source", sourceLink])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: sourceLink), source)
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).contains("itdsSeconds"))
        XCTAssertTrue(try String(contentsOfFile: source, encoding: .utf8).contains("ITDCalibration"))
        let folder = try CommandTests.run(quick + ["-o", dir.path])
        XCTAssertEqual(folder.status, 1)
        XCTAssertTrue(
            folder.stderr.contains("soundloc: \(dir.path): cannot write calibration: is a directory"),
            folder.stderr)
    }
}

/// Bytes handed from a reader thread to the test.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.withLock { data = d } }
    func get() -> Data { lock.withLock { data } }
}
