import DSP

/// Everything that can go wrong reading or writing an audio file, each naming the file.
/// `description` is the one line a user sees: the path, a colon, then the reason in plain words.
public enum AudioIOError: Error, Equatable, CustomStringConvertible, Sendable {
    case noSuchFile(path: String)
    case isDirectory(path: String)
    case permissionDenied(path: String)
    /// A FIFO, socket, device or symbolic link loop: anything that is not a readable regular file.
    case notRegularFile(path: String, reason: String)
    /// The file exists but holds zero bytes.
    case emptyFile(path: String)
    /// libsndfile does not recognise the contents; `reason` is its own message.
    case notAudio(path: String, reason: String)
    /// The header promises more sample data than the file holds (a cut-off download or recording).
    case truncated(path: String, promisedFrames: Int64, presentFrames: Int64)
    case notStereo(path: String, channelCount: Int)
    case channelOutOfRange(path: String, requested: Int, channelCount: Int)
    /// A valid header with no sample frames.
    case empty(path: String)
    case unsupportedSampleRate(path: String, sampleRateHz: Int)
    case nonFiniteSample(path: String, frame: Int64, channel: Int, sampleRateHz: Int)
    /// A (float) sample far beyond full scale: no recording holds one, a damaged file does.
    case sampleOutOfRange(path: String, frame: Int64, channel: Int, value: Float, sampleRateHz: Int)
    case readFailed(path: String, reason: String)
    /// Standard input was asked for but is a terminal, not a pipe or a file.
    case terminalInput(path: String)
    case cannotWrite(path: String, reason: String)

    var path: String {
        switch self {
        case .noSuchFile(let p), .isDirectory(let p), .permissionDenied(let p), .emptyFile(let p),
            .notRegularFile(let p, _),
            .notAudio(let p, _), .truncated(let p, _, _), .notStereo(let p, _), .channelOutOfRange(let p, _, _),
            .empty(let p), .unsupportedSampleRate(let p, _), .nonFiniteSample(let p, _, _, _),
            .sampleOutOfRange(let p, _, _, _, _),
            .readFailed(let p, _), .terminalInput(let p), .cannotWrite(let p, _):
            return p
        }
    }

    public var description: String { "\(displayName(path: path)): \(reason)" }

    /// The line for a command that reads files with no way to choose their channels (`compare`
    /// reads a manifest's files as they are): the same, but a channel count is not answered with
    /// advice to pass `--channels`, which that command would refuse.
    public var descriptionWithoutChannelChoice: String {
        guard case .notStereo(_, let n) = self else { return description }
        let need = "two are needed, one per ear; make the file stereo first (e.g. sox IN OUT remix 1 2)"
        return "\(displayName(path: path)): has \(n) channel\(n == 1 ? "" : "s"); \(need)"
    }

    /// The problem in plain words, without the path.
    public var reason: String {
        switch self {
        case .noSuchFile:
            return "no such file"
        case .isDirectory:
            return "is a directory, not an audio file"
        case .permissionDenied:
            return "permission denied (the file is not readable)"
        case .emptyFile:
            return "empty file (0 bytes)"
        case .notRegularFile(_, let reason):
            return reason
        case .notAudio(_, let reason):
            return "not a readable audio file (libsndfile: \(reason))"
        case .truncated(_, let promised, let present):
            return "truncated: the header promises \(promised) frames but the file holds only \(present)"
        case .notStereo(_, 1):
            return "has 1 channel; two are needed, one per ear (for files with more channels, --channels L,R picks two)"
        case .notStereo(_, let n):
            return "has \(n) channels; pick the left and right ones with --channels L,R (1-based)"
        case .channelOutOfRange(_, let requested, let n):
            return "channel \(requested) does not exist; the file has \(n) channel\(n == 1 ? "" : "s")"
        case .empty:
            return "contains no audio frames"
        case .unsupportedSampleRate(_, let rate):
            return "sample rate \(rate) Hz is outside the supported \(supportedSampleRatesText)"
        case .nonFiniteSample(_, let frame, let channel, let rate):
            let seconds = (Double(frame) / Double(max(rate, 1)) * 1000).rounded() / 1000
            return "non-finite sample (NaN or infinity) in channel \(channel + 1) at frame \(frame) (\(seconds) s)"
        case .sampleOutOfRange(_, let frame, let channel, let value, let rate):
            let seconds = (Double(frame) / Double(max(rate, 1)) * 1000).rounded() / 1000
            return "sample \(value) in channel \(channel + 1) at frame \(frame) (\(seconds) s) is beyond "
                + "+-\(Int(maximumSampleMagnitude)) (60 dB over full scale); the file looks damaged"
        case .readFailed(_, let reason):
            return "read failed: \(reason)"
        case .terminalInput:
            return
                "is a terminal; pipe audio into it (e.g. arecord -c 2 -f S16_LE -r 48000 -t wav | soundloc localize -)"
        case .cannotWrite(_, let reason):
            return "cannot write: \(reason)"
        }
    }
}

/// The largest sample magnitude accepted: 60 dB over full scale (160 dB SPL at the model's
/// 100 dB SPL full scale). Float files may exceed 1, but not by this much unless damaged, and
/// absurd values (1e30) would swamp or stall the model.
let maximumSampleMagnitude: Float = 1000
