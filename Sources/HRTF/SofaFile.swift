import AudioIO
import CMySofa
import DSP
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a SOFA file could not be used; `description` is the one line a user sees.
public enum SofaError: Error, Equatable, CustomStringConvertible, Sendable {
    /// libmysofa refused the file; `code` is its error number.
    case cannotOpen(path: String, code: Int32, reason: String)
    /// The file opened but holds no usable two-ear impulse responses, or the request was invalid.
    case unusable(path: String, reason: String)

    public var path: String {
        switch self {
        case .cannotOpen(let p, _, _), .unusable(let p, _): return p
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, 0, let reason): return "\(path): cannot read as a SOFA HRTF file: \(reason)"
        case .cannotOpen(let path, let code, let reason):
            return "\(path): cannot read as a SOFA HRTF file: \(reason) (libmysofa error \(code))"
        case .unusable(let path, let reason): return "\(path): unusable SOFA HRTF file: \(reason)"
        }
    }

    /// Words for libmysofa's error numbers (mysofa.h).
    static func reason(code: Int32) -> String {
        switch Int(code) {
        case Int(MYSOFA_INTERNAL_ERROR): return "internal error (or the file does not exist)"
        case Int(MYSOFA_INVALID_FORMAT): return "not a SOFA (HDF5) file"
        case Int(MYSOFA_UNSUPPORTED_FORMAT): return "unsupported SOFA format"
        case Int(MYSOFA_NO_MEMORY): return "out of memory"
        case Int(MYSOFA_READ_ERROR): return "read error (missing or truncated file)"
        case Int(MYSOFA_INVALID_ATTRIBUTES): return "invalid attributes (not SimpleFreeFieldHRIR?)"
        case Int(MYSOFA_INVALID_DIMENSIONS), Int(MYSOFA_INVALID_DIMENSION_LIST): return "invalid dimensions"
        case Int(MYSOFA_INVALID_COORDINATE_TYPE): return "invalid coordinate type"
        case Int(MYSOFA_ONLY_EMITTER_WITH_ECI_SUPPORTED): return "only one emitter is supported"
        case Int(MYSOFA_ONLY_DELAYS_WITH_IR_OR_MR_SUPPORTED): return "unsupported delay layout"
        case Int(MYSOFA_ONLY_THE_SAME_SAMPLING_RATE_SUPPORTED): return "more than one sample rate"
        case Int(MYSOFA_RECEIVERS_WITH_RCI_SUPPORTED), Int(MYSOFA_RECEIVERS_WITH_CARTESIAN_SUPPORTED),
            Int(MYSOFA_INVALID_RECEIVER_POSITIONS):
            return "receivers are not two ears"
        case Int(MYSOFA_ONLY_SOURCES_WITH_MC_SUPPORTED): return "unsupported source positions"
        // Below its own range libmysofa passes on the C library's errno (e.g. a missing file).
        case 1..<10000: return String(cString: strerror(code))
        default: return "unknown error"
        }
    }
}

/// A set of head-related impulse responses read from a SOFA file (AES69-2015,
/// SimpleFreeFieldHRIR) through libmysofa, resampled on opening to the rate the caller needs.
///
/// This is the only file that calls libmysofa. It also holds the only conversion between SOFA's
/// azimuth (counter-clockwise seen from above, positive = left; AES69-2015) and this project's
/// (positive = right): `sofaCartesian(azimuthDegrees:elevationDegrees:)` and its inverse
/// `projectDirection(sofaCartesian:)`.
/// Sendable because nothing changes after `init`: `impulseResponse` only looks up and copies through
/// `mysofa_getfilter_float_nointerp`, which (unlike the interpolating call) writes into no scratch
/// buffer of the handle, so threads may share one file.
public final class SofaFile: @unchecked Sendable {
    /// MIT's KEMAR measurements with normal pinnae (Gardner & Martin 1995), as Debian's libmysofa
    /// package installs them.
    public static let defaultKEMARPath = "/usr/share/libmysofa/MIT_KEMAR_normal_pinna.sofa"

    public let path: String
    /// Sample rate of the impulse responses handed out, in Hz.
    public let sampleRateHz: Double
    /// Taps per impulse response.
    public let filterLength: Int
    /// Number of measured directions in the file.
    public let measurementCount: Int
    private let easy: UnsafeMutablePointer<MYSOFA_EASY>

    /// Opens `path` and resamples its responses to `sampleRateHz`. No loudness normalisation is
    /// applied, so the level differences between directions and ears stay as measured.
    ///
    /// `parseTimeLimitSeconds`: how long libmysofa may take to parse the file before it is taken
    /// for damaged (`defaultParseTimeLimit` when nil); see `parseProblem`.
    public init(path: String, sampleRateHz: Double, parseTimeLimitSeconds: Double? = nil) throws {
        guard isSupportedSampleRate(sampleRateHz) else {
            throw SofaError.unusable(
                path: path, reason: "sample rate \(sampleRateHz) Hz is outside \(supportedSampleRatesText)")
        }
        // libmysofa would block on a FIFO and read a device for ever: only regular files are opened.
        if let problem = regularFileProblem(path: path) {
            throw SofaError.cannotOpen(path: path, code: 0, reason: problem)
        }
        if let problem = Self.parseProblem(
            path: path, sampleRateHz: sampleRateHz,
            timeLimitSeconds: parseTimeLimitSeconds ?? Self.defaultParseTimeLimit(path: path))
        {
            throw SofaError.unusable(path: path, reason: problem)
        }
        var length: Int32 = 0
        var err: Int32 = 0
        guard
            let e = mysofa_open_advanced(
                path, Float(sampleRateHz), &length, &err, false,
                MYSOFA_DEFAULT_NEIGH_STEP_ANGLE, MYSOFA_DEFAULT_NEIGH_STEP_RADIUS)
        else {
            throw SofaError.cannotOpen(path: path, code: err, reason: SofaError.reason(code: err))
        }
        guard err == MYSOFA_OK, let h = e.pointee.hrtf, e.pointee.lookup != nil else {
            mysofa_close(e)
            throw SofaError.cannotOpen(path: path, code: err, reason: SofaError.reason(code: err))
        }
        guard h.pointee.R == 2, length > 0, h.pointee.M > 0 else {
            mysofa_close(e)
            throw SofaError.unusable(path: path, reason: "needs two receivers (ears) and at least one measurement")
        }
        if let problem = Self.damage(in: h.pointee, filterLength: Int(length)) {
            mysofa_close(e)
            throw SofaError.unusable(path: path, reason: problem)
        }
        self.path = path
        self.sampleRateHz = sampleRateHz
        self.filterLength = Int(length)
        self.measurementCount = Int(h.pointee.M)
        self.easy = e
    }

    deinit { mysofa_close(easy) }

    /// Time for libmysofa to parse a file: 10 s, and 1 s more per MB (it parses the 3 MB ARI and
    /// the 1.2 MB KEMAR files in about 0.2 s each).
    static func defaultParseTimeLimit(path: String) -> Double {
        var s = stat()
        let bytes = stat(path, &s) == 0 ? Double(s.st_size) : 0
        return 10 + bytes / 1e6
    }

    /// Why libmysofa cannot be trusted with `path`, or nil. Its HDF5 reader loops for ever on some
    /// damaged structures (the SOFA fuzz test found files on which it seeks past the end four bytes
    /// at a time, without end, from a file or from memory alike) and may crash on others, and
    /// neither can be stopped inside this process. So a child process opens the file first, the
    /// same way `init` does (parsing, checks, resampling, lookup tables), and is killed after
    /// `timeLimitSeconds`; only a file it opened (or refused) in time is opened here. The cost is
    /// a second opening: nothing for small files, 2 s for MIT KEMAR resampled to 48 kHz.
    static func parseProblem(path: String, sampleRateHz: Double, timeLimitSeconds: Double) -> String? {
        // Everything the child needs is made before fork(): it runs only libmysofa and _exit.
        let cPath = strdup(path)
        defer { free(cPath) }
        let child = fork()
        if child == 0 {
            var length: Int32 = 0
            var err: Int32 = 0
            _ = mysofa_open_advanced(
                cPath, Float(sampleRateHz), &length, &err, false, MYSOFA_DEFAULT_NEIGH_STEP_ANGLE,
                MYSOFA_DEFAULT_NEIGH_STEP_RADIUS)
            _exit(0)
        }
        // Without a child (fork failed) the file is opened as before, unguarded.
        guard child > 0 else { return nil }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeLimitSeconds) * 1e9)
        var status: Int32 = 0
        var pause: UInt32 = 50
        while true {
            let r = waitpid(child, &status, WNOHANG)
            if r == child { break }
            if r < 0 && errno != EINTR { return nil }
            if DispatchTime.now().uptimeNanoseconds >= deadline {
                kill(child, SIGKILL)
                while waitpid(child, &status, 0) < 0 && errno == EINTR {}
                let limit = (timeLimitSeconds * 10).rounded() / 10
                return "libmysofa did not finish reading it within \(limit) s; the file looks damaged"
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
        // WIFSIGNALED and WTERMSIG are macros Swift does not import: the low seven bits are the signal.
        let signal = status & 0x7f
        if signal != 0 && signal != 0x7f {
            return "libmysofa crashed reading it (signal \(signal)); the file looks damaged"
        }
        return nil
    }

    /// The longest impulse response accepted, in taps after resampling: 65536 taps are 0.34 s at
    /// 192 kHz, far beyond a free-field HRIR (MIT KEMAR: 512 taps at 44.1 kHz, Gardner & Martin
    /// 1995; ARI: 256 taps at 48 kHz). Longer means a damaged header, and would cost minutes per file.
    static let maximumFilterLength = 65536
    /// The most measured directions accepted (ARI holds 1550, dense research grids a few tens of thousands).
    static let maximumMeasurementCount = 1_000_000
    /// The largest impulse-response sample magnitude accepted: 60 dB over full scale, the same
    /// bound the audio reader puts on samples (`maximumSampleMagnitude`); measured responses peak near 1.
    static let maximumCoefficientMagnitude: Float = 1000

    /// What is wrong with the responses libmysofa handed over, or nil: non-finite or absurd
    /// coefficients, delays or positions (a damaged file) would reach the model as NaN and trap
    /// where it converts to whole samples, and absurd sizes would cost unbounded work.
    static func damage(in h: MYSOFA_HRTF, filterLength: Int) -> String? {
        if filterLength > maximumFilterLength {
            return
                "impulse responses of \(filterLength) taps (more than \(maximumFilterLength)); the header looks damaged"
        }
        if Int(h.M) > maximumMeasurementCount {
            return "\(h.M) measurements (more than \(maximumMeasurementCount)); the header looks damaged"
        }
        // libmysofa's checks leave the arrays' lengths to the file: a missing Data.Delay (found by
        // the fuzz test) made mysofa_getfilter_float_nointerp read through a null pointer, and a
        // short array would be read past its end.
        let (m, r, n) = (Int(h.M), Int(h.R), Int(h.N))
        for (name, a, lengths) in [
            ("Data.IR", h.DataIR, [m * r * n]), ("Data.Delay", h.DataDelay, [r, m * r]),
            ("SourcePosition", h.SourcePosition, [3 * m]),
        ] where a.values == nil || !lengths.contains(Int(a.elements)) {
            let expected = lengths.map(String.init).joined(separator: " or ")
            return
                "\(name) holds \(a.values == nil ? 0 : a.elements) values where \(expected) belong; the file looks damaged"
        }
        func firstBad(_ a: MYSOFA_ARRAY, limit: Float) -> Int? {
            guard let v = a.values else { return nil }
            for i in 0..<Int(a.elements) where !(abs(v[i]) <= limit) { return i }
            return nil
        }
        if let i = firstBad(h.DataIR, limit: maximumCoefficientMagnitude) {
            let value = h.DataIR.values[i]
            let what =
                value.isFinite ? "\(value), beyond +-\(Int(maximumCoefficientMagnitude))" : "not finite (\(value))"
            return "impulse-response coefficient \(i) is \(what); the file looks damaged"
        }
        // A delay of more than a second, or a position beyond 1000 km, is no measurement.
        if let i = firstBad(h.DataDelay, limit: 192_000) {
            return "delay \(i) is \(h.DataDelay.values[i]) samples; the file looks damaged"
        }
        if let i = firstBad(h.SourcePosition, limit: 1e6) {
            return "source position value \(i) is \(h.SourcePosition.values[i]); the file looks damaged"
        }
        return nil
    }

    /// The measured impulse-response pair nearest to the direction (no interpolation between
    /// measurements). Azimuth in this project's convention, degrees, positive = right; elevation
    /// in degrees, positive = up. Any delays the file stores apart are folded into the responses.
    public func impulseResponse(azimuthDegrees: Double, elevationDegrees: Double = 0) -> HeadRelatedImpulseResponse {
        var c = Self.sofaCartesian(azimuthDegrees: azimuthDegrees, elevationDegrees: elevationDegrees)
        let nearest = Int(mysofa_lookup(easy.pointee.lookup, &c))
        var left = [Float](repeating: 0, count: filterLength)
        var right = left
        var delayLeft: Float = 0
        var delayRight: Float = 0
        mysofa_getfilter_float_nointerp(easy, c[0], c[1], c[2], &left, &right, &delayLeft, &delayRight)
        var measured = (azimuth: azimuthDegrees, elevation: elevationDegrees)
        let hrtf = easy.pointee.hrtf.pointee
        if nearest >= 0 && nearest < Int(hrtf.M), let positions = hrtf.SourcePosition.values {
            let p = positions + 3 * nearest
            measured = Self.projectDirection(sofaCartesian: [p[0], p[1], p[2]])
        }
        return HeadRelatedImpulseResponse(
            left: Self.prependingDelay(left, seconds: Double(delayLeft), sampleRateHz: sampleRateHz),
            right: Self.prependingDelay(right, seconds: Double(delayRight), sampleRateHz: sampleRateHz),
            sampleRateHz: sampleRateHz, azimuthDegrees: measured.azimuth, elevationDegrees: measured.elevation)
    }

    /// Unit vector in SOFA's cartesian frame (x ahead, y to the LEFT, z up) for a direction in
    /// this project's convention: a source on the right (positive azimuth) has negative y.
    static func sofaCartesian(azimuthDegrees: Double, elevationDegrees: Double) -> [Float] {
        let az = -azimuthDegrees * Double.pi / 180
        let el = elevationDegrees * Double.pi / 180
        return [Float(cos(el) * cos(az)), Float(cos(el) * sin(az)), Float(sin(el))]
    }

    /// The inverse of `sofaCartesian`: azimuth (positive = right) and elevation, in degrees.
    static func projectDirection(sofaCartesian p: [Float]) -> (azimuth: Double, elevation: Double) {
        let x = Double(p[0])
        let y = Double(p[1])
        let z = Double(p[2])
        let az = -atan2(y, x) * 180 / Double.pi
        let el = atan2(z, (x * x + y * y).squareRoot()) * 180 / Double.pi
        return (az, el)
    }

    /// Delays stored apart from the responses, rounded to whole samples and prepended as zeros.
    /// Files like MIT KEMAR keep the delay inside the responses and store zero here.
    static func prependingDelay(_ ir: [Float], seconds: Double, sampleRateHz: Double) -> [Float] {
        let samples = (seconds * sampleRateHz).rounded()
        // The file's delays are checked on opening; this guard keeps the conversion from trapping.
        guard samples.isFinite, samples > 0, samples < Double(1 << 24) else { return ir }
        let n = Int(samples)
        return n > 0 ? [Float](repeating: 0, count: n) + ir : ir
    }
}
