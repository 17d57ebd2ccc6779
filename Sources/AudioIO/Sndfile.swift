import CSndfile
import DSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The only file that calls libsndfile. Its return codes become `AudioIOError`s here.

/// What a file says about itself before any sample is read.
public struct AudioFileInfo: Sendable, Equatable {
    public var sampleRateHz: Int
    var channelCount: Int
    /// Number of frames (one sample per channel), as the header states it.
    public var frameCount: Int64
    /// libsndfile's major format and subtype, for messages (e.g. "WAV, PCM 24-bit").
    public var formatDescription: String
    public var durationSeconds: Double { Double(frameCount) / Double(max(sampleRateHz, 1)) }
}

/// Reads two channels of an audio file in blocks, as 32-bit floats in -1...1.
///
/// Memory stays constant whatever the file's length: only one block is held at a time.
public final class StereoFileReader {
    let path: String
    public let info: AudioFileInfo
    /// Zero-based indices of the channels read as left and right.
    public let channelIndices: (left: Int, right: Int)
    private var handle: OpaquePointer?
    private var interleaved: [Float]
    private var framesRead: Int64 = 0
    /// False for compressed streams (Ogg, MPEG) whose stated length libsndfile only estimates, and
    /// for files whose header says the length is unknown.
    private let frameCountIsExact: Bool
    public let blockFrames: Int

    /// True when reading standard input: the header's frame count is then only a hint (a WAV
    /// written by `arecord` to a pipe states a length it cannot know) and the end of the input
    /// is the end of the sound.
    public let isStream: Bool

    /// Opens `path`, or standard input when `path` is `standardInputPath` ("-"). `channels` picks
    /// the left and right channel (zero-based) of a file with more than two; a stereo file needs
    /// none. `raw` reads header-less PCM of that layout. Throws `AudioIOError` naming the problem.
    public init(
        path: String, channels: (left: Int, right: Int)? = nil, blockFrames: Int = 16384,
        raw: RawPCMFormat? = nil
    ) throws {
        self.path = path
        self.blockFrames = max(1, blockFrames)
        isStream = path == standardInputPath
        var sfinfo = SF_INFO()
        if let raw {
            sfinfo.samplerate = Int32(raw.sampleRateHz)
            sfinfo.channels = Int32(raw.channelCount)
            sfinfo.format = Int32(SF_FORMAT_RAW) | raw.encoding.subtype | Int32(SF_ENDIAN_LITTLE)
        }
        let opened: OpaquePointer?
        if isStream {
            // A terminal would leave the user waiting for audio that never comes.
            if isatty(STDIN_FILENO) != 0 { throw AudioIOError.terminalInput(path: path) }
            // The descriptor stays open: it is the process's standard input, not ours to close.
            opened = sf_open_fd(STDIN_FILENO, Int32(SFM_READ), &sfinfo, 0)
        } else {
            try checkReadableFile(path: path)
            opened = sf_open(path, Int32(SFM_READ), &sfinfo)
        }
        guard let h = opened else {
            throw AudioIOError.notAudio(path: path, reason: Self.libraryMessage(nil))
        }
        handle = h
        let info = AudioFileInfo(
            sampleRateHz: Int(sfinfo.samplerate), channelCount: Int(sfinfo.channels),
            frameCount: Int64(sfinfo.frames), formatDescription: Self.describe(format: sfinfo.format))
        self.info = info
        let major = sfinfo.format & Int32(SF_FORMAT_TYPEMASK)
        // A FLAC header may state 0 frames, "unknown" (libsndfile then reports SF_COUNT_MAX): the
        // length is only a hint, and the end of the data is the end of the sound.
        let lengthUnknown = sfinfo.frames == Int64.max
        frameCountIsExact =
            !isStream && !lengthUnknown && major != Int32(SF_FORMAT_OGG) && major != Int32(SF_FORMAT_MPEG)
        interleaved = []
        do {
            if !isStream, let shortfall = Self.headerShortfall(handle: h, frames: info.frameCount) {
                throw AudioIOError.truncated(
                    path: path, promisedFrames: shortfall.promised, presentFrames: shortfall.present)
            }
            if let channels {
                for c in [channels.left, channels.right] where c < 0 || c >= info.channelCount {
                    throw AudioIOError.channelOutOfRange(path: path, requested: c + 1, channelCount: info.channelCount)
                }
                channelIndices = channels
            } else if info.channelCount == 2 {
                channelIndices = (0, 1)
            } else {
                throw AudioIOError.notStereo(path: path, channelCount: info.channelCount)
            }
            // A stream's emptiness shows only at its end.
            guard isStream || info.frameCount > 0 else { throw AudioIOError.empty(path: path) }
            guard supportedSampleRatesHz.contains(info.sampleRateHz) else {
                throw AudioIOError.unsupportedSampleRate(path: path, sampleRateHz: info.sampleRateHz)
            }
        } catch {
            sf_close(h)
            handle = nil
            throw error
        }
        interleaved = [Float](repeating: 0, count: self.blockFrames * info.channelCount)
    }

    deinit { if let handle { sf_close(handle) } }

    /// Reads the next block into `left` and `right` (replacing their contents) and returns the
    /// number of frames read; 0 at the end of the file. Non-finite samples are an error, reported
    /// with their position, never passed on.
    @discardableResult
    public func readBlock(left: inout [Float], right: inout [Float]) throws -> Int {
        left.removeAll(keepingCapacity: true)
        right.removeAll(keepingCapacity: true)
        guard let handle else { return 0 }
        let channels = info.channelCount
        let got = interleaved.withUnsafeMutableBufferPointer { buf in
            sf_readf_float(handle, buf.baseAddress, sf_count_t(blockFrames))
        }
        if got < 0 { throw AudioIOError.readFailed(path: path, reason: Self.libraryMessage(handle)) }
        let n = Int(got)
        if n == 0 {
            if sf_error(handle) != 0 { throw AudioIOError.readFailed(path: path, reason: Self.libraryMessage(handle)) }
            // Compressed formats (FLAC) state a frame count that only decoding can check.
            if frameCountIsExact && framesRead < info.frameCount {
                throw AudioIOError.truncated(path: path, promisedFrames: info.frameCount, presentFrames: framesRead)
            }
            return 0
        }
        let (li, ri) = channelIndices
        for f in 0..<n {
            let l = interleaved[f * channels + li]
            let r = interleaved[f * channels + ri]
            if !l.isFinite || !r.isFinite {
                throw AudioIOError.nonFiniteSample(
                    path: path, frame: framesRead + Int64(f),
                    channel: l.isFinite ? ri : li, sampleRateHz: info.sampleRateHz)
            }
            if abs(l) > maximumSampleMagnitude || abs(r) > maximumSampleMagnitude {
                let leftBad = abs(l) > maximumSampleMagnitude
                throw AudioIOError.sampleOutOfRange(
                    path: path, frame: framesRead + Int64(f), channel: leftBad ? li : ri,
                    value: leftBad ? l : r, sampleRateHz: info.sampleRateHz)
            }
            left.append(l)
            right.append(r)
        }
        framesRead += Int64(n)
        return n
    }

    /// Frames delivered so far.
    public var position: Int64 { framesRead }

    /// libsndfile's last error message, trimmed of its trailing full stop.
    static func libraryMessage(_ handle: OpaquePointer?) -> String {
        var message = String(cString: sf_strerror(handle))
        while let last = message.last, last == "." || last.isWhitespace { message.removeLast() }
        return message.isEmpty ? "unknown error" : message
    }

    /// libsndfile shortens a WAV `data` or AIFF `SSND` chunk that claims more bytes than the
    /// file holds, and notes it in its log as "data : <claimed> (should be <present>)". Returns
    /// the claimed and present frame counts when that happened.
    static func headerShortfall(handle: OpaquePointer, frames: Int64) -> (promised: Int64, present: Int64)? {
        var log = [CChar](repeating: 0, count: 16384)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        let text = log.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 6, ["data", "SSND"].contains(words[0]), words[1] == ":", words[3] == "(should",
                var claimed = Int64(words[2]), var present = Int64(words[5].dropLast()), claimed > present
            else { continue }
            // An AIFF SSND chunk starts with 8 bytes of offset and block size before its samples.
            if words[0] == "SSND" {
                claimed -= 8
                present -= 8
            }
            // Convert bytes to frames with the file's own bytes per frame.
            guard frames > 0, present > 0 else { return (claimed, 0) }
            let bytesPerFrame = max(1, (present + frames / 2) / frames)
            if claimed / bytesPerFrame > frames { return (claimed / bytesPerFrame, frames) }
        }
        return nil
    }

    static func describe(format: Int32) -> String {
        var major = SF_FORMAT_INFO()
        var sub = SF_FORMAT_INFO()
        major.format = format & Int32(SF_FORMAT_TYPEMASK)
        sub.format = format & Int32(SF_FORMAT_SUBMASK)
        let size = Int32(MemoryLayout<SF_FORMAT_INFO>.size)
        var parts: [String] = []
        if sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &major, size) == 0, let name = major.name {
            parts.append(String(cString: name))
        }
        if sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &sub, size) == 0, let name = sub.name {
            parts.append(String(cString: name))
        }
        return parts.joined(separator: ", ")
    }
}

extension RawPCMFormat.Encoding {
    var subtype: Int32 {
        switch self {
        case .s16: Int32(SF_FORMAT_PCM_16)
        case .s24: Int32(SF_FORMAT_PCM_24)
        case .s32: Int32(SF_FORMAT_PCM_32)
        case .f32: Int32(SF_FORMAT_FLOAT)
        }
    }
}

/// Sample encodings the writer offers.
public enum AudioSampleFormat: String, Sendable, CaseIterable {
    case pcm16, pcm24, pcm32, float32, float64, pcm8

    var subtype: Int32 {
        switch self {
        case .pcm8: Int32(SF_FORMAT_PCM_U8)
        case .pcm16: Int32(SF_FORMAT_PCM_16)
        case .pcm24: Int32(SF_FORMAT_PCM_24)
        case .pcm32: Int32(SF_FORMAT_PCM_32)
        case .float32: Int32(SF_FORMAT_FLOAT)
        case .float64: Int32(SF_FORMAT_DOUBLE)
        }
    }
}

/// File containers the writer offers.
public enum AudioContainer: String, Sendable, CaseIterable {
    case wav, wavex, rf64, aiff, flac

    var major: Int32 {
        switch self {
        case .wav: Int32(SF_FORMAT_WAV)
        case .wavex: Int32(SF_FORMAT_WAVEX)
        case .rf64: Int32(SF_FORMAT_RF64)
        case .aiff: Int32(SF_FORMAT_AIFF)
        case .flac: Int32(SF_FORMAT_FLAC)
        }
    }
}

/// Writes `channels` (equal lengths, -1...1 full scale) to `path` in one go.
/// 8-bit PCM is unsigned in WAV and signed in AIFF and FLAC; the writer picks the right one.
public func writeAudioFile(
    path: String, channels: [[Float]], sampleRateHz: Int,
    container: AudioContainer = .wav, sampleFormat: AudioSampleFormat = .pcm16
) throws {
    guard let frames = channels.first?.count, !channels.isEmpty, channels.allSatisfy({ $0.count == frames }) else {
        throw AudioIOError.cannotWrite(path: path, reason: "channels must be non-empty and of equal length")
    }
    var subtype = sampleFormat.subtype
    if sampleFormat == .pcm8 && container != .wav && container != .wavex && container != .rf64 {
        subtype = Int32(SF_FORMAT_PCM_S8)
    }
    var info = SF_INFO()
    info.samplerate = Int32(sampleRateHz)
    info.channels = Int32(channels.count)
    info.format = container.major | subtype
    guard sf_format_check(&info) != 0 else {
        throw AudioIOError.cannotWrite(
            path: path, reason: "\(container.rawValue) cannot hold \(sampleFormat.rawValue) at \(sampleRateHz) Hz")
    }
    guard let handle = sf_open(path, Int32(SFM_WRITE), &info) else {
        throw AudioIOError.cannotWrite(path: path, reason: String(cString: sf_strerror(nil)))
    }
    defer { sf_close(handle) }
    // Integer formats clip rather than wrap when a sample exceeds full scale.
    sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
    let count = channels.count
    let chunk = 65536
    var buffer = [Float](repeating: 0, count: chunk * count)
    var start = 0
    while start < frames {
        let n = min(chunk, frames - start)
        for f in 0..<n { for c in 0..<count { buffer[f * count + c] = channels[c][start + f] } }
        let written = buffer.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(n)) }
        guard written == n else {
            throw AudioIOError.cannotWrite(path: path, reason: String(cString: sf_strerror(handle)))
        }
        start += n
    }
}

/// Reads every channel of a (short) file whole: for sound sources given to the renderer.
public func readWholeAudioFile(path: String) throws -> (channels: [[Float]], sampleRateHz: Int) {
    try checkReadableFile(path: path)
    var sfinfo = SF_INFO()
    guard let h = sf_open(path, Int32(SFM_READ), &sfinfo) else {
        throw AudioIOError.notAudio(path: path, reason: StereoFileReader.libraryMessage(nil))
    }
    defer { sf_close(h) }
    let channels = Int(sfinfo.channels)
    guard channels > 0 else { throw AudioIOError.empty(path: path) }
    // The header's frame count is only a hint (FLAC may say 0, "unknown", or a damaged header any
    // number): read in blocks until the data ends, so memory follows what the file holds.
    let blockFrames = 8192
    var block = [Float](repeating: 0, count: blockFrames * channels)
    var out = [[Float]](repeating: [], count: channels)
    var frame: Int64 = 0
    while true {
        let got = block.withUnsafeMutableBufferPointer { sf_readf_float(h, $0.baseAddress, sf_count_t(blockFrames)) }
        guard got >= 0 else { throw AudioIOError.readFailed(path: path, reason: StereoFileReader.libraryMessage(h)) }
        if got == 0 { break }
        for f in 0..<Int(got) {
            for c in 0..<channels {
                let v = block[f * channels + c]
                guard v.isFinite else {
                    throw AudioIOError.nonFiniteSample(
                        path: path, frame: frame + Int64(f), channel: c,
                        sampleRateHz: Int(sfinfo.samplerate))
                }
                guard abs(v) <= maximumSampleMagnitude else {
                    throw AudioIOError.sampleOutOfRange(
                        path: path, frame: frame + Int64(f), channel: c, value: v,
                        sampleRateHz: Int(sfinfo.samplerate))
                }
                out[c].append(v)
            }
        }
        frame += Int64(got)
    }
    guard frame > 0 else { throw AudioIOError.empty(path: path) }
    return (out, Int(sfinfo.samplerate))
}
