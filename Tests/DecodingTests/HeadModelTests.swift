import Decoding
import XCTest

final class HeadModelTests: XCTestCase {
    func testWoodworthValuesAndInverse() {
        let head = HeadModel.standardHead
        // (a / c)(pi/2 + 1) with a = 0.0875 m, c = 343 m/s = 655.8 us.
        XCTAssertEqual(head.itdSeconds(azimuthDegrees: 90), 0.0875 / 343 * (Double.pi / 2 + 1), accuracy: 1e-15)
        XCTAssertEqual(head.itdSeconds(azimuthDegrees: -90) * 1e6, -655.8, accuracy: 0.05)
        XCTAssertEqual(head.itdSeconds(azimuthDegrees: 0), 0)
        for az in stride(from: -89.5, through: 89.5, by: 3.5) {
            // Bisection to 60 halvings of 180 degrees: far below 1e-9 degrees.
            XCTAssertEqual(head.azimuthDegrees(itdSeconds: head.itdSeconds(azimuthDegrees: az)), az, accuracy: 1e-9)
        }
        XCTAssertEqual(head.azimuthDegrees(itdSeconds: 0.002), 90)
        XCTAssertEqual(head.azimuthDegrees(itdSeconds: .nan), 0)
    }

    func testFreeFieldMicrophones() {
        let mics = HeadModel.freeField(spacingMetres: 0.2, speedOfSoundMetresPerSecond: 343)
        // 30 degrees: ITD = 0.2 sin(30) / 343 = 291.5 us.
        XCTAssertEqual(mics.itdSeconds(azimuthDegrees: 30) * 1e6, 291.545, accuracy: 1e-3)
        XCTAssertEqual(mics.azimuthDegrees(itdSeconds: 0.2 * 0.5 / 343), 30, accuracy: 1e-9)
    }

    /// The channels' own curves, by hand. Broadband: -700, 0, 700 us at -90, 0, 90 degrees; channel
    /// 0 sees 800 us at 90 degrees, channel 1 600; the calibration sounds weighed them equally. A
    /// sound carried by channel 0 alone shifts the curve at 90 degrees by (1 - 0.5) 800 - 0.5 x 600
    /// = 100 us, to 800 us; by channel 1 alone, to 600 us. Linear interpolation is exact here up to
    /// one rounding of each product (1e-9 degrees is far above it).
    func testChannelCurvesWeighedByTheirPartInTheITD() {
        let cal = ITDCalibration(
            azimuthsDegrees: [-90, 0, 90], itdsSeconds: [-0.0007, 0, 0.0007], source: "test",
            channelITDsSeconds: [[-0.0008, -0.0006], [0, 0], [0.0008, 0.0006]], calibrationChannelWeights: [0.5, 0.5])
        // Channel 0 alone: 400 us is half of 800, so 45 degrees.
        XCTAssertEqual(cal.azimuthDegrees(itdSeconds: 0.0004, channelWeights: [1, 0]), 45, accuracy: 1e-9)
        // Channel 1 alone: 400 / 600 of 90 degrees.
        XCTAssertEqual(cal.azimuthDegrees(itdSeconds: 0.0004, channelWeights: [0, 2]), 60, accuracy: 1e-9)
        // Both equally, as the calibration sounds: the broadband curve itself.
        XCTAssertEqual(
            cal.azimuthDegrees(itdSeconds: 0.0004, channelWeights: [1, 1]), 400.0 / 700 * 90, accuracy: 1e-9)
        // No weight, or weights for another channel count: the broadband curve.
        XCTAssertEqual(
            cal.azimuthDegrees(itdSeconds: 0.0004, channelWeights: [0, 0]), 400.0 / 700 * 90, accuracy: 1e-9)
        XCTAssertEqual(cal.azimuthDegrees(itdSeconds: 0.0004, channelWeights: [1]), 400.0 / 700 * 90, accuracy: 1e-9)
        // Without the calibration sounds' weights the table is not used.
        var unweighted = cal
        unweighted.calibrationChannelWeights = nil
        XCTAssertEqual(
            unweighted.azimuthDegrees(itdSeconds: 0.0004, channelWeights: [1, 0]), 400.0 / 700 * 90, accuracy: 1e-9)
        // Other heads have one curve.
        let head = HeadModel.standardHead
        XCTAssertEqual(
            head.azimuthDegrees(itdSeconds: 0.0004, channelWeights: [1, 0]), head.azimuthDegrees(itdSeconds: 0.0004))
    }
}
