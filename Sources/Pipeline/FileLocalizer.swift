import AudioIO

/// Why a file that was read without error still carries no sound to localise.
public enum Soundlessness: String, Sendable {
    /// Every sample is exactly zero.
    case digitalSilence = "the file is digital silence"
    /// Each channel holds one constant value (a DC offset): nothing the ear could hear.
    case constant = "the signal is constant (DC offset only)"
}

/// The outcome of localising one file.
public struct FileLocalization: Sendable {
    public var path: String
    public var info: AudioFileInfo
    public var result: LocalizationResult
    /// Set when the file holds no sound; the result then has no direction.
    public var soundlessness: Soundlessness?
}

/// Problems with a readable file's signal, or with the run, rather than with the file itself.
public enum SignalError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Fewer frames than one readout frame of the Jeffress array.
    case tooShort(path: String, seconds: Double, minimumSeconds: Double)
    /// One channel is constant while the other carries sound. An interaural time difference
    /// needs sound at both ears, so this is refused rather than guessed.
    case silentChannel(path: String, side: String, channelNumber: Int)
    /// Stopped on request (Ctrl-C) before the file was finished.
    case interrupted(path: String)

    public var description: String {
        switch self {
        case .tooShort(let path, let seconds, let minimum):
            let path = displayName(path: path)
            return "\(path): too short: \(milliseconds(seconds)) ms of sound; at least one readout frame "
                + "(\(milliseconds(minimum)) ms, --frame-ms) is needed"
        case .silentChannel(let path, let side, let number):
            let path = displayName(path: path)
            return "\(path): the \(side) channel (channel \(number)) carries no sound (silent or constant); "
                + "a time difference needs sound in both ears"
        case .interrupted(let path):
            return "\(displayName(path: path)): interrupted"
        }
    }

    func milliseconds(_ seconds: Double) -> String { String((seconds * 10_000).rounded() / 10) }
}

/// Streams an audio file through the model block by block, so memory does not grow with the
/// file's length.
public struct FileLocalizer: Sendable {
    var configuration: LocalizerConfiguration
    /// Zero-based left and right channel indices for files with more than two channels.
    var channels: (left: Int, right: Int)?
    /// Frames per block read from the file.
    public var blockFrames: Int = FileLocalizer.defaultBlockFrames
    /// The block length every in-memory run uses too (`StereoSamples`), in frames.
    public static let defaultBlockFrames = 8192
    /// Frames per block read from standard input: small, since a live track's row waits for the
    /// block holding its frame's end (1024 frames are 21 ms at 48 kHz). Answers do not depend on
    /// the block size.
    var streamBlockFrames: Int = 1024
    /// The layout of header-less input, when it is raw PCM.
    var raw: RawPCMFormat?

    public init(
        configuration: LocalizerConfiguration, channels: (left: Int, right: Int)? = nil,
        raw: RawPCMFormat? = nil
    ) {
        self.configuration = configuration
        self.channels = channels
        self.raw = raw
    }

    /// Localises the file at `path` (standard input when it is "-"). `progress` receives the
    /// fraction done (0...1) after each block of a file; `shouldStop` is asked before each block
    /// and ends the run with `SignalError.interrupted` when it answers true; `onTrackPoint`
    /// receives each frame of the track as soon as it is final (with `keepsTrack`). Throws
    /// `AudioIOError` for files that cannot be read and `SignalError` for signals that cannot be
    /// localised.
    public func localize(
        path: String, progress: ((Double) -> Void)? = nil,
        shouldStop: (() -> Bool)? = nil,
        onTrackPoint: ((TrackPoint) -> Void)? = nil
    ) throws -> FileLocalization {
        let isStream = path == standardInputPath
        let reader = try StereoFileReader(
            path: path, channels: channels,
            blockFrames: isStream ? streamBlockFrames : blockFrames, raw: raw)
        let rate = Double(reader.info.sampleRateHz)
        let minimumSeconds = configuration.jeffress.frameSeconds
        // Rejected before any work when the header already says so; checked again at the end,
        // since a header can overstate the length.
        func checkLength(_ frames: Int64) throws {
            if Double(frames) < (minimumSeconds * rate).rounded(.down) {
                throw SignalError.tooShort(path: path, seconds: Double(frames) / rate, minimumSeconds: minimumSeconds)
            }
        }
        if !reader.isStream { try checkLength(reader.info.frameCount) }
        let localizer = Localizer(configuration: configuration, sampleRateHz: rate)
        localizer.trackObserver = onTrackPoint
        var source = reader
        var leftLevel = ConstancyCheck()
        var rightLevel = ConstancyCheck()
        let total = Double(max(reader.info.frameCount, 1))
        let finished = try localizer.feed(&source, shouldStop: shouldStop) { left, right in
            leftLevel.add(left)
            rightLevel.add(right)
            if !reader.isStream { progress?(min(1, Double(reader.position) / total)) }
        }
        if !finished { throw SignalError.interrupted(path: path) }
        guard reader.position > 0 else { throw AudioIOError.empty(path: path) }
        try checkLength(reader.position)
        var result = localizer.finish()
        var soundlessness: Soundlessness?
        switch (leftLevel.isConstant, rightLevel.isConstant) {
        case (true, true):
            soundlessness = leftLevel.isZero && rightLevel.isZero ? .digitalSilence : .constant
            result.temporal = nil
            result.rate = nil
        case (true, false):
            throw SignalError.silentChannel(path: path, side: "left", channelNumber: reader.channelIndices.left + 1)
        case (false, true):
            throw SignalError.silentChannel(path: path, side: "right", channelNumber: reader.channelIndices.right + 1)
        case (false, false):
            break
        }
        return FileLocalization(path: path, info: reader.info, result: result, soundlessness: soundlessness)
    }
}

/// Whether every sample of a stream so far has had the same value.
struct ConstancyCheck {
    var first: Float?
    var isConstant = true

    var isZero: Bool { isConstant && (first ?? 0) == 0 }

    mutating func add(_ samples: [Float]) {
        guard isConstant, let head = first ?? samples.first else { return }
        first = head
        isConstant = !samples.contains { $0 != head }
    }
}
