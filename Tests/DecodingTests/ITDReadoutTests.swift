import Decoding
import XCTest

final class ITDReadoutTests: XCTestCase {
    let delays = (0..<81).map { -0.0009 + 0.0018 * Double($0) / 80 }

    /// Counts of one channel shaped like a Gaussian bump centred at `centre` seconds, on a floor.
    func bump(centre: Double, height: Double, widthSeconds: Double, floor: Double) -> [Int64] {
        delays.map { Int64((floor + height * exp(-0.5 * pow(($0 - centre) / widthSeconds, 2))).rounded()) }
    }

    /// A noiseless symmetric peak between grid points is found at its centre: the symmetric fit
    /// has no pull towards grid points. 0.5 us is what rounding the counts to integers can
    /// shift the centre of a peak of height 2000 (a fiftieth of the 22.5 us grid step is 0.45 us).
    func testSymmetricPeakBetweenGridPoints() throws {
        let readout = ITDReadout(delaysSeconds: delays)
        for centre in [-0.000613, -0.000011, 0.000137, 0.000691] {
            let counts = bump(centre: centre, height: 2000, widthSeconds: 0.00012, floor: 300)
            let e = try XCTUnwrap(readout.estimate(counts: counts, channelCount: 1))
            XCTAssertEqual(e.itdSeconds, centre, accuracy: 0.5e-6)
            XCTAssert((0...1).contains(e.confidence))
        }
    }

    /// A flat channel (no ITD tuning, as above 2 kHz) is left out, so it cannot move the peak.
    func testFlatChannelIsIgnored() throws {
        let readout = ITDReadout(delaysSeconds: delays)
        let tuned = bump(centre: 0.0002, height: 500, widthSeconds: 0.0001, floor: 200)
        // Counts that alternate 990/1010: variance 100, well under 3 x the mean of 1000.
        let flat = delays.indices.map { Int64($0 % 2 == 0 ? 990 : 1010) }
        let alone = try XCTUnwrap(readout.estimate(counts: tuned, channelCount: 1))
        let both = try XCTUnwrap(readout.estimate(counts: tuned + flat, channelCount: 2))
        XCTAssertEqual(both.itdSeconds, alone.itdSeconds)
    }

    /// Nothing to read gives nil, never NaN.
    func testEmptyAndSparseMapsHaveNoDirection() {
        let readout = ITDReadout(delaysSeconds: delays)
        XCTAssertNil(readout.estimate(counts: [Int64](repeating: 0, count: 81 * 4), channelCount: 4))
        var one = [Int32](repeating: 0, count: 81 * 4)
        one[100] = 1
        XCTAssertNil(readout.estimate(counts: one, channelCount: 4))
        // Too few counts for the peak to stand 4 standard deviations above the mean.
        var few = [Int32](repeating: 1, count: 81)
        few[40] = 4
        XCTAssertNil(readout.estimate(counts: few, channelCount: 1))
    }

    /// Channel weights by hand. Channel 0 counts 0, 90, 0 over delays -100, 0, 100 us: mean 30,
    /// variance 1800, 60 times the mean, so it is integrated; at 0 us its weight is 90 - 30 = 60,
    /// halfway to 100 us it is 45 - 30 = 15, and at 100 us below its mean, so 0. Channel 1 counts
    /// 10, 10, 10: no variance, never integrated, weight 0. All exact in binary.
    func testChannelWeightsByHand() {
        let readout = ITDReadout(delaysSeconds: [-0.0001, 0, 0.0001])
        let counts: [Double] = [0, 90, 0, 10, 10, 10]
        XCTAssertEqual(readout.channelWeights(counts: counts, channelCount: 2, itdSeconds: 0), [60, 0])
        XCTAssertEqual(readout.channelWeights(counts: counts, channelCount: 2, itdSeconds: 0.00005), [15, 0])
        XCTAssertEqual(readout.channelWeights(counts: counts, channelCount: 2, itdSeconds: 0.0001), [0, 0])
        XCTAssertEqual(readout.channelWeights(counts: counts, channelCount: 2, itdSeconds: .nan), [0, 0])
    }
}

final class NullEvidenceTests: XCTestCase {
    let delays = (0..<81).map { -0.0009 + 0.0018 * Double($0) / 80 }

    /// Two equal bumps at -400 and +400 us (as inverted polarity gives) have no side; one bump,
    /// or a bump at +400 us over a much lower one at -400 us, has.
    func testMirrorImagePeaksAreAmbiguous() throws {
        let readout = ITDReadout(delaysSeconds: delays)
        func bumps(_ a: Double, _ b: Double) -> [Int64] {
            delays.map {
                Int64(
                    (300 + a * exp(-0.5 * pow(($0 - 0.0004) / 0.0001, 2))
                        + b * exp(-0.5 * pow(($0 + 0.0004) / 0.0001, 2))).rounded())
            }
        }
        XCTAssertEqual(
            readout.decide(counts: bumps(2000, 1990), channelCount: 1), .failure(.init(.ambiguousSide)))
        let one = try XCTUnwrap(readout.estimate(counts: bumps(2000, 800), channelCount: 1))
        XCTAssertEqual(one.itdSeconds, 0.0004, accuracy: 5e-6)
        // A peak at the midline is its own mirror image: never ambiguous.
        let centre = delays.map { Int64((300 + 2000 * exp(-0.5 * pow($0 / 0.0001, 2))).rounded()) }
        XCTAssertNotNil(readout.estimate(counts: centre, channelCount: 1))
    }

    /// 5 Poisson standard deviations, or 5 % of the expectation when that is more.
    func testSpontaneousActivityTest() {
        let test = SpontaneousActivityTest()
        // 10 000 expected: sd 100, so the margin is max(500, 500) = 500.
        XCTAssertFalse(test.isAboveSpontaneous(spikes: 10_500, expectedSpikes: 10_000))
        XCTAssertTrue(test.isAboveSpontaneous(spikes: 10_501, expectedSpikes: 10_000))
        // 1e8 expected (an hour of silence): 5 sd is only 0.05 %, so the 5 % floor decides.
        XCTAssertFalse(test.isAboveSpontaneous(spikes: 104_000_000, expectedSpikes: 1e8))
        XCTAssertTrue(test.isAboveSpontaneous(spikes: 106_000_000, expectedSpikes: 1e8))
        XCTAssertTrue(test.isAboveSpontaneous(spikes: 1, expectedSpikes: 0))
    }
}
