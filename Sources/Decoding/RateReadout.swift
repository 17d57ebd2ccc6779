import RateCoding

/// A rate-code read-out: what one counting window's spikes say about the azimuth. Two kinds read
/// differently and both fit here: the trained read-out (`RateEvidence`) classifies the decision
/// frames as the rate coder finishes them, and the uncalibrated lag read-out and the calibrated
/// ones (`RateCodeDecoder`) read the whole sound's features once at the end. The pipeline holds
/// one per window and asks each the same questions, so a further read-out needs no change there.
public protocol RateReadout: Sendable {
    /// How it reads, in the words reports use: "trained", "lag", or a calibrated read-out's name.
    var name: String { get }
    /// True when it reads the coder's decision frames; the frames' features are then part of its
    /// decision's cost.
    var readsFrames: Bool { get }
    /// Takes the decision frames the coder has finished since the last call (`RateCoder.drainFrames`),
    /// in time order; a read-out of the whole sound's features ignores them.
    mutating func add(frames: [[Double]])
    /// The azimuth, in degrees (-90...90), and a confidence in 0...1 (0 when the read-out has no
    /// measure of it), for a sound whose whole features are `features`; nil when there is no answer.
    func estimate(_ features: RateFeatures) -> (azimuthDegrees: Double, confidence: Double)?
    /// Multiply-accumulates of one decision beyond the features (and beyond the frames' features).
    var decisionMultiplyAccumulates: Int { get }
}

extension RateEvidence: RateReadout {
    public var name: String { "trained" }
    public var readsFrames: Bool { true }

    public func estimate(_ features: RateFeatures) -> (azimuthDegrees: Double, confidence: Double)? {
        azimuthDegrees.map { ($0, confidence) }
    }

    /// The frames' classifications (and pooling), then four for the parabolic refinement of the best
    /// class (`parabolicVertex`), as the trained read-out has counted it since it came in.
    public var decisionMultiplyAccumulates: Int { totalMultiplyAccumulates + 4 }
}

extension RateCodeDecoder: RateReadout {
    public var name: String { calibration?.readout.rawValue ?? "lag" }
    public var readsFrames: Bool { false }
    public mutating func add(frames: [[Double]]) {}

    public func estimate(_ features: RateFeatures) -> (azimuthDegrees: Double, confidence: Double)? {
        azimuthDegrees(features).map { ($0, 0) }
    }

    public var decisionMultiplyAccumulates: Int { multiplyAccumulates }
}
