import Decoding
import Evaluation
import Foundation
import Pipeline
import RateCoding
import XCTest

/// The shipped trained rate read-out (Pipeline's `RateClassifier.kemar`) against the frame layout
/// rate training (Evaluation) makes for the default model. That `localize` and `compare` give the
/// same rate answer is checked on the commands themselves (EndToEndTests' CompareCommandTests).
final class ShippedRateModelTests: XCTestCase {
    /// The shipped read-out fits the default model's frames, counted as it was trained to read them
    /// (it is re-made by `make rate-model` whenever they change), and its cost per frame is what its weights say.
    func testShippedReadOutFitsTheDefaultModel() {
        var configuration = LocalizerConfiguration()
        configuration.countRateSpikes(like: .kemar)
        let layout = RateTraining.layout(
            windowSeconds: configuration.rateWindowSeconds, configuration: configuration,
            sampleRateHz: 44100)
        let model = RateClassifier.kemar
        XCTAssertTrue(model.layout.fits(layout))
        XCTAssertTrue(model.fitsItsLayout)
        XCTAssertEqual(model.classCount, 37)
        XCTAssertEqual(
            model.multiplyAccumulatesPerFrame,
            model.hiddenWeights.count + model.weights.count + 3 * model.classCount + 1)
    }
}
