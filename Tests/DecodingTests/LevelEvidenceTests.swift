import Decoding
import XCTest

final class LevelEvidenceTests: XCTestCase {
    let delays = (0..<81).map { -0.0009 + 0.0018 * Double($0) / 80 }
    let head = HeadModel.standardHead

    /// One channel whose LSO difference runs from -0.6 at -90 degrees to +0.6 at +90, with no
    /// spread of its own.
    let table = LSOCalibration(
        azimuthsDegrees: [-90, 0, 90], rateDifferences: [[-0.6], [0], [0.6]], spreads: [[0], [0], [0]],
        source: "test")

    /// Interpolation between calibrated azimuths, by hand: halfway from 0 to 90 degrees is
    /// halfway from 0 to 0.6; beyond the ends the table is clamped. Exact in binary up to one
    /// rounding of the product (1e-12 is far above it and far below any value that matters).
    func testExpectedDifferenceIsInterpolated() {
        XCTAssertEqual(table.expected(channel: 0, azimuthDegrees: 45).difference, 0.3, accuracy: 1e-12)
        XCTAssertEqual(table.expected(channel: 0, azimuthDegrees: -30).difference, -0.2, accuracy: 1e-12)
        XCTAssertEqual(table.expected(channel: 0, azimuthDegrees: 120).difference, 0.6)
    }

    /// The log-likelihood by hand: 10 left and 30 right LSO spikes are a difference of 0.5. At 0
    /// degrees the table expects 0, with counting variance (1 - 0 + 0.05) / 40 = 0.02625, so the
    /// log-likelihood is -0.5 * 0.25 / 0.02625 = -4.7619...; a channel with no spikes adds nothing.
    func testLogLikelihoodByHand() {
        let ll = table.logLikelihood(spikeCounts: [[10], [30]], azimuthDegrees: 0)
        XCTAssertEqual(ll, -0.5 * 0.25 / 0.02625, accuracy: 1e-12)
        XCTAssertEqual(table.logLikelihood(spikeCounts: [[0], [0]], azimuthDegrees: 0), 0)
        // The best azimuth is where the table expects 0.5: 75 degrees.
        let best = stride(from: -90.0, through: 90, by: 1).max {
            table.logLikelihood(spikeCounts: [[10], [30]], azimuthDegrees: $0)
                < table.logLikelihood(spikeCounts: [[10], [30]], azimuthDegrees: $1)
        }
        XCTAssertEqual(best, 75)
    }

    /// The side score by hand: 10 left and 40 right spikes are a difference of 0.6, what the table
    /// expects at 90 degrees; its variance there is (1 - 0.36 + 0.05) / 50 = 0.0138, so the score
    /// is sqrt(0.36 / 0.0138) = 5.107..., and the same with the sign turned at -90 degrees.
    func testSideScoreByHand() {
        let expected = (0.36 / 0.0138).squareRoot()
        XCTAssertEqual(table.sideScore(spikeCounts: [[10], [40]], azimuthDegrees: 90), expected, accuracy: 1e-9)
        XCTAssertEqual(table.sideScore(spikeCounts: [[10], [40]], azimuthDegrees: -90), -expected, accuracy: 1e-9)
        XCTAssertEqual(table.sideScore(spikeCounts: [[0], [0]], azimuthDegrees: 90), 0)
    }

    /// A curve with two equally tall peaks at -500 and +500 us, as a narrowband sound's true peak
    /// and its ghost: the level difference decides the side, either way round.
    func testLevelDifferenceChoosesBetweenEqualPeaks() throws {
        let curve = delays.map { d in
            exp(-0.5 * pow((d - 0.0005) / 0.00008, 2)) + exp(-0.5 * pow((d + 0.0005) / 0.00008, 2))
        }
        let evidence = LevelEvidence(calibration: table)
        let right = try XCTUnwrap(
            evidence.preferredITD(curve: curve, delaysSeconds: delays, spikeCounts: [[10], [40]], headModel: head))
        let left = try XCTUnwrap(
            evidence.preferredITD(curve: curve, delaysSeconds: delays, spikeCounts: [[40], [10]], headModel: head))
        // Within one peak's half-width (80 us) of the true one.
        XCTAssertEqual(right, 0.0005, accuracy: 0.00008)
        XCTAssertEqual(left, -0.0005, accuracy: 0.00008)
    }

    /// A clear ITD peak (twice the height of the other) is kept against a level difference that
    /// mildly points the other way: 21 left and 19 right spikes, a difference of -0.05, which the
    /// counting noise of 40 spikes (standard deviation 0.16) cannot tell from 0.
    func testClearITDPeakOutweighsAWeakLevelCue() throws {
        let curve = delays.map { d in
            exp(-0.5 * pow((d - 0.0005) / 0.00008, 2)) + 0.5 * exp(-0.5 * pow((d + 0.0005) / 0.00008, 2))
        }
        let itd = try XCTUnwrap(
            LevelEvidence(calibration: table).preferredITD(
                curve: curve, delaysSeconds: delays, spikeCounts: [[21], [19]], headModel: head))
        XCTAssertEqual(itd, 0.0005, accuracy: 0.00008)
    }

    /// The readout refines the peak nearest the preferred ITD, not the highest one (the bumps are
    /// not mirror images, so the mirror test has nothing to refuse).
    func testReadoutRefinesThePreferredPeak() throws {
        let readout = ITDReadout(delaysSeconds: delays)
        let counts: [Int64] = delays.map { d in
            Int64(
                (300 + 2000 * exp(-0.5 * pow((d - 0.0004) / 0.0001, 2)) + 1800
                    * exp(-0.5 * pow((d + 0.00025) / 0.0001, 2))).rounded())
        }
        let highest = try XCTUnwrap(readout.estimate(counts: counts, channelCount: 1))
        XCTAssertGreaterThan(highest.itdSeconds, 0)
        let preferred = try XCTUnwrap(readout.estimate(counts: counts, channelCount: 1, preferringPeakNear: -0.0002))
        // The other bump's tail pulls the symmetric centre a little; 20 us is a tenth of the gap.
        XCTAssertEqual(preferred.itdSeconds, -0.00025, accuracy: 20e-6)
    }

    /// A tall peak at +500 us and a lower one at -500 us, as a lateral source's ghost that beat
    /// its true peak. 40 left and 10 right spikes are a difference of -0.6: at the answer's
    /// azimuth (62 degrees on the standard head) the table expects +0.41, so the side score is
    /// about -4.5 (far beyond -1), and
    /// the answer moves to the peak on the left, found on the grid (its point nearest -500 us).
    func testClearLevelDifferenceOverrulesTheSide() throws {
        let curve = delays.map { d in
            exp(-0.5 * pow((d - 0.0005) / 0.00008, 2)) + 0.5 * exp(-0.5 * pow((d + 0.0005) / 0.00008, 2))
        }
        let other = try XCTUnwrap(
            LevelEvidence(calibration: table).overruledSide(
                itd: 0.0005, curve: curve, delaysSeconds: delays, spikeCounts: [[40], [10]], headModel: head))
        XCTAssertTrue(other.onPeak)
        // Grid spacing 22.5 us: the nearest grid point to -500 us is -495 us.
        XCTAssertEqual(other.itdSeconds, -0.000495, accuracy: 1e-9)
    }

    /// With no peak on the left at all (the true one beyond the delay range), the answer is the
    /// azimuth on the left that the LSOs favour: -0.6 is what the table expects at -90 degrees.
    func testWithoutAPeakOnTheOtherSideTheLevelCuePlacesTheAnswer() throws {
        let curve = delays.map { d in exp(-0.5 * pow((d - 0.0005) / 0.00008, 2)) }
        let other = try XCTUnwrap(
            LevelEvidence(calibration: table).overruledSide(
                itd: 0.0005, curve: curve, delaysSeconds: delays, spikeCounts: [[40], [10]], headModel: head))
        XCTAssertFalse(other.onPeak)
        XCTAssertEqual(other.itdSeconds, head.itdSeconds(azimuthDegrees: -90))
    }

    /// No overruling by a level difference that counting noise can explain (21 left, 19 right:
    /// a score of about -0.3), nor of an answer near the midline (100 us, whose mirror image lies
    /// inside its peak) however clear the level difference.
    func testWeakLevelCueAndMidlineAnswersAreLeftAlone() {
        let curve = delays.map { d in
            exp(-0.5 * pow((d - 0.0005) / 0.00008, 2)) + 0.5 * exp(-0.5 * pow((d + 0.0005) / 0.00008, 2))
        }
        let evidence = LevelEvidence(calibration: table)
        XCTAssertNil(
            evidence.overruledSide(
                itd: 0.0005, curve: curve, delaysSeconds: delays, spikeCounts: [[21], [19]], headModel: head))
        XCTAssertNil(
            evidence.overruledSide(
                itd: 0.0001, curve: curve, delaysSeconds: delays, spikeCounts: [[40], [10]], headModel: head))
    }
}
