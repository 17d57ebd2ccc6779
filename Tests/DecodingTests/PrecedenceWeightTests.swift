import Brainstem
import Decoding
import XCTest

/// The read-out's side of the precedence effect: spikes in open gates count `onsetWeight` times,
/// and the weighted map is rescaled to units of counting noise for the reliability test.
final class PrecedenceWeightTests: XCTestCase {
    let delays = [-0.0001, 0, 0.0001]

    func frame(counts: [Int32], onset: [Int32]) -> ITDFrame {
        var f = ITDFrame(index: 0, startSeconds: 0, durationSeconds: 0.05, counts: counts, channelCount: 1)
        f.onsetCounts = onset
        return f
    }

    /// Counts (10, 4, 6) of which (2, 0, 1) in open gates, weight 4: map (10 + 3 x 2, 4, 6 + 3) =
    /// (16, 4, 9); mass 20 + 3 x 3 = 29; squared weights 20 + 15 x 3 = 65; in noise units the map
    /// times 29 / 65.
    func testOnsetSpikesCountFourTimesAndTheNoiseIsTheirSquares() {
        let r = ITDReadout(parameters: .init(), delaysSeconds: delays)
        let w = r.weighted(frame(counts: [10, 4, 6], onset: [2, 0, 1]))
        XCTAssertEqual(w.map, [16, 4, 9])
        XCTAssertEqual(w.mass, 29)
        XCTAssertEqual(w.variance, 65)
        // One multiplication by 29/65 each: within a rounding or two of the exact quotients.
        for (got, want) in zip(w.normalised, [16.0 * 29 / 65, 4.0 * 29 / 65, 9.0 * 29 / 65]) {
            XCTAssertEqual(got, want, accuracy: 1e-12)
        }
    }

    /// Without gates (`--ablate precedence`) the map is the plain counts, unscaled, so the read-out
    /// is the one before precedence to the bit.
    func testWithoutGatesThePlainCounts() {
        let r = ITDReadout(parameters: .init(), delaysSeconds: delays)
        let w = r.weighted(
            ITDFrame(index: 0, startSeconds: 0, durationSeconds: 0.05, counts: [3, 5, 2], channelCount: 1))
        XCTAssertEqual(w.map, [3, 5, 2])
        XCTAssertEqual(w.normalised, [3, 5, 2])
        XCTAssertEqual(w.variance, w.mass)
    }
}
