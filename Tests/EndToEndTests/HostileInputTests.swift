import Foundation
import XCTest

/// Issue 17: special files, damaged files, absurd option values and odd names, tried through the
/// built executable. Each gets an answer or one line naming the file and the problem, in bounded time.
final class HostileInputTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs soundloc (through `sh -c` when `shell` is given, for names Foundation cannot pass) and
    /// fails instead of waiting when it has not ended after `seconds`: a hang is a test failure.
    func run(
        _ arguments: [String], shell: String? = nil, seconds: Double = 60,
        line: UInt = #line
    ) throws -> CommandTests.Output {
        let p = Process()
        if let shell {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", shell, "sh", CommandTests.executable.path]
        } else {
            p.executableURL = CommandTests.executable
            p.arguments = arguments
        }
        p.currentDirectoryURL = dir
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var timedOut = false
        let timer = DispatchWorkItem {
            if p.isRunning {
                timedOut = true
                p.terminate()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        XCTAssertFalse(timedOut, "soundloc \(arguments) did not finish within \(seconds) s", line: line)
        return CommandTests.Output(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }

    /// A stereo file with the right ear 300 us ahead (0.3 s at 44.1 kHz).
    func goodFile(_ name: String = "good.wav") throws -> String {
        let mono = path("mono-\(name)")
        XCTAssertEqual(try run(["synth", "noise", "-o", mono, "--duration", "0.3"]).status, 0)
        XCTAssertEqual(try run(["render", mono, "-o", path(name), "--itd-us", "300"]).status, 0)
        return path(name)
    }

    func fifo(_ name: String) -> String {
        let p = path(name)
        XCTAssertEqual(mkfifo(p, 0o600), 0)
        return p
    }

    // MARK: hangs

    func testFIFOAndDeviceInABatchAreRefusedAndTheOthersRun() throws {
        let good = try goodFile()
        let pipe = fifo("stalled.wav")
        let out = try run(["localize", "--format", "csv", pipe, "/dev/zero", good])
        XCTAssertEqual(out.status, 1)
        let errors = out.stderr.split(separator: "\n")
        XCTAssertEqual(errors.count, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("soundloc: \(pipe): is a FIFO (named pipe), not a regular file"), out.stderr)
        XCTAssertTrue(out.stderr.contains("soundloc: /dev/zero: is a device, not a regular file"), out.stderr)
        XCTAssertTrue(out.stdout.contains("\(good),"), out.stdout)
    }

    func testFIFOAsHRTFCalibrationOrManifestEntryIsRefused() throws {
        let good = try goodFile()
        let pipe = fifo("stalled.sofa")
        let mono = path("mono-good.wav")
        let render = try run(["render", mono, "-o", path("out.wav"), "--azimuth", "20", "--hrtf", pipe])
        XCTAssertEqual(render.status, 1)
        XCTAssertTrue(
            render.stderr.hasPrefix("soundloc: \(pipe): cannot read as a SOFA HRTF file: is a FIFO"), render.stderr)
        let calibration = try run(["localize", "--calibration", pipe, good])
        XCTAssertNotEqual(calibration.status, 0)
        XCTAssertTrue(calibration.stderr.contains("\(pipe): cannot read calibration: is a FIFO"), calibration.stderr)
        let listed = fifo("listed.wav")
        try Data("file,azimuth_deg\n\(good),30\n\(listed),10\n".utf8).write(to: URL(fileURLWithPath: path("m.csv")))
        let compare = try run(["compare", path("m.csv"), "--jobs", "1", "--reference", "none"], seconds: 300)
        XCTAssertEqual(compare.status, 1)
        XCTAssertTrue(compare.stderr.contains("\(listed): is a FIFO"), compare.stderr)
    }

    func testTrainRateRejectsBadOptionsBeforeRendering() throws {
        // Seeds below 100 overlap the bundled samples' (11-24); fibres come in one group or two.
        let cases = [
            "--mix-seed=5", "--mix-seed=-1", "--mix-seed=1000000000001", "--fibre-groups=3", "--fibre-groups=0",
        ]
        for option in cases {
            let out = try run(["train-rate", "-o", path("m.json"), option], seconds: 20)
            XCTAssertEqual(out.status, 64, out.stderr)
            XCTAssertTrue(out.stderr.contains(String(option.prefix { $0 != "=" })), out.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.json")))
        }
    }

    func testSynthWithAbsurdValuesEndsQuickly() throws {
        // Before issue 17, --f0 0.001 asked for 5 million harmonics (never finished) and 1e-300 trapped.
        for (kind, f0) in [("harmonic", "0.001"), ("speechlike", "1e-300")] {
            let out = try run(["synth", kind, "-o", path("x.wav"), "--duration", "0.1", "--f0", f0], seconds: 20)
            XCTAssertEqual(out.status, 64, out.stderr)
            XCTAssertTrue(out.stderr.contains("--f0 must be at least 20 Hz"), out.stderr)
        }
        // Slow clicks are a real request: one click or none, at once.
        let clicks = try run(
            ["synth", "clicks", "-o", path("c.wav"), "--duration", "0.1", "--f0", "1e-300"], seconds: 20)
        XCTAssertEqual(clicks.status, 0, clicks.stderr)
        for duration in ["nan", "3000"] {
            let out = try run([
                "synth", "noise", "-o", path("n.wav"), "--duration", duration, "--sample-rate", "192000",
            ])
            XCTAssertEqual(out.status, 64, out.stderr)
            XCTAssertTrue(out.stderr.contains("--duration"), out.stderr)
        }
    }

    // MARK: crashes

    func testDamagedSofaIsRefusedByRenderAndCalibrate() throws {
        let damaged = path("damaged.sofa")
        let script = CommandTests.repository.appendingPathComponent("scripts/damage-sofa.py").path
        let ari = CommandTests.repository.appendingPathComponent("data/hrtf/ARI_NH2_dtf.sofa").path
        let made = try run([], shell: "python3 '\(script)' '\(ari)' '\(damaged)' nan 50")
        guard made.status == 0 else { throw XCTSkip("python3 is needed to damage the SOFA file: \(made.stderr)") }
        _ = try goodFile()
        let render = try run([
            "render", path("mono-good.wav"), "-o", path("out.wav"), "--azimuth", "30", "--hrtf", damaged,
        ])
        XCTAssertEqual(render.status, 1)
        XCTAssertTrue(
            render.stderr.hasPrefix("soundloc: \(damaged): unusable SOFA HRTF file: impulse-response coefficient"),
            render.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.wav")))
        let calibrate = try run([
            "calibrate", "--sofa", damaged, "-o", path("cal.json"), "--step-deg", "30",
            "--duration", "0.1", "--sounds", "1",
        ])
        XCTAssertEqual(calibrate.status, 1, calibrate.stderr)
        XCTAssertTrue(calibrate.stderr.contains("unusable SOFA HRTF file"), calibrate.stderr)
    }

    // MARK: meaningless inputs

    func testManifestWithAHeaderAndNoRowsIsRefused() throws {
        for (name, text) in [
            ("header-only.csv", "file,azimuth_deg\n"), ("blank-rows.csv", "file,azimuth_deg,condition\n\n\n"),
        ] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
            let out = try run(["compare", path(name)])
            XCTAssertEqual(out.status, 1)
            XCTAssertEqual(
                out.stderr, "soundloc: \(path(name)): the manifest has a header but no rows (nothing to score)\n")
            XCTAssertFalse(out.stdout.contains("0.0"), out.stdout)
        }
    }

    func testNonMonotonicOrFlatCalibrationIsRefused() throws {
        let good = try goodFile()
        let cases = [
            (
                "falls.json", #"{"azimuthsDegrees":[-90,0,45,90],"itdsSeconds":[-7e-4,4e-4,1e-4,7e-4],"source":"x"}"#,
                "not monotonic"
            ),
            ("flat.json", #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[-1e-300,1e-300],"source":"x"}"#, "span only"),
        ]
        for (name, text, reason) in cases {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
            let out = try run(["localize", "--calibration", path(name), good])
            XCTAssertNotEqual(out.status, 0)
            XCTAssertTrue(
                out.stderr.contains("\(path(name)): not a usable calibration: ") && out.stderr.contains(reason),
                out.stderr)
            XCTAssertEqual(out.stdout, "")
        }
    }

    /// A bad `--calibration` or `--rate-model` file is one line naming it and the problem, exit
    /// status 1, as every other bad file; it was ArgumentParser's four lines of error, help and usage.
    func testBadModelFilesAreOneLineNamingTheFile() throws {
        let good = try goodFile()
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path("text.json")))
        try Data(#"{"azimuthsDegrees":[-90,90],"itdsSeconds":[7e-4,-7e-4],"source":"x"}"#.utf8)
            .write(to: URL(fileURLWithPath: path("reversed.json")))
        let cases = [
            (
                "--calibration", path("text.json"),
                "not a usable calibration: not the JSON that soundloc calibrate writes"
            ),
            ("--calibration", path("reversed.json"), "not a usable calibration: the ITD must grow from left to right"),
            ("--calibration", path("missing.json"), "cannot read calibration: "),
            (
                "--rate-model", path("text.json"),
                "not a usable calibration: not the JSON that soundloc train-rate writes"
            ),
        ]
        for (option, file, reason) in cases {
            for command in [["localize", good], ["plot", "activity", good, "-o", path("a.svg")]] {
                let out = try run(command + [option, file])
                XCTAssertEqual(out.status, 1, "\(command[0]) \(option) \(file): \(out.stderr)")
                XCTAssertTrue(out.stderr.hasPrefix("soundloc: \(file): \(reason)"), out.stderr)
                XCTAssertEqual(out.stderr.filter { $0 == "\n" }.count, 1, out.stderr)
                XCTAssertEqual(out.stdout, "")
            }
        }
    }

    /// A TMPDIR that is no folder: commands whose temporary files go beside their output (plot -o,
    /// --plot) are not affected, and bench, which keeps its workload in TMPDIR, says so in one line
    /// (it printed Foundation's error, and created a missing TMPDIR).
    func testBadTMPDIRIsOneLineOrNoMatter() throws {
        let good = try goodFile()
        try Data("x".utf8).write(to: URL(fileURLWithPath: path("a-file")))
        for (tmp, what) in [(path("missing"), "does not exist"), (path("a-file"), "is not a directory")] {
            let env = "TMPDIR='\(tmp)'"
            let plot = try run([], shell: "\(env) \"$1\" plot activity '\(good)' -o '\(path("p.svg"))'")
            XCTAssertEqual(plot.status, 0, plot.stderr)
            let localize = try run([], shell: "\(env) \"$1\" localize '\(good)' --plot '\(path("q.svg"))'")
            XCTAssertEqual(localize.status, 0, localize.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("q.svg")))
            let bench = try run([], shell: "\(env) \"$1\" bench --only null --null-seeds 1")
            XCTAssertEqual(bench.status, 1)
            XCTAssertEqual(
                bench.stderr,
                "soundloc: TMPDIR \(tmp): \(what); bench needs a folder for its temporary files (set TMPDIR to one)\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("missing")), "bench made the missing TMPDIR")
        }
    }

    /// compare reads a manifest's files as they are: its refusals of a mono and a four-channel file
    /// name no option it does not accept (it once advised --channels). The options it accepts are
    /// read from its --help.
    func testCompareHintsNameOnlyOptionsCompareAccepts() throws {
        XCTAssertEqual(try run(["synth", "noise", "-o", path("mono.wav"), "--duration", "0.3"]).status, 0)
        // Four channels of 16-bit PCM, 0.1 s at 44.1 kHz, all zero: the channel count is refused first.
        let frames = 4410
        var wav = Data("RIFF".utf8)
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { wav.append(contentsOf: $0) } }
        le(UInt32(36 + frames * 8))
        wav.append(contentsOf: Array("WAVEfmt ".utf8))
        le(UInt32(16))
        le(UInt16(1))
        le(UInt16(4))
        le(UInt32(44100))
        le(UInt32(44100 * 8))
        le(UInt16(8))
        le(UInt16(16))
        wav.append(contentsOf: Array("data".utf8))
        le(UInt32(frames * 8))
        wav.append(Data(count: frames * 8))
        try wav.write(to: URL(fileURLWithPath: path("quad.wav")))
        try Data("file,azimuth_deg\n\(path("mono.wav")),10\n\(path("quad.wav")),20\n".utf8)
            .write(to: URL(fileURLWithPath: path("m.csv")))

        let help = try run(["compare", "--help"]).stdout
        let accepted = Set(Self.options(in: help))
        XCTAssertTrue(accepted.contains("--jobs") && accepted.contains("--reference"), help)  // the help was read
        let out = try run(["compare", path("m.csv"), "--jobs", "1", "--reference", "none"], seconds: 300)
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(
            out.stderr.contains("mono.wav: has 1 channel") && out.stderr.contains("quad.wav: has 4 channels"),
            out.stderr)
        let named = Self.options(in: out.stderr + out.stdout)
        XCTAssertEqual(named.filter { !accepted.contains($0) }, [], out.stderr)
        // localize, which accepts --channels, still gives the advice: the check above can fail.
        let localize = try run(["localize", path("quad.wav")])
        XCTAssertTrue(Self.options(in: localize.stderr).contains("--channels"), localize.stderr)
    }

    /// The long options named in `text`: `--` and letters, digits and inner dashes.
    static func options(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "--") {
            let name = rest[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if let first = name.first, first.isLetter { found.append("--" + name.trimmingCharacters(in: ["-"])) }
            rest = rest[r.upperBound...].dropFirst(name.count)
        }
        return found
    }

    // MARK: names

    func testSymlinkLoopAndNonUTF8NameAreNamedAsSuch() throws {
        try FileManager.default.createSymbolicLink(atPath: path("loop1.wav"), withDestinationPath: path("loop2.wav"))
        try FileManager.default.createSymbolicLink(atPath: path("loop2.wav"), withDestinationPath: path("loop1.wav"))
        let loop = try run(["localize", path("loop1.wav")])
        XCTAssertEqual(loop.status, 1)
        XCTAssertEqual(
            loop.stderr, "soundloc: \(path("loop1.wav")): symbolic link loop (too many levels of symbolic links)\n")
        // A Latin-1 name (0xFF is not UTF-8) made by the shell, which passes the bytes unchanged.
        let latin = try run(
            [], shell: "printf x > \"$(printf 'caf\\351.wav')\"; \"$1\" localize \"$(printf 'caf\\351.wav')\"")
        XCTAssertEqual(latin.status, 1)
        XCTAssertTrue(latin.stderr.contains("its name is not valid UTF-8"), latin.stderr)
        XCTAssertEqual(latin.stderr.split(separator: "\n").count, 1, latin.stderr)
    }

    func testFileNamedLikeAnOptionIsAFileInABatch() throws {
        let good = try goodFile()
        try FileManager.default.copyItem(atPath: good, toPath: path("-high.wav"))
        // Run in the folder, as `soundloc localize *.wav` would give it.
        let out = try run(["localize", "--format", "csv", "good.wav", "-high.wav"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("\n./-high.wav,"), out.stdout)
        XCTAssertFalse(out.stdout.contains("OVERVIEW"))
        // After --, every argument is a file, whatever it looks like.
        let terminated = try run(["localize", "--format", "csv", "--", "-high.wav", "-h"])
        XCTAssertEqual(terminated.status, 1)
        XCTAssertTrue(terminated.stdout.contains("\n-high.wav,"), terminated.stdout)
        XCTAssertTrue(terminated.stderr.contains("soundloc: -h: no such file"), terminated.stderr)
    }
}
