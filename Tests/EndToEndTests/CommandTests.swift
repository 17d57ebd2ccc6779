import Foundation
import XCTest

/// Runs the built `soundloc` executable as a user would.
final class CommandTests: XCTestCase {
    static var executable: URL {
        Bundle.main.bundleURL.appendingPathComponent("soundloc")
    }
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Output {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = repository
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }

    /// Reads audio-samples/manifest.csv into (file, azimuth, condition).
    static func manifest() throws -> [(file: String, azimuth: Double, condition: String)] {
        let text = try String(
            contentsOf: repository.appendingPathComponent("audio-samples/manifest.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (f[0], Double(f[1])!, f[2])
        }
    }

    /// Issue 2: every bundled pure-ITD sample is localised within 5 degrees by the temporal code.
    func testBundledPureITDSamplesWithinFiveDegrees() throws {
        let rows = try Self.manifest().filter { $0.condition == "pure-itd" }
        XCTAssertGreaterThanOrEqual(rows.count, 4)
        // These samples carry the ITD of Woodworth's spherical head, so decode with that head
        // rather than the default KEMAR calibration.
        let out = try Self.run(
            ["localize", "--format", "csv", "--head-radius-cm", "8.75"] + rows.map { "audio-samples/" + $0.file })
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("file,temporal_azimuth_deg,rate_azimuth_deg"))
        XCTAssertEqual(lines.count, rows.count + 1)
        for (row, line) in zip(rows, lines.dropFirst()) {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(String(f[0]), "audio-samples/" + row.file)
            let az = try XCTUnwrap(Double(f[1]), line)
            XCTAssertEqual(az, row.azimuth, accuracy: 5, row.file)
        }
    }

    /// The energy columns follow from the counts and the stated per-event costs: 23.6 pJ per
    /// synaptic event; 0.1 pJ per counted spike plus 4.6 pJ per multiply-add.
    func testEnergyColumnsFollowFromTheCounts() throws {
        let out = try Self.run(["localize", "--format", "csv", "audio-samples/kemar-anechoic_noise_az45.wav"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let row = Dictionary(uniqueKeysWithValues: zip(lines[0], lines[1]))
        let events =
            try XCTUnwrap(Double(row["synaptic_events"] ?? "")) + XCTUnwrap(Double(row["lso_synaptic_events"] ?? ""))
        let spikes = try XCTUnwrap(Double(row["an_spikes"] ?? ""))
        let macs = try XCTUnwrap(Double(row["rate_macs"] ?? ""))
        let temporal = try XCTUnwrap(Double(row["temporal_energy_uj"] ?? ""))
        let rate = try XCTUnwrap(Double(row["rate_energy_nj"] ?? ""))
        XCTAssertGreaterThan(events, 0)
        // The CSV prints three decimals, so each figure is within half of 0.001 of the exact value;
        // 0.00051 leaves room for a tie like 52.6965 that binary floating point rounds either way.
        XCTAssertEqual(temporal, events * 23.6e-12 * 1e6, accuracy: 0.00051)
        XCTAssertEqual(rate, (spikes * 0.1e-12 + macs * 4.6e-12) * 1e9, accuracy: 0.00051)
    }

    func testHelpExplainsConventionAndUnits() throws {
        // Help is wrapped to the terminal width; compare with white space folded.
        func folded(_ s: String) -> String {
            s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        }
        let top = try Self.run(["--help"])
        XCTAssertEqual(top.status, 0)
        XCTAssertTrue(folded(top.stdout).contains("negative to the left"))
        XCTAssertTrue(folded(top.stdout).contains("cannot tell front from back"))
        let loc = folded(try Self.run(["localize", "--help"]).stdout)
        for needle in [
            "--rate-window-ms", "in milliseconds", "(default: 10.0)", "--seed", "in microseconds", "front from back",
        ] {
            XCTAssertTrue(loc.contains(needle), "localize --help lacks \(needle)")
        }
    }

    func testMissingAndMonoFilesGiveOneLineErrorsAndExitOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mono = dir.appendingPathComponent("mono.wav").path
        XCTAssertEqual(try Self.run(["synth", "noise", "-o", mono, "--duration", "0.2"]).status, 0)
        let out = try Self.run(["localize", mono, "/nonexistent/x.wav", "audio-samples/pure-itd_noise_az0.wav"])
        XCTAssertEqual(out.status, 1)
        let errors = out.stderr.split(separator: "\n")
        XCTAssertEqual(errors.count, 2)
        XCTAssertTrue(errors[0].hasPrefix("soundloc: \(mono): has 1 channel"), String(errors[0]))
        XCTAssertTrue(errors[1].hasPrefix("soundloc: /nonexistent/x.wav: "), String(errors[1]))
        // The good file still gets its answer.
        XCTAssertTrue(out.stdout.contains("pure-itd_noise_az0.wav"))
        XCTAssertTrue(out.stdout.contains("temporal code"))
    }
}

/// `--reference gcc-phat`: the third code's columns come after the existing ones, and its energy
/// follows from its multiply-accumulates at 4.6 pJ each.
final class ReferenceCommandTests: XCTestCase {
    func testLocalizeReferenceColumnsAndEnergy() throws {
        let out = try CommandTests.run([
            "localize", "--format", "csv", "--reference", "gcc-phat",
            "audio-samples/kemar-anechoic_noise_az45.wav",
        ])
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        XCTAssertEqual(Array(lines[0].prefix(15)).last, "status")
        XCTAssertEqual(
            Array(lines[0][15..<20]),
            ["gccphat_azimuth_deg", "gccphat_itd_us", "gccphat_peak", "gccphat_macs", "gccphat_energy_nj"])
        let row = Dictionary(uniqueKeysWithValues: zip(lines[0], lines[1]))
        let azimuth = try XCTUnwrap(Double(row["gccphat_azimuth_deg"] ?? ""))
        XCTAssertGreaterThan(azimuth, 0, "the source is on the right")
        let macs = try XCTUnwrap(Double(row["gccphat_macs"] ?? ""))
        // Three decimals printed: within half of 0.001 (0.00051 for ties rounded either way).
        XCTAssertEqual(try XCTUnwrap(Double(row["gccphat_energy_nj"] ?? "")), macs * 4.6e-12 * 1e9, accuracy: 0.00051)
        // Without the option the columns are there but empty.
        let plain = try CommandTests.run(["localize", "--format", "csv", "audio-samples/kemar-anechoic_noise_az45.wav"])
        let plainRow = plain.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(Array(plainRow[14..<20]), ["ok", "", "", "", "", ""])
    }

    func testLocalizeTextHasAThirdLine() throws {
        let out = try CommandTests.run([
            "localize", "--reference", "gcc-phat", "audio-samples/kemar-anechoic_noise_az45.wav",
        ])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("  GCC-PHAT (no spikes):         "), out.stdout)
        XCTAssertTrue(out.stdout.contains("degrees right  [ITD +"), out.stdout)
    }
}
