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
}
