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
}
