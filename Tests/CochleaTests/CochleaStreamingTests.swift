import Cochlea
import DSP
import Stimuli
import XCTest

final class CochleaStreamingTests: XCTestCase {
    func spikes(of x: [Float], block: Int) -> [[Double]] {
        var config = CochleaConfiguration()
        config.channelCount = 12
        let cochlea = Cochlea(configuration: config, sampleRateHz: 44100, ear: .left, seed: 5)
        var all = [[Double]](repeating: [], count: 12)
        var out = SpikeBlock(channelCount: 12)
        var i = 0
        while i < x.count {
            let j = min(i + block, x.count)
            cochlea.process(Array(x[i..<j]), into: &out)
            for c in 0..<12 { all[c] += out.times[c] }
            i = j
        }
        return all
    }

    func testSpikesDoNotDependOnBlockSize() {
        var g = SeededGenerator(seed: 3)
        let x = Stimulus.whiteNoise.render(durationSeconds: 1, sampleRateHz: 44100, rms: 0.05, generator: &g)
        let whole = spikes(of: x, block: x.count)
        XCTAssertGreaterThan(whole.reduce(0) { $0 + $1.count }, 1000)
        for block in [64, 1000, 44100] {
            let s = spikes(of: x, block: block)
            for c in 0..<12 {
                XCTAssertEqual(s[c].count, whole[c].count, "block \(block) channel \(c)")
                // Identical arithmetic in the same order: equal to the last bit, or within one
                // ulp of the time where the block edge re-bases a sum.
                for (a, b) in zip(s[c], whole[c]) { XCTAssertEqual(a, b, accuracy: 4 * b.ulp + 1e-12) }
            }
        }
    }
}
