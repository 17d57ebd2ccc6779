import Cochlea
import DSP
import RateCoding
import XCTest

final class RateCoderTests: XCTestCase {
    /// Streaming, in uneven blocks, gives the counts and cross-correlation of binning all spikes
    /// at once and correlating the bins directly.
    func testMatchesDirectBinning() {
        let channels = 3
        let window = 0.002
        let seconds = 0.2
        var g = SeededGenerator(seed: 9)
        func train() -> [Double] {
            var t = 0.0
            var out: [Double] = []
            while true {
                t += g.nextExponential() / 400
                if t >= seconds { return out }
                out.append(t)
            }
        }
        let left = (0..<channels).map { _ in train() }
        let right = (0..<channels).map { _ in train() }
        var coder = RateCoder(windowSeconds: window, channelCount: channels, maxLagSeconds: 0.005)
        var start = 0.0
        for end in [0.0031, 0.05, 0.0501, 0.13, seconds] {
            let l = SpikeBlock(trains: left, startSeconds: start, endSeconds: end)
            let r = SpikeBlock(trains: right, startSeconds: start, endSeconds: end)
            coder.add(left: l, right: r)
            start = end
        }
        let f = coder.finish()
        let bins = Int((seconds / window).rounded())
        func binned(_ trains: [[Double]]) -> [[Double]] {
            trains.map { ts in
                var b = [Double](repeating: 0, count: bins)
                for t in ts { b[Int(t / window)] += 1 }
                return b
            }
        }
        let lb = binned(left)
        let rb = binned(right)
        XCTAssertEqual(f.leftCounts, left.map(\.count))
        XCTAssertEqual(f.rightCounts, right.map(\.count))
        XCTAssertEqual(f.binCount, bins)
        for k in -f.maxLagBins...f.maxLagBins {
            var x = 0.0
            for c in 0..<channels {
                for b in 0..<bins where b - k >= 0 && b - k < bins { x += lb[c][b] * rb[c][b - k] }
            }
            // Sums of small integers: exact in floating point.
            XCTAssertEqual(f.crossCorrelation[k + f.maxLagBins], x, "lag \(k)")
        }
    }

    /// With fibre groups, a channel's high-spontaneous-rate fibres (indices 0-3 in the default
    /// cochlea) and its medium/low ones (4, 5) are two rate channels, each gated by its own
    /// group's resting rate. Counts and gates below are worked out by hand.
    func testFibreGroupsCountAndGateEachGroupApart() {
        let groups = RateCoder.FibreGroups(cochlea: CochleaConfiguration())
        XCTAssertEqual(groups.firstLowerFibre, 4)
        // 4 x 60 spikes/s and 1 x 5 + 1 x 0.5 spikes/s (AuditoryNerveFiber.Parameters.typical).
        XCTAssertEqual(groups.upperSpontaneousSpikesPerSecondPerChannel, 240)
        XCTAssertEqual(groups.lowerSpontaneousSpikesPerSecondPerChannel, 5.5)
        var coder = RateCoder(windowSeconds: 0.01, channelCount: 1, fibreGroups: groups)
        var left = SpikeBlock(channelCount: 1)
        left.times = [[0.001, 0.002, 0.003, 0.004, 0.005, 0.006]]
        left.fibre = [[0, 1, 4, 5, 4, 2]]
        left.endSeconds = 0.01
        var right = SpikeBlock(channelCount: 1)
        right.times = [[0.002, 0.007]]
        right.fibre = [[0, 4]]
        right.endSeconds = 0.01
        coder.add(left: left, right: right)
        let features = coder.finish()
        XCTAssertEqual(features.leftCounts, [3, 3])
        XCTAssertEqual(features.rightCounts, [1, 1])
        let frames = coder.drainFrames()
        XCTAssertEqual(frames.count, 1)
        // Gates: 2 x (2 x resting rate x 10 ms) + 2 spikes = 11.6 for the first group (4 seen: shut)
        // and 2.22 for the second (4 seen: open, d = (1 - 3) / 4).
        XCTAssertEqual(
            coder.frameLayout?.gateSpikes ?? 0, 11.6, accuracy: 1e-12,
            "three floating-point operations on exact small values")
        XCTAssertEqual(
            coder.frameLayout?.lowerGateSpikes ?? 0, 2.22, accuracy: 1e-12,
            "three floating-point operations on exact small values")
        XCTAssertEqual(Array(frames[0][0..<4]), [0, -0.5, 0, 1])
        // Recorded trains carry no fibre indices: every spike stays in the first group.
        var unlabelled = RateCoder(windowSeconds: 0.01, channelCount: 1, fibreGroups: groups)
        unlabelled.add(
            left: SpikeBlock(trains: left.times, startSeconds: 0, endSeconds: 0.01),
            right: SpikeBlock(trains: right.times, startSeconds: 0, endSeconds: 0.01))
        let all = unlabelled.finish()
        XCTAssertEqual(all.leftCounts, [6, 0])
        XCTAssertEqual(all.rightCounts, [2, 0])
    }

    /// With bands, a frame's level cue sums each fibre group's adjacent channels before the rate
    /// difference, gated by the band's summed resting spikes. Four cochlear channels in two
    /// groups, two bands per group: band 0 is channels 0-1's high-spontaneous fibres, band 1
    /// channels 2-3's, band 2 channels 0-1's medium/low ones, band 3 channels 2-3's.
    func testBandsSumAdjacentChannelsWithinEachFibreGroup() {
        let groups = RateCoder.FibreGroups(cochlea: CochleaConfiguration())
        var coder = RateCoder(windowSeconds: 0.01, channelCount: 4, fibreGroups: groups, bandsPerGroup: 2)
        let layout = coder.frameLayout!
        XCTAssertEqual(layout.levelCueCount, 4)
        XCTAssertEqual(layout.featureCount, 2 * 4 + 3)
        // Left: 14 high-spontaneous spikes in channel 0, 10 in channel 1 (band 0: 24); 3 low ones in
        // channel 3 (band 3). Right: 6 high in channel 1 (band 0: 6), 1 low in channel 2 (band 3: 1).
        var left = SpikeBlock(channelCount: 4)
        left.times = [
            (0..<14).map { 0.0005 * Double($0 + 1) }, (0..<10).map { 0.0005 * Double($0 + 1) }, [],
            [0.001, 0.002, 0.003],
        ]
        left.fibre = [Array(repeating: 0, count: 14), Array(repeating: 1, count: 10), [], [4, 5, 4]]
        left.endSeconds = 0.01
        var right = SpikeBlock(channelCount: 4)
        right.times = [[], (0..<6).map { 0.001 * Double($0 + 1) }, [0.004], []]
        right.fibre = [[], Array(repeating: 2, count: 6), [5], []]
        right.endSeconds = 0.01
        coder.add(left: left, right: right)
        _ = coder.finish()
        let frames = coder.drainFrames()
        XCTAssertEqual(frames.count, 1)
        // Band gates: 2 channels x (11.6 - 2) + 2 = 21.2 spikes in the first group (band 0 saw 30:
        // open, d = (6 - 24) / 30; band 1 saw none), 2 x (2.22 - 2) + 2 = 2.44 in the second (band 2
        // saw none; band 3 saw 3 + 1: open, d = (1 - 3) / 4).
        XCTAssertEqual(frames[0][0], -0.6, accuracy: 1e-15, "one division of small integers")
        XCTAssertEqual(Array(frames[0][1...7]), [0, 0, -0.5, 1, 0, 0, 1])
    }
}
