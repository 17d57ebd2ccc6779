import DSP
import Foundation
import FuzzSupport
import HRTF
import XCTest

/// Random mutations of a small valid SOFA file, opened through libmysofa: every input must end in
/// impulse responses without NaN or infinity, or in a `SofaError`, never in a crash or a hang.
///
/// The seed file, `Fixtures/fuzz-seed.sofa` (8 directions, 64 taps at 48 kHz), is made by
/// `scripts/make-small-sofa.py`: the shipped heads take 0.4-2 s each to open, this one about a
/// millisecond. Inputs and seed: `Fuzz` (`scripts/fuzz.sh sofa` runs 100,000).
final class SofaFuzzTests: XCTestCase {
    static let seedFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-seed.sofa").path

    func testMutatedSofaFilesNeverCrashOrGiveNaN() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "soundloc-sofa-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.seedFile)))
        // The unmutated seed opens, so the refusals below are the mutations' doing.
        XCTAssertEqual(try SofaFile(path: Self.seedFile, sampleRateHz: 48000).measurementCount, 8)

        var generator = SeededGenerator(seed: Fuzz.seed)
        let path = dir.appendingPathComponent("input.sofa").path
        var outcomes: [String: Int] = [:]
        for n in 0..<Fuzz.inputs {
            Fuzz.progress(n, target: "sofa")
            try Data(Fuzz.mutate(original, headerBytes: 0, generator: &generator)).write(to: URL(fileURLWithPath: path))
            // Every other input is resampled on opening (libmysofa's resampler sees the damage too).
            let rate: Double = n % 2 == 0 ? 48000 : 44100
            do {
                // 1 s is thousands of times what the seed takes to parse (0.2 ms); it keeps a run of hangs short.
                let file = try SofaFile(path: path, sampleRateHz: rate, parseTimeLimitSeconds: 1)
                for azimuth in [-90.0, -30, 0, 45, 90, 180] {
                    let ir = file.impulseResponse(azimuthDegrees: azimuth, elevationDegrees: azimuth / 9)
                    XCTAssertFalse(ir.left.isEmpty || ir.right.isEmpty, "input \(n)")
                    XCTAssertTrue(ir.left.allSatisfy(\.isFinite) && ir.right.allSatisfy(\.isFinite), "input \(n)")
                    XCTAssertTrue(ir.azimuthDegrees.isFinite && ir.elevationDegrees.isFinite, "input \(n)")
                }
                outcomes["opened", default: 0] += 1
            } catch let error as SofaError {
                XCTAssertFalse(error.description.contains("\n"), "input \(n): \(error)")
                outcomes[Self.kind(error), default: 0] += 1
            }
        }
        print(Fuzz.summary(outcomes, target: "sofa"))
        // As in the audio fuzz: both paths must be exercised, or the mutations fuzz nothing.
        let opened = outcomes["opened", default: 0]
        XCTAssertGreaterThan(opened, 0, "no mutated file opened")
        XCTAssertLessThan(opened, Fuzz.inputs, "no mutated file was refused")
    }

    /// The outcome's name without its numbers, so that like refusals count together.
    static func kind(_ error: SofaError) -> String {
        switch error {
        case .cannotOpen(_, let code, let reason): return "cannot open: \(reason) (\(code))"
        case .unusable(_, let reason): return "unusable: " + reason.prefix(while: { !$0.isNumber && $0 != ":" })
        }
    }
}

/// What the SOFA fuzz test found (seed 1), each input kept in `Fixtures/`.
final class SofaFuzzFindingsTests: XCTestCase {
    func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// Among the first inputs: libmysofa's HDF5 reader seeks past the end four bytes at a time
    /// without end. The child process that opens it first is killed after the time limit.
    func testAFileOnWhichLibmysofaLoopsIsRefusedInTime() throws {
        let path = fixture("libmysofa-loops.sofa")
        let start = Date()
        XCTAssertThrowsError(try SofaFile(path: path, sampleRateHz: 48000, parseTimeLimitSeconds: 1)) { error in
            XCTAssertEqual(
                error as? SofaError,
                .unusable(
                    path: path, reason: "libmysofa did not finish reading it within 1.0 s; the file looks damaged"))
        }
        // The limit and the child's clean-up, with room for a loaded machine; without the child
        // this call never returned.
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// After 57 s of the 100,000-input run: a file whose Data.Delay variable lost its name opened,
    /// and the first impulse response crashed (a null pointer in mysofa_getfilter_float_nointerp).
    func testAFileWithoutDelaysIsRefused() throws {
        let path = fixture("no-data-delay.sofa")
        XCTAssertThrowsError(try SofaFile(path: path, sampleRateHz: 48000)) { error in
            XCTAssertEqual(
                error as? SofaError,
                .unusable(path: path, reason: "Data.Delay holds 0 values where 2 or 16 belong; the file looks damaged"))
        }
    }
}
