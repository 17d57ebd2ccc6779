import AudioIO
import Decoding
import Evaluation
import Foundation
import Pipeline
import Reports
import XCTest

/// Issue 17: a sound with no direction says why in the CSV's status column, in the words of
/// `NoDirectionReason`. The inputs are two of Evaluation's null inputs (`NullInput`), whose rates of
/// false alarms EvaluationTests' NullDistributionTests measure.
final class NoDirectionStatusTests: XCTestCase {
    /// The reasons reach the CSV's status column.
    func testStatusSaysWhyThereIsNoDirection() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("null-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (input, reason) in [
            (NullInput.nearSilence, NoDirectionReason.noEvidenceAboveSpontaneous), (.antiPhase, .ambiguousSide),
        ] {
            let (left, right) = input.samples(seed: 3, sampleRateHz: 44100)
            let path = dir.appendingPathComponent("\(input.rawValue).wav").path
            try writeAudioFile(path: path, channels: [left, right], sampleRateHz: 44100, sampleFormat: .float32)
            let f = try FileLocalizer(configuration: .init()).localize(path: path)
            XCTAssertNil(f.result.temporal, input.rawValue)
            XCTAssertEqual(f.result.noDirectionReason, reason, input.rawValue)
            let line = LocalizationReport.csvLine(.located(f))
            XCTAssert(line.contains(",no direction: \(reason.rawValue),"), line)
        }
    }
}
