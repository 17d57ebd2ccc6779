import Brainstem
import Decoding
import XCTest

/// `FrameReadout` keeps the frames whose own detector map is sharp (`minimumFrameSignificance`)
/// for the decision, and falls back to every frame when none is.
final class FrameSelectionTests: XCTestCase {
    let delays = (0..<81).map { -0.0009 + 0.0018 * Double($0) / 80 }

    /// One channel of counts: a Gaussian bump of `height` at `centre` seconds on `floor`.
    func frame(_ index: Int, centre: Double, height: Double, floor: Double) -> ITDFrame {
        let counts = delays.map { Int32((floor + height * exp(-0.5 * pow(($0 - centre) / 0.0001, 2))).rounded()) }
        return ITDFrame(
            index: index, startSeconds: 0.05 * Double(index), durationSeconds: 0.05, counts: counts, channelCount: 1)
    }

    // By hand: the bump's area is height x (100 us / 22.5 us step) x sqrt(2 pi) = 11.1 x height
    // counts, so over 81 delays the mean rises by 0.138 x height. The sharp frame (height 500 on
    // 200) peaks 700 - 268.8 = 431 above its mean of 268.8: 431 / sqrt(268.8) = 26 standard
    // deviations. The weak one (height 30 on 1000) varies across delays by a variance of about 90
    // against a mean of 1004, too little to join the integration at all: evidence 0. With the
    // threshold at 9, the one passes and the other fails by wide margins.
    var sharp: ITDFrame { frame(0, centre: 0.0002, height: 500, floor: 200) }
    var weak: ITDFrame { frame(1, centre: -0.0005, height: 30, floor: 1000) }

    func readout(threshold: Double?) -> FrameReadout {
        var p = ITDReadout.Parameters()
        p.minimumFrameSignificance = threshold
        return FrameReadout(
            readout: ITDReadout(parameters: p, delaysSeconds: delays), channelCount: 1, keepsTrack: false)
    }

    func testOnlyTheSharpFrameMakesTheActivity() {
        var r = readout(threshold: 9)
        _ = r.absorb(sharp)
        _ = r.absorb(weak)
        XCTAssertEqual(r.consistentFrameCount, 1)
        XCTAssertEqual(r.activity, sharp.counts.map(Int64.init))
        XCTAssertEqual(r.everyFrame, zip(sharp.counts, weak.counts).map { Int64($0) + Int64($1) })
    }

    func testEveryFrameCountsWhenNoneIsSharp() {
        var r = readout(threshold: 9)
        _ = r.absorb(weak)
        _ = r.absorb(frame(2, centre: 0.0004, height: 30, floor: 1000))
        XCTAssertEqual(r.consistentFrameCount, 0)
        XCTAssertEqual(r.activity, r.everyFrame)
        XCTAssertEqual(r.activity[0], Int64(weak.counts[0]) * 2)
    }

    func testSwitchedOffEveryFrameCounts() {
        var r = readout(threshold: nil)
        _ = r.absorb(sharp)
        _ = r.absorb(weak)
        XCTAssertEqual(r.activity, zip(sharp.counts, weak.counts).map { Int64($0) + Int64($1) })
    }

    /// The hand computation above, checked against the read-out's own statistic.
    func testTheFramesEvidenceIsWhatTheHandComputationSays() {
        let r = ITDReadout(delaysSeconds: delays)
        // 26 by hand from rounded means; 1 either way covers the rounding of counts to integers.
        XCTAssertEqual(r.evidence(counts: sharp.counts, channelCount: 1), 26.3, accuracy: 1)
        XCTAssertEqual(r.evidence(counts: weak.counts, channelCount: 1), 0)
    }
}
