import AudioIO
import Decoding

/// The outcome of localising one file.
public struct FileLocalization: Sendable {
    public var path: String
    public var info: AudioFileInfo
    public var result: LocalizationResult
}

/// Streams an audio file through the model block by block, so memory does not grow with the
/// file's length.
public struct FileLocalizer: Sendable {
    public var configuration: LocalizerConfiguration
    /// Zero-based left and right channel indices for files with more than two channels.
    public var channels: (left: Int, right: Int)?
    /// Frames per block read from the file.
    public var blockFrames: Int = 8192

    public init(configuration: LocalizerConfiguration, channels: (left: Int, right: Int)? = nil) {
        self.configuration = configuration
        self.channels = channels
    }

    /// Localises the file at `path`. `progress` receives the fraction done (0...1) after each
    /// block. Throws `AudioIOError` for files that cannot be used.
    public func localize(path: String, progress: ((Double) -> Void)? = nil) throws -> FileLocalization {
        let reader = try StereoFileReader(path: path, channels: channels, blockFrames: blockFrames)
        let localizer = Localizer(configuration: configuration, sampleRateHz: Double(reader.info.sampleRateHz))
        var left: [Float] = [], right: [Float] = []
        left.reserveCapacity(blockFrames); right.reserveCapacity(blockFrames)
        let total = Double(max(reader.info.frameCount, 1))
        while try reader.readBlock(left: &left, right: &right) > 0 {
            localizer.process(left: left, right: right)
            progress?(min(1, Double(reader.position) / total))
        }
        guard reader.position > 0 else { throw AudioIOError.empty(path: path) }
        return FileLocalization(path: path, info: reader.info, result: localizer.finish())
    }
}
