import Cochlea
import Foundation
import RateCoding
import XCTest

final class RateCodeWindowTests: XCTestCase {
    /// One channel; a spike every 5 ms in the right ear and the same spike `leadSeconds` later in
    /// the left, over 1 s, fed in 50 ms blocks.
    func features(windowSeconds: Double, leadSeconds: Double, leftExtra: Int = 0) -> RateFeatures {
        var coder = RateCoder(windowSeconds: windowSeconds, channelCount: 1, maxLagSeconds: 0.0009)
        for block in 0..<20 {
            var l = SpikeBlock(channelCount: 1)
            var r = SpikeBlock(channelCount: 1)
            l.startSeconds = Double(block) * 0.05
            l.endSeconds = l.startSeconds + 0.05
            r.startSeconds = l.startSeconds
            r.endSeconds = l.endSeconds
            for k in 0..<10 {
                let t = l.startSeconds + 0.00122 + Double(k) * 0.005
                r.times[0].append(t)
                l.times[0].append(t + leadSeconds)
                if k < leftExtra { l.times[0].append(t + 0.002) }
            }
            coder.add(left: l, right: r)
        }
        return coder.finish()
    }

    /// With 0.05 ms windows the binned cross-correlation peaks at the 300 us lead; with 10 ms
    /// windows both ears' spikes share a bin and the lag is lost (the point of the comparison).
    func testNarrowWindowsKeepTheITDWideWindowsLoseIt() throws {
        let narrow = features(windowSeconds: 0.00005, leadSeconds: 0.0003)
        // Half a window: the peak's bin is exact, parabolic interpolation moves it at most W/2.
        XCTAssertEqual(try XCTUnwrap(narrow.bestLagSeconds), 0.0003, accuracy: 0.000025)
        XCTAssertEqual(narrow.leftCounts, [200])
        XCTAssertEqual(narrow.rightCounts, [200])
        let wide = features(windowSeconds: 0.010, leadSeconds: 0.0003)
        // Every spike pair falls in one 10 ms bin (spikes sit 1.22...46.52 ms into each 50 ms
        // block, 300 us apart, never straddling a multiple of 10 ms), so the correlation is
        // symmetric and its peak sits at lag 0.
        XCTAssertEqual(try XCTUnwrap(wide.bestLagSeconds), 0, accuracy: 1e-12)
    }

    /// The level cue: (R - L) / (R + L) from the counts, by hand 200 vs 200 + 20 * 3 extra left spikes.
    func testRateDifferenceIsTheNormalisedCountDifference() {
        let f = features(windowSeconds: 0.010, leadSeconds: 0, leftExtra: 3)
        XCTAssertEqual(f.leftCounts, [260])
        XCTAssertEqual(f.rateDifferences, [Double(200 - 260) / Double(460)])
    }
}
