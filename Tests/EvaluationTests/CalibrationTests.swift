import Decoding
import Evaluation
import Foundation
import HRTF
import Pipeline
import Stimuli
import XCTest

final class CalibrationTests: XCTestCase {
    func kemar() throws -> SofaFile { try SofaFile(path: SofaFile.defaultKEMARPath, sampleRateHz: 44100) }

    /// The shipped KEMAR table, scored on renderings it never saw (held-out noise seed, 20 dB SNR
    /// per ear, 0.3 s) at a few azimuths. The full check (`soundloc calibrate --check`, 37
    /// azimuths, 0.5 s) measured 1.5 degrees; 0.3 s sounds carry fewer spikes, so the estimate
    /// scatters more: 4 degrees is twice the design target. Woodworth's sphere on the same ITDs
    /// must do clearly worse (it measured 7.5 degrees), else the calibration adds nothing.
    func testShippedCalibrationOnHeldOutKEMARRenderings() throws {
        var check = CalibrationCheck(configuration: LocalizerConfiguration())
        check.azimuthsDegrees = [-80, -45, -15, 0, 20, 50, 75]
        check.sounds = [CalibrationCheck.heldOutSounds[0]]
        check.conditions = [.init(name: "20 dB SNR", snrDecibels: 20)]
        check.durationSeconds = 0.3
        let score = try XCTUnwrap(check.run(sofa: try kemar(), headModels: [.calibrated(.kemar), .standardHead]).first)
        print(
            "held-out KEMAR subset, 20 dB SNR: calibrated MAE \(score.meanAbsoluteErrorDegrees[0]) deg, Woodworth \(score.meanAbsoluteErrorDegrees[1]) deg"
        )
        XCTAssertEqual(score.misses, 0)
        XCTAssertLessThanOrEqual(score.meanAbsoluteErrorDegrees[0], 4)
        XCTAssertLessThan(score.meanAbsoluteErrorDegrees[0], score.meanAbsoluteErrorDegrees[1] / 2)
    }

    /// A small calibration learned afresh: its ITD grows with azimuth, is antisymmetric (this
    /// KEMAR file is the mirror image of one ear, so the acoustic ITDs are exactly antisymmetric
    /// and only the model's spike scatter breaks the symmetry), and at 60 degrees lies between
    /// the acoustic broadband ITD (0.51 ms by cross-correlation) and the low-frequency one, which
    /// is up to about 1.5 times larger (Kuhn 1977).
    func testBuilderLearnsAMonotonicAntisymmetricCurve() throws {
        var builder = CalibrationBuilder(configuration: LocalizerConfiguration())
        builder.azimuthsDegrees = [-90, -60, -30, 0, 30, 60, 90]
        builder.sounds = [SeededSound(.whiteNoise, seed: 9001)]
        builder.durationSeconds = 0.3
        let calibration = try builder.build(sofa: try kemar())
        XCTAssertEqual(calibration.azimuthsDegrees, builder.azimuthsDegrees)
        let itd = calibration.itdsSeconds
        for k in 1..<itd.count { XCTAssertGreaterThan(itd[k], itd[k - 1]) }
        // 60 us is about 6 degrees near the midline: well above the spike scatter of one 0.3 s
        // noise, well below the 250-300 us between neighbouring 30-degree points.
        for k in 0..<3 { XCTAssertEqual(itd[k], -itd[6 - k], accuracy: 60e-6) }
        XCTAssertEqual(itd[3], 0, accuracy: 30e-6)
        XCTAssertGreaterThan(itd[5], 0.45e-3)
        XCTAssertLessThan(itd[5], 0.77e-3)
        XCTAssertTrue(calibration.source.contains("MIT_KEMAR_normal_pinna.sofa"))
    }

    func testCalibrationFileRoundTripAndBadFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-cal-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.json").path
        try CalibrationFile.save(.kemar, path: good)
        XCTAssertEqual(try CalibrationFile.load(path: good), .kemar)
        XCTAssertEqual(ITDCalibration.kemar.channelITDsSeconds?.count, ITDCalibration.kemar.azimuthsDegrees.count)
        // A file written before the per-channel curves existed still loads, with none.
        let old = dir.appendingPathComponent("old.json").path
        try #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[-0.0007,0.0007],"source":"x"}"#.write(
            toFile: old, atomically: true, encoding: .utf8)
        XCTAssertNil(try CalibrationFile.load(path: old).channelITDsSeconds)

        let missing = dir.appendingPathComponent("missing.json").path
        XCTAssertThrowsError(try CalibrationFile.load(path: missing)) { error in
            XCTAssertEqual(error as? CalibrationFileError, .cannotRead(path: missing, reason: "no such file"))
        }
        let cases = [
            ("garbage.json", "not json"),
            ("uneven.json", #"{"azimuthsDegrees":[-90,0,90],"itdsSeconds":[-0.0007,0.0007],"source":"x"}"#),
            ("huge.json", #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[-0.0007,1e300],"source":"x"}"#),
            ("falling.json", #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[0.0007,-0.0007],"source":"x"}"#),
            // Issue 17: a table that falls in the middle, and one spanning 2e-300 s.
            (
                "not-monotonic.json",
                #"{"azimuthsDegrees":[-90,0,45,90],"itdsSeconds":[-0.0007,0.0004,0.0001,0.0007],"source":"x"}"#
            ),
            ("flat.json", #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[-1e-300,1e-300],"source":"x"}"#),
            // Per-channel curves: a row too few, rows of unequal length, and no calibration weights.
            (
                "channel-weights.json",
                #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[-0.0007,0.0007],"source":"x","channelITDsSeconds":[[-0.0007],[0.0007]]}"#
            ),
            (
                "channel-rows.json",
                #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[-0.0007,0.0007],"source":"x","channelITDsSeconds":[[0.0007]]}"#
            ),
            (
                "channel-widths.json",
                #"{"azimuthsDegrees":[-90,90],"itdsSeconds":[-0.0007,0.0007],"source":"x","channelITDsSeconds":[[-0.0007],[0.0007,0.0006]]}"#
            ),
        ]
        for (name, text) in cases {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try CalibrationFile.load(path: path), name) { error in
                guard case .invalid(let p, _)? = error as? CalibrationFileError else {
                    return XCTFail("\(name): \(error)")
                }
                XCTAssertEqual(p, path)
            }
        }
    }
}
