/// The impulse responses from one direction to the two ear canals.
public struct HeadRelatedImpulseResponse: Sendable, Equatable {
    public var left: [Float]
    public var right: [Float]
    var sampleRateHz: Double
    /// Direction actually measured (the nearest one to the request), in degrees: azimuth 0 ahead,
    /// positive right; elevation positive up.
    public var azimuthDegrees: Double
    public var elevationDegrees: Double

    public init(left: [Float], right: [Float], sampleRateHz: Double, azimuthDegrees: Double, elevationDegrees: Double) {
        self.left = left
        self.right = right
        self.sampleRateHz = sampleRateHz
        self.azimuthDegrees = azimuthDegrees
        self.elevationDegrees = elevationDegrees
    }
}
