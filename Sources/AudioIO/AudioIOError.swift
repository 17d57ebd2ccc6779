/// Everything that can go wrong reading or writing an audio file, each naming the file.
/// `description` is the one line a user sees.
public enum AudioIOError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case notStereo(path: String, channelCount: Int)
    case channelOutOfRange(path: String, requested: Int, channelCount: Int)
    case empty(path: String)
    case unsupportedSampleRate(path: String, sampleRateHz: Int)
    case nonFiniteSample(path: String, frame: Int64, channel: Int, sampleRateHz: Int)
    case readFailed(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var path: String {
        switch self {
        case let .cannotOpen(p, _), let .notStereo(p, _), let .channelOutOfRange(p, _, _), let .empty(p),
             let .unsupportedSampleRate(p, _), let .nonFiniteSample(p, _, _, _), let .readFailed(p, _),
             let .cannotWrite(p, _):
            return p
        }
    }

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot read as audio: \(reason)"
        case let .notStereo(path, n) where n == 1:
            return "\(path): has 1 channel; two are needed (left and right ear)"
        case let .notStereo(path, n):
            return "\(path): has \(n) channels; pick the left and right ones with --channels L,R (1-based)"
        case let .channelOutOfRange(path, requested, n):
            return "\(path): channel \(requested) does not exist; the file has \(n) channel\(n == 1 ? "" : "s")"
        case let .empty(path):
            return "\(path): contains no audio frames"
        case let .unsupportedSampleRate(path, rate):
            return "\(path): sample rate \(rate) Hz is outside the supported 8000...192000 Hz"
        case let .nonFiniteSample(path, frame, channel, rate):
            let seconds = Double(frame) / Double(max(rate, 1))
            let where_ = String(format3(seconds))
            return "\(path): non-finite sample (NaN or infinity) in channel \(channel + 1) at frame \(frame) (\(where_) s)"
        case let .readFailed(path, reason):
            return "\(path): read failed: \(reason)"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}

func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return "\(scaled)"
}
