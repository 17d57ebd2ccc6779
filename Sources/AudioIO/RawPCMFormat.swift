import DSP

/// The layout of header-less (raw) PCM: what `--raw RATE,CHANNELS,FORMAT` states, since the
/// bytes themselves cannot say it. Samples are interleaved and little-endian.
public struct RawPCMFormat: Sendable, Equatable {
    public enum Encoding: String, Sendable, CaseIterable {
        /// Signed integers of 16, 24 (packed in 3 bytes) or 32 bits; 32-bit IEEE floats.
        case s16, s24, s32, f32
    }

    var sampleRateHz: Int
    var channelCount: Int
    public var encoding: Encoding

    public init(sampleRateHz: Int, channelCount: Int, encoding: Encoding) {
        self.sampleRateHz = sampleRateHz
        self.channelCount = channelCount
        self.encoding = encoding
    }

    /// Parses "RATE,CHANNELS,FORMAT", e.g. "48000,2,s16"; nil when the text is not of that form
    /// or its numbers are out of range (8000...192000 Hz, 1...256 channels).
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
        guard parts.count == 3, let rate = Int(parts[0]), let channels = Int(parts[1]),
            let encoding = Encoding(rawValue: parts[2].lowercased()),
            supportedSampleRatesHz.contains(rate), (1...256).contains(channels)
        else { return nil }
        self.init(sampleRateHz: rate, channelCount: channels, encoding: encoding)
    }

    /// What `--raw` accepts, for help texts and messages.
    public static let syntax =
        "RATE,CHANNELS,FORMAT with FORMAT one of "
        + Encoding.allCases.map(\.rawValue).joined(separator: ", ") + " (little-endian), e.g. 48000,2,s16"
}

/// Sample rates the model accepts, in Hz.

/// The name `-` stands for standard input, as in most Unix tools.
public let standardInputPath = "-"

/// How a path is named in messages: standard input by its name rather than as "-".
public func displayName(path: String) -> String { path == standardInputPath ? "standard input" : path }
