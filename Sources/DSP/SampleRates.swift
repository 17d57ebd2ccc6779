/// The sample rates, in Hz, the model accepts: every reader, renderer and option checks against
/// this one range, and the cochlea, which it constrains, refuses any other. Its bounds are where
/// the gammatone filterbank is tested to keep its gain and stay stable with centre frequencies up
/// to 0.45 x the rate (`GammatoneTests`), and they cover telephone audio (8 kHz) to studio (192 kHz).
public let supportedSampleRatesHz = 8000...192_000

/// "8000...192000 Hz", for messages.
public let supportedSampleRatesText = "\(supportedSampleRatesHz.lowerBound)...\(supportedSampleRatesHz.upperBound) Hz"

/// Whether `hz` lies in `supportedSampleRatesHz` (false for NaN).
@inlinable
public func isSupportedSampleRate(_ hz: Double) -> Bool {
    hz >= Double(supportedSampleRatesHz.lowerBound) && hz <= Double(supportedSampleRatesHz.upperBound)
}
