import DSP
import Decoding
import Pipeline
import Reference
import XCTest

/// GCC-PHAT inside the assembled model: it sees the same samples and maps its ITD through the same
/// head model as the temporal code.
final class PipelineReferenceTests: XCTestCase {
    func testReferenceMapsItsITDThroughTheHeadModel() throws {
        let itd = 2.5e-4
        let spacing = 0.18
        let c = 343.0
        let (l, r) = PureITDTests.pureITD(itdSeconds: itd, seconds: 0.3, seed: 9)
        var config = LocalizerConfiguration()
        config.headModel = .freeField(spacingMetres: spacing, speedOfSoundMetresPerSecond: c)
        config.reference = GCCPHAT.Configuration()
        let result = Localizer.localize(
            left: l, right: r, sampleRateHz: PureITDTests.fs, configuration: config,
            blockFrames: 4096)
        let g = try XCTUnwrap(result.reference)
        // Within 1 us (GCCPHATTests' tolerance, a tenth of the human ITD threshold).
        XCTAssertEqual(g.itdSeconds, itd, accuracy: 1e-6)
        // The free-field pair's own formula, asin(c ITD / d), independent of the head model's code;
        // the same few operations, so they may differ by rounding only (1e-9 degrees is far above).
        XCTAssertEqual(g.azimuthDegrees, asin(c * g.itdSeconds / spacing) * 180 / Double.pi, accuracy: 1e-9)
        XCTAssertTrue(result.referenceRan)
        XCTAssertGreaterThan(result.costs.referenceMultiplyAccumulates, 0)
    }

    func testNotRunUnlessAsked() {
        let (l, r) = PureITDTests.pureITD(itdSeconds: 1e-4, seconds: 0.1, seed: 2)
        let result = Localizer.localize(
            left: l, right: r, sampleRateHz: PureITDTests.fs, configuration: .init(),
            blockFrames: 4096)
        XCTAssertNil(result.reference)
        XCTAssertFalse(result.referenceRan)
        XCTAssertEqual(result.costs.referenceMultiplyAccumulates, 0)
    }
}
