import Pipeline
import XCTest

/// The ears and the coincidence network's channels share nothing until the read-out, so spreading
/// them over threads must leave every number as it was: exact equality, no tolerance.
final class ThreadingTests: XCTestCase {
    func testTwoAndThreeThreadsGiveTheSameResultAsOne() {
        let (left, right) = PureITDTests.pureITD(itdSeconds: 230e-6, seconds: 0.3, seed: 41)
        func run(threads: Int) -> LocalizationResult {
            var config = LocalizerConfiguration()
            config.seed = 7
            config.threadCount = threads
            config.keepsTrack = true
            // Several blocks, so that the threads meet at block and frame boundaries.
            return Localizer.localize(
                left: left, right: right, sampleRateHz: PureITDTests.fs, configuration: config,
                blockFrames: 1500)
        }
        let one = run(threads: 1)
        XCTAssertNotNil(one.temporal)
        for threads in [2, 3] {
            let many = run(threads: threads)
            XCTAssertEqual(many.temporal, one.temporal, "\(threads) threads")
            XCTAssertEqual(many.rate, one.rate, "\(threads) threads")
            XCTAssertEqual(many.activity, one.activity, "\(threads) threads")
            XCTAssertEqual(many.track, one.track, "\(threads) threads")
            XCTAssertEqual(many.costs, one.costs, "\(threads) threads")
        }
    }
}
