import RateCoding

/// Turns rate features into an azimuth. With a calibration (`RateCodeCalibration`) it uses the
/// learned read-out; without one it reads the ITD from the peak of the binned cross-correlation and
/// maps it through the head model, as the temporal path does.
public struct RateCodeDecoder: Sendable {
    var headModel: HeadModel
    var calibration: RateCodeCalibration?
    public init(headModel: HeadModel, calibration: RateCodeCalibration? = nil) {
        self.headModel = headModel
        self.calibration = calibration
    }

    /// Azimuth in degrees, or nil when there were no spikes.
    public func azimuthDegrees(_ features: RateFeatures) -> Double? {
        guard let lag = features.bestLagSeconds else { return nil }
        if let calibration { return calibration.azimuthDegrees(features) }
        return headModel.azimuthDegrees(itdSeconds: lag)
    }

    /// Multiply-accumulates one decision costs the decoder.
    public var multiplyAccumulates: Int { calibration?.decoderMultiplyAccumulates ?? 2 }
}
