import Foundation
import XCTest

/// `soundloc render` and `soundloc calibrate`, run as a user would.
final class RenderCalibrateCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "soundloc-render-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Two free-field microphones 0.2 m apart, source at 30 degrees: ITD = 0.2 sin(30) / 343 =
    /// 291.5 us. Rendered with --mics and decoded with the same --mics, the temporal code must land
    /// within 2 degrees (about 17 us at 30 degrees for this spacing; the pure-ITD resolution
    /// the design asks for near the midline is 10 us).
    func testRenderWithMicrophonesRoundTripsThroughLocalize() throws {
        let mono = path("noise.wav")
        let stereo = path("mics30.wav")
        XCTAssertEqual(
            try CommandTests.run(["synth", "noise", "-o", mono, "--duration", "0.5", "--seed", "31"]).status, 0)
        let render = try CommandTests.run(["render", mono, "--azimuth", "30", "--mics", "0.2", "-o", stereo])
        XCTAssertEqual(render.status, 0, render.stderr)
        let out = try CommandTests.run(["localize", "--format", "csv", "--mics", "0.2", stereo])
        XCTAssertEqual(out.status, 0, out.stderr)
        let fields = out.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(try XCTUnwrap(Double(fields[1])), 30, accuracy: 2)
    }

    /// A source rendered at -45 degrees through KEMAR, with 20 dB SNR, read with the default
    /// (KEMAR-calibrated) head: within 5 degrees, the tolerance of the pure-ITD end-to-end test
    /// (the held-out check measured 1.5 degrees mean, 10.7 at worst, at this SNR).
    func testRenderThroughKEMARIsLocalisedOnTheLeft() throws {
        let mono = path("noise.wav")
        let stereo = path("kemar-45.wav")
        XCTAssertEqual(
            try CommandTests.run(["synth", "noise", "-o", mono, "--duration", "0.5", "--seed", "32"]).status, 0)
        let render = try CommandTests.run([
            "render", mono, "--azimuth", "-45", "--snr", "20", "--seed", "33", "-o", stereo,
        ])
        XCTAssertEqual(render.status, 0, render.stderr)
        let out = try CommandTests.run(["localize", "--format", "csv", stereo])
        let fields = out.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(try XCTUnwrap(Double(fields[1])), -45, accuracy: 5)
    }

    func testBadSofaFileGivesOneLineErrorNamingIt() throws {
        let mono = path("noise.wav")
        let notSofa = path("not.sofa")
        XCTAssertEqual(try CommandTests.run(["synth", "noise", "-o", mono, "--duration", "0.1"]).status, 0)
        try "not hdf5".write(toFile: notSofa, atomically: true, encoding: .utf8)
        for arguments in [
            ["render", mono, "--azimuth", "10", "--hrtf", notSofa, "-o", path("x.wav")],
            ["calibrate", "--sofa", notSofa, "-o", path("c.json")],
        ] {
            let out = try CommandTests.run(arguments)
            XCTAssertEqual(out.status, 1, arguments[0])
            let lines = out.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, out.stderr)
            XCTAssertTrue(out.stderr.contains(notSofa), out.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.wav")))
    }
}
