import Brainstem
import Decoding
import XCTest

/// `FrameReadout` weights each frame by how far its own detector map's peak stands above
/// `minimumFrameSignificance`, leaves out the frames at or below it, and falls back to every frame
/// alike when none rises above it.
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

    func decision(_ r: FrameReadout) throws -> ITDEstimate { try r.decision(lsoSpikeCounts: []).get() }

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
        XCTAssertEqual(r.absorb(sharp).weight, 1)
        XCTAssertEqual(r.absorb(weak).weight, 1)
        XCTAssertEqual(r.activity, zip(sharp.counts, weak.counts).map { Int64($0) + Int64($1) })
    }

    /// The hand computation above, checked against the read-out's own statistic.
    func testTheFramesEvidenceIsWhatTheHandComputationSays() {
        let r = ITDReadout(delaysSeconds: delays)
        // 26 by hand from rounded means; 1 either way covers the rounding of counts to integers.
        XCTAssertEqual(r.evidence(counts: sharp.counts, channelCount: 1), 26.3, accuracy: 1)
        XCTAssertEqual(r.evidence(counts: weak.counts, channelCount: 1), 0)
    }

    /// The weight is the evidence above the floor: 26.3 - 9 = 17.3 by hand for the sharp frame
    /// (1 either way, as above), 0 for the weak one; the track's reading carries the same number.
    func testAFramesWeightIsItsEvidenceAboveTheFloor() {
        var r = FrameReadout(
            readout: ITDReadout(delaysSeconds: delays), channelCount: 1, keepsTrack: true)
        let sharpReading = r.absorb(sharp)
        XCTAssertEqual(sharpReading.weight, 17.3, accuracy: 1)
        XCTAssertNotNil(sharpReading.estimate)
        XCTAssertEqual(r.absorb(weak).weight, 0)
        let plain = ITDReadout(delaysSeconds: delays)
        XCTAssertEqual(plain.frameWeight(evidence: 12.5), 3.5)
        XCTAssertEqual(plain.frameWeight(evidence: 9), 0)
        XCTAssertEqual(plain.frameWeight(evidence: 4), 0)
        var off = ITDReadout.Parameters()
        off.minimumFrameSignificance = nil
        XCTAssertEqual(ITDReadout(parameters: off, delaysSeconds: delays).frameWeight(evidence: 0), 1)
    }

    /// A sharp frame (height 500 on 200 at +200 us: evidence 26.3, weight 17.3) against a louder,
    /// flatter one (height 700 on 1500 at -400 us: mean 1500 + 0.138 x 700 = 1597, peak
    /// 2200 - 1597 = 603 above it, 603 / sqrt(1597) = 15.1 standard deviations, weight 6.1). The
    /// bumps, 6 widths apart, do not overlap. Summed alike, the curve at -400 us is 603 less the
    /// sharp frame's mean rise 69, 534, and at +200 us 431 less 97, 334: the louder frame wins.
    /// Weighted, -400 us gives 6.1 x 603 - 17.3 x 69 = 2490 and +200 us 17.3 x 431 - 6.1 x 97 =
    /// 6870: the sharp frame wins. Within 3 delay steps (68 us) of each bump's centre.
    func testTheMoreConsistentFrameOutweighsTheLouderOne() throws {
        let loud = frame(1, centre: -0.0004, height: 700, floor: 1500)
        XCTAssertEqual(
            ITDReadout(delaysSeconds: delays).evidence(counts: loud.counts, channelCount: 1), 15.1, accuracy: 1)
        var weighted = readout(threshold: 9)
        var alike = readout(threshold: nil)
        for f in [sharp, loud] {
            _ = weighted.absorb(f)
            _ = alike.absorb(f)
        }
        XCTAssertEqual(try decision(weighted).itdSeconds, 0.0002, accuracy: 0.000068)
        XCTAssertEqual(try decision(alike).itdSeconds, -0.0004, accuracy: 0.000068)
    }

    /// The bookkeeping keeps the significance in units of counting noise: one frame at weight
    /// 17.3 reads as its own counts (26.3 standard deviations), and two copies of it as their
    /// plain sum, whose peak and mean both double: sqrt(2) x 26.3 = 37.2. Without the rescaling by
    /// mass over variance the weight would inflate it by sqrt(17.3), to 109 and 155.
    func testWeightsLeaveTheSignificanceInUnitsOfCountingNoise() throws {
        let single = ITDReadout(delaysSeconds: delays).evidence(counts: sharp.counts, channelCount: 1)
        var one = readout(threshold: 9)
        _ = one.absorb(sharp)
        // Rescaling multiplies by the weight and then by its inverse: a few rounding errors.
        XCTAssertEqual(try decision(one).significance, single, accuracy: 1e-9 * single)
        var two = readout(threshold: 9)
        _ = two.absorb(sharp)
        _ = two.absorb(sharp)
        XCTAssertEqual(try decision(two).significance, 2.0.squareRoot() * single, accuracy: 1e-9 * single)
        XCTAssertEqual(try decision(two).significance, 37.2, accuracy: 1.5)
    }
}
