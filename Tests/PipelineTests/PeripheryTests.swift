import Cochlea
import Pipeline
import XCTest

/// The pipeline reads its ears only through `AuditoryPeriphery`: a periphery that replays the
/// spikes the cochleae fired on a first run must give the second run the same result, to the bit
/// (exact equality: the later stages see the same spikes in the same blocks).
final class PeripheryTests: XCTestCase {
    /// Hands out recorded blocks one per call, ignoring the samples.
    final class ReplayedEar: AuditoryPeriphery {
        var blocks: [SpikeBlock]
        let centreFrequenciesHz: [Double]
        let spontaneousSpikesPerSecondPerChannel: Double
        var channelCount: Int { centreFrequenciesHz.count }

        init(blocks: [SpikeBlock], of ear: Cochlea) {
            self.blocks = blocks
            centreFrequenciesHz = ear.centreFrequenciesHz
            spontaneousSpikesPerSecondPerChannel = ear.spontaneousSpikesPerSecondPerChannel
        }

        func process(_ samples: [Float], into spikes: inout SpikeBlock) { spikes = blocks.removeFirst() }
    }

    func testReplayedSpikesGiveTheSameResult() {
        let (left, right) = PureITDTests.pureITD(itdSeconds: -180e-6, seconds: 0.3, seed: 12)
        var config = LocalizerConfiguration()
        config.keepsTrack = true
        config.sweepRateWindowsSeconds = [0.05]
        let first = Localizer(configuration: config, sampleRateHz: PureITDTests.fs)
        var recorded: [(SpikeBlock, SpikeBlock)] = []
        first.spikeObserver = { recorded.append(($0, $1)) }
        var source = StereoSamples(left: left, right: right, blockFrames: 2000)
        first.feed(&source)
        let original = first.finish()
        XCTAssertNotNil(original.temporal)

        let ear = Cochlea(configuration: config.cochlea, sampleRateHz: PureITDTests.fs, ear: .left, seed: config.seed)
        let replay = Localizer(
            configuration: config, sampleRateHz: PureITDTests.fs,
            leftEar: ReplayedEar(blocks: recorded.map(\.0), of: ear),
            rightEar: ReplayedEar(blocks: recorded.map(\.1), of: ear))
        var again = StereoSamples(left: left, right: right, blockFrames: 2000)
        replay.feed(&again)
        let replayed = replay.finish()
        XCTAssertEqual(replayed.temporal, original.temporal)
        XCTAssertEqual(replayed.rateAnswers, original.rateAnswers)
        XCTAssertEqual(replayed.activity, original.activity)
        XCTAssertEqual(replayed.lsoSpikeCounts, original.lsoSpikeCounts)
        XCTAssertEqual(replayed.track, original.track)
        XCTAssertEqual(replayed.costs, original.costs)
    }
}
