import Cochlea
import Decoding
import Foundation
import RateCoding
import XCTest

/// The rate code's learned read-outs (`RateCodeCalibration`), on features made by hand.
final class RateCodeCalibrationTests: XCTestCase {
    /// The learned read-outs recover a level cue that is linear in azimuth: channel 0's rate
    /// difference is azimuth / 100 (plus the count rounding), channel 1's carries nothing. The
    /// lag of these evenly spread spikes is an artefact of where they fall in bins, so only the
    /// level cue is read.
    func testCalibratedReadoutsLearnALevelCue() throws {
        func levelFeatures(_ az: Double, token: Int) -> RateFeatures {
            var coder = RateCoder(windowSeconds: 0.01, channelCount: 2)
            var l = SpikeBlock(channelCount: 2)
            var r = SpikeBlock(channelCount: 2)
            l.endSeconds = 1
            r.endSeconds = 1
            // 1000 spikes in channel 0 split by the level cue; 500 + token in both ears of channel 1.
            let right = Int((500 * (1 + az / 100)).rounded())
            r.times[0] = (0..<right).map { Double($0) / Double(right) }
            l.times[0] = (0..<(1000 - right)).map { Double($0) / Double(1000 - right) }
            for ear in [0, 1] {
                let n = 500 + token
                let times = (0..<n).map { Double($0) / Double(n) }
                if ear == 0 { l.times[1] = times } else { r.times[1] = times }
            }
            coder.add(left: l, right: r)
            return coder.finish()
        }
        let azimuths = stride(from: -80.0, through: 80, by: 10).map { $0 }
        var samples: [RateCodeCalibration.Sample] = []
        for az in azimuths {
            for token in 0..<2 {
                samples.append(.init(features: levelFeatures(az, token: token), azimuthDegrees: az, fold: token))
            }
        }
        for readout in [RateCodeCalibration.Readout.linear, .template] {
            let cal = RateCodeCalibration.train(samples, source: "synthetic", readout: readout, cues: .level)
            XCTAssertEqual(cal.readout, readout)
            for az in [-65.0, -5, 35, 72] {
                // Linear: exact up to the ridge penalty's shrinkage and count rounding (0.1 degree
                // per spike); template: parabolic interpolation between 10-degree templates.
                XCTAssertEqual(
                    cal.azimuthDegrees(levelFeatures(az, token: 5)), az, accuracy: readout == .linear ? 1 : 3,
                    "\(readout) at \(az)")
            }
        }
        let auto = RateCodeCalibration.train(samples, source: "synthetic", cues: .level)
        XCTAssertEqual(Set(auto.crossValidatedErrorDegrees.keys), ["linear", "template"])
        let best = try XCTUnwrap(auto.crossValidatedErrorDegrees.values.min())
        XCTAssertEqual(auto.crossValidatedErrorDegrees[auto.readout.rawValue], best)
        // A calibration survives a round trip through JSON unchanged.
        let decoded = try JSONDecoder().decode(RateCodeCalibration.self, from: JSONEncoder().encode(auto))
        XCTAssertEqual(decoded, auto)
    }
}
