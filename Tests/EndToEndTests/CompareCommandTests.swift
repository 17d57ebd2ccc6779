import Foundation
import XCTest

/// `soundloc compare` run as a user would (through `CommandTests.run`), checked against
/// `soundloc localize` on the same files.
final class CompareCommandTests: XCTestCase {
    /// Rows of a CSV the commands print, by column name (their fields hold no commas or quotes).
    static func csv(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    func testCompareTableMatchesLocalizeOutput() throws {
        let samples = CommandTests.repository.appendingPathComponent("audio-samples").path
        let files = [
            "pure-itd_noise_az-60.wav", "pure-itd_noise_az20.wav", "pure-itd_harmonic_az45.wav",
            "pure-itd_harmonic_az-30.wav",
        ]
        let truths = [-60.0, 20, 45, -30]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Columns in another order, an extra column, a quoted field, and a missing file on line 6.
        var manifest = "azimuth_deg,note,file,condition\n"
        for (i, (f, az)) in zip(files, truths).enumerated() {
            manifest += "\(az),\"row, \(i)\",\(samples)/\(f),\(i < 2 ? "noise" : "harmonic")\n"
        }
        manifest += "10,gone,\(dir.path)/missing.wav,noise\n"
        try manifest.write(to: dir.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)

        let model = ["--cochlear-channels", "16", "--seed", "3"]
        let compare = try CommandTests.run(
            ["compare", dir.path, "--format", "csv", "--calibration-step-deg", "45", "--jobs", "2"] + model)
        XCTAssertEqual(compare.status, 1, "a missing file makes the exit status 1")
        XCTAssertTrue(compare.stderr.contains("manifest.csv:6: "), compare.stderr)
        XCTAssertTrue(compare.stderr.contains("missing.wav: no such file"), compare.stderr)
        let rows = Self.csv(compare.stdout)
        XCTAssertEqual(rows.map { $0["condition"]! }, ["noise", "harmonic", "all"])

        let localize = try CommandTests.run(
            ["localize", "--format", "csv", "--reference", "gcc-phat"]
                + files.map { "\(samples)/\($0)" } + model)
        XCTAssertEqual(localize.status, 0, localize.stderr)
        let located = Self.csv(localize.stdout)
        let temporal = located.map { Double($0["temporal_azimuth_deg"]!)! }
        // compare counts every synapse of the temporal path: the detectors' and the level path's.
        let events = located.map { Double($0["synaptic_events"]!)! + Double($0["lso_synaptic_events"]!)! }
        // compare runs GCC-PHAT by default; no answer counts as 90 degrees off.
        let reference = located.map { Double($0["gccphat_azimuth_deg"]!) }

        // Independent recomputation of the temporal columns from localize's answers.
        for (row, indices) in zip(rows, [[0, 1], [2, 3], [0, 1, 2, 3]]) {
            let errors = indices.map { temporal[$0] - truths[$0] }
            let mae = errors.map(abs).reduce(0, +) / Double(errors.count)
            let rms = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
            let bias = errors.reduce(0, +) / Double(errors.count)
            let within5 = 100 * Double(errors.filter { abs($0) <= 5 }.count) / Double(errors.count)
            // 0.02 degrees: localize prints azimuths to 0.01, compare its statistics to 0.01.
            XCTAssertEqual(Double(row["temporal_mae_deg"]!)!, mae, accuracy: 0.02)
            XCTAssertEqual(Double(row["temporal_rms_deg"]!)!, rms, accuracy: 0.02)
            XCTAssertEqual(Double(row["temporal_bias_deg"]!)!, bias, accuracy: 0.02)
            XCTAssertEqual(Double(row["temporal_within5_pct"]!)!, within5)
            XCTAssertEqual(row["files"], "\(indices.count)")
            let referenceErrors = indices.map { i in reference[i].map { abs($0 - truths[i]) } ?? 90 }
            XCTAssertEqual(
                Double(row["gccphat_mae_deg"]!)!, referenceErrors.reduce(0, +) / Double(indices.count), accuracy: 0.02)
            // Synaptic events are counts; their mean is printed rounded to a whole event.
            XCTAssertEqual(
                Double(row["synaptic_events"]!)!, indices.map { events[$0] }.reduce(0, +) / Double(indices.count),
                accuracy: 0.5)
            // Energy: 23.6 pJ per synaptic event (Davies et al. 2018); printed to 0.001 uJ.
            XCTAssertEqual(
                Double(row["temporal_energy_uj"]!)!, Double(row["synaptic_events"]!)! * 23.6e-6,
                accuracy: 0.001 + 0.5 * 23.6e-6)
        }

        // The rate columns, recomputed from the per-file answers compare reports in JSON.
        let json = try CommandTests.run(
            ["compare", dir.path, "--format", "json", "--calibration-step-deg", "45", "--jobs", "1"] + model)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let perFile = try XCTUnwrap(document["files"] as? [[String: Any]]).filter { $0["error"] == nil }
        XCTAssertEqual(perFile.count, 4)
        let rate = perFile.map { (($0["rate_azimuth_deg"] as? [Any])?.first as? Double) }
        let rateErrors = zip(rate, truths).map { r, t in r.map { abs($0 - t) } ?? 90 }
        XCTAssertEqual(Double(rows[2]["rate_mae_deg"]!)!, rateErrors.reduce(0, +) / 4, accuracy: 0.01)
        // --jobs 1 and --jobs 2 give the same answers in the same order.
        let jsonRows = try XCTUnwrap(document["rows"] as? [[String: Any]])
        XCTAssertEqual(jsonRows.count, 3)
        XCTAssertEqual(jsonRows[2]["rate_mae_deg"] as? Double, Double(rows[2]["rate_mae_deg"]!))
        XCTAssertEqual(
            perFile.map { $0["temporal_azimuth_deg"] as? Double }.map { $0.map { ($0 * 100).rounded() / 100 } },
            temporal.map { Optional($0) })
    }

    /// A pure delay between two free-field microphones 0.18 m apart, source at 40 degrees (ITD =
    /// 0.18 sin(40) / 343 = 337 us). As a `receiver=mics` row it is mapped through the pair:
    /// the temporal code within 3 degrees (at 40 degrees one degree is 7 us of ITD for this
    /// spacing, and the design's pure-ITD resolution is 10-20 us), GCC-PHAT within 1 degree (its
    /// own tests hold it to 1 us, 0.15 degree here). The same file as a head row goes through the
    /// KEMAR curve instead and lands elsewhere. `--by head` gives one row per head; an unknown
    /// column is refused with the manifest's columns named.
    func testMicrophoneRowsAndGroupingByHead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("compare-mics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mono = dir.appendingPathComponent("n.wav").path
        let mics = dir.appendingPathComponent("m40.wav").path
        XCTAssertEqual(
            try CommandTests.run(["synth", "noise", "-o", mono, "--duration", "0.5", "--seed", "41"]).status, 0)
        let render = try CommandTests.run(["render", mono, "--azimuth", "40", "--mics", "0.18", "-o", mics])
        XCTAssertEqual(render.status, 0, render.stderr)
        try """
        file,azimuth_deg,condition,head,receiver,mic_spacing_m
        m40.wav,40,anechoic,mics-0.18m,mics,0.18
        m40.wav,40,anechoic,kemar,head,

        """.write(to: dir.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
        let model = ["--cochlear-channels", "16", "--jobs", "2"]
        let out = try CommandTests.run(["compare", dir.path, "--by", "head", "--format", "csv"] + model)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.hasPrefix("head,rate_window_ms,files,"), out.stdout)
        let rows = Self.csv(out.stdout)
        XCTAssertEqual(rows.map { $0["head"]! }, ["mics-0.18m", "kemar", "all"])
        XCTAssertEqual(rows.map { $0["files"]! }, ["1", "1", "2"])
        let micError = try XCTUnwrap(Double(rows[0]["temporal_bias_deg"]!))
        XCTAssertEqual(micError, 0, accuracy: 3)
        XCTAssertEqual(try XCTUnwrap(Double(rows[0]["gccphat_bias_deg"]!)), 0, accuracy: 1)
        let headError = try XCTUnwrap(Double(rows[1]["temporal_bias_deg"]!))
        XCTAssertGreaterThan(abs(headError - micError), 3, "the head row must not be read through the pair")

        let json = try CommandTests.run(["compare", dir.path, "--by", "head,receiver", "--format", "json"] + model)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let jsonRows = try XCTUnwrap(document["rows"] as? [[String: Any]])
        XCTAssertEqual(jsonRows.map { $0["receiver"] as? String }, ["mics", "head", "all"])
        XCTAssertEqual(document["group_by"] as? [String], ["head", "receiver"])
        let text = try CommandTests.run(["compare", dir.path, "--by", "head,receiver"] + model)
        XCTAssertTrue(text.stdout.contains("mics-0.18m/mics "), text.stdout)

        let bad = try CommandTests.run(["compare", dir.path, "--by", "head,room"] + model)
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertTrue(
            bad.stderr.contains("'room'") && bad.stderr.contains("file, azimuth_deg, condition, head"), bad.stderr)
        let clash = try CommandTests.run(["compare", dir.path, "--by", "files"])
        XCTAssertNotEqual(clash.status, 0)
        XCTAssertTrue(clash.stderr.contains("--by"), clash.stderr)
    }

    /// Issue 16: one rate answer. `localize` and `compare` read the rate code with the same shipped
    /// trained read-out, so for the same file and seed they print the same rate azimuth.
    func testLocalizeAndCompareGiveTheSameRateAnswer() throws {
        let samples = CommandTests.repository.appendingPathComponent("audio-samples").path
        let files = ["kemar-anechoic_noise_az-60.wav", "kemar-anechoic_harmonic_az30.wav"]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rate-answer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = "file,azimuth_deg\n" + zip(files, [-60, 30]).map { "\(samples)/\($0),\($1)\n" }.joined()
        try manifest.write(to: dir.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)

        let seed = ["--seed", "7"]
        let compare = try CommandTests.run(["compare", dir.path, "--format", "json", "--jobs", "2"] + seed)
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(document["rows"] as? [[String: Any]])
        XCTAssertEqual(
            rows.first?["rate_readout"] as? String, "trained", "compare reads the shipped read-out without calibrating")
        XCTAssertTrue((document["rate_calibrations"] as? [Any])?.isEmpty ?? false)
        let perFile = try XCTUnwrap(document["files"] as? [[String: Any]])
        let fromCompare = perFile.map { ($0["rate_azimuth_deg"] as? [Any])?.first as? Double }

        let localize = try CommandTests.run(
            ["localize", "--format", "csv"] + files.map { "\(samples)/\($0)" } + seed)
        XCTAssertEqual(localize.status, 0, localize.stderr)
        let fromLocalize = Self.csv(localize.stdout).map { Double($0["rate_azimuth_deg"]!) }
        XCTAssertEqual(fromLocalize.count, 2)
        for (l, c) in zip(fromLocalize, fromCompare) {
            let l = try XCTUnwrap(l)
            let c = try XCTUnwrap(c)
            // localize prints two decimals; compare's JSON carries the full value.
            XCTAssertEqual(l, c, accuracy: 0.005 + 1e-9)
        }
        // The uncalibrated lag read-out stays available by name and is another answer.
        let lag = try CommandTests.run(
            ["localize", "--format", "csv", "--rate-readout", "lag", "\(samples)/\(files[0])"] + seed)
        XCTAssertEqual(lag.status, 0, lag.stderr)
        XCTAssertNotNil(Double(Self.csv(lag.stdout)[0]["rate_azimuth_deg"]!))
    }
}
