import AudioIO
import Decoding
import Foundation
import Pipeline

/// Why a calibration file could not be used; `description` is the one line a user sees.
public enum CalibrationFileError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotRead(path: String, reason: String)
    case invalid(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "\(path): cannot read calibration: \(reason)"
        case .invalid(let path, let reason): return "\(path): not a usable calibration: \(reason)"
        case .cannotWrite(let path, let reason): return "\(path): cannot write calibration: \(reason)"
        }
    }
}

/// Reads and writes an `ITDCalibration` as JSON, and as the Swift source of the default table.
public enum CalibrationFile {
    public static func load(path: String) throws -> ITDCalibration {
        let data = try readSmallRegularFile(path: path)
        let decoded: ITDCalibration
        do { decoded = try JSONDecoder().decode(ITDCalibration.self, from: data) } catch {
            throw CalibrationFileError.invalid(path: path, reason: "not the JSON that soundloc calibrate writes")
        }
        // The decoder bypasses ITDCalibration's initialiser, so check what it would assume.
        let az = decoded.azimuthsDegrees
        let itd = decoded.itdsSeconds
        guard az.count == itd.count, az.count >= 2 else {
            throw CalibrationFileError.invalid(
                path: path, reason: "needs at least two azimuth-ITD pairs of equal count")
        }
        guard az.allSatisfy({ $0.isFinite && abs($0) <= 90 }), itd.allSatisfy({ $0.isFinite && abs($0) < 0.01 }) else {
            throw CalibrationFileError.invalid(
                path: path, reason: "azimuths must be within -90...90 degrees and ITDs finite, under 10 ms")
        }
        guard zip(az, az.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw CalibrationFileError.invalid(path: path, reason: "azimuths must be strictly ascending")
        }
        guard itd[itd.count - 1] > itd[0] else {
            throw CalibrationFileError.invalid(path: path, reason: "the ITD must grow from left to right")
        }
        // `calibrate` writes a running maximum (ITDCalibration's initialiser), so a table that falls
        // anywhere was edited or damaged, and its inverse (ITD -> azimuth) would not exist.
        if let k = itd.indices.dropLast().first(where: { itd[$0] > itd[$0 + 1] }) {
            throw CalibrationFileError.invalid(
                path: path,
                reason: "the ITDs are not monotonic: \(itd[k]) s at "
                    + "\(az[k]) degrees, then \(itd[k + 1]) s at \(az[k + 1]) degrees")
        }
        // Heads give about 8-10 us per degree near the front (Woodworth's formula for an 8.75 cm radius;
        // the KEMAR table spans 1432 us over 180 degrees). A table flatter than 1 us per degree would
        // map the model's whole ITD range onto one azimuth: a damaged file (e.g. spanning 2e-300 s).
        let azimuthSpan = az[az.count - 1] - az[0]
        let itdSpan = itd[itd.count - 1] - itd[0]
        guard itdSpan >= azimuthSpan * 1e-6 else {
            throw CalibrationFileError.invalid(
                path: path,
                reason: "its ITDs span only \(itdSpan) s over "
                    + "\(azimuthSpan) degrees (less than 1 us per degree; a head gives about 8)")
        }
        if let table = decoded.channelITDsSeconds {
            guard table.count == az.count, let width = table.first?.count, width > 0,
                table.allSatisfy({ $0.count == width && $0.allSatisfy { $0.isFinite && abs($0) < 0.01 } })
            else {
                throw CalibrationFileError.invalid(
                    path: path,
                    reason: "its per-channel ITDs need one row per azimuth, each as long, finite and under 10 ms")
            }
            guard let w = decoded.calibrationChannelWeights, w.count == width,
                w.allSatisfy({ $0.isFinite && $0 >= 0 }), abs(w.reduce(0, +) - 1) < 1e-3
            else {
                throw CalibrationFileError.invalid(
                    path: path, reason: "its per-channel ITDs need one calibration weight per channel, summing to 1")
            }
        }
        return ITDCalibration(
            azimuthsDegrees: az, itdsSeconds: itd, source: decoded.source,
            channelITDsSeconds: decoded.channelITDsSeconds, calibrationChannelWeights: decoded.calibrationChannelWeights
        )
    }

    /// The bytes of a calibration or rate-model file, refusing what is not a regular file (a FIFO
    /// would block, a device read for ever) and anything over 64 MB (the files `calibrate` and
    /// `train-rate` write are a few kB to a few MB).
    static func readSmallRegularFile(path: String) throws -> Data {
        if let problem = regularFileProblem(path: path) {
            throw CalibrationFileError.cannotRead(path: path, reason: problem)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CalibrationFileError.cannotRead(path: path, reason: "not readable")
        }
        guard data.count <= 64 << 20 else {
            throw CalibrationFileError.cannotRead(
                path: path, reason: "\(data.count) bytes is far larger than such a file")
        }
        return data
    }

    public static func save(_ calibration: ITDCalibration, path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try writeFileSafely(Array(try encoder.encode(calibration)), to: path) } catch let AudioIOError.cannotWrite(
            _, reason)
        {
            throw CalibrationFileError.cannotWrite(path: path, reason: reason)
        } catch {
            throw CalibrationFileError.cannotWrite(path: path, reason: "\(error)")
        }
    }

    /// Swift source declaring `ITDCalibration.kemar`, the table shipped as the default.
    public static func swiftSource(_ calibration: ITDCalibration, command: String) -> String {
        func list(_ xs: [Double], _ format: (Double) -> String) -> String {
            stride(from: 0, to: xs.count, by: 8).map { i in
                "            " + xs[i..<min(i + 8, xs.count)].map(format).joined(separator: ", ")
            }.joined(separator: ",\n")
        }
        // Indented by `make calibration`'s swift format, as the other tables are.
        func channelTable(_ table: [[Double]]?) -> String {
            guard let table else { return "nil" }
            let rows = table.map { "[\n" + list($0) { String(format: "%.4e", $0) } + ",\n]" }
            return "[\n" + rows.joined(separator: ",\n") + ",\n]"
        }
        return """
            // Generated by `\(command)`.
            // Regenerate it whenever the model changes; do not edit by hand.
            import Decoding

            extension ITDCalibration {
                /// The temporal code's best ITD, in seconds, at each azimuth, in degrees, learned from
                /// renderings through the MIT KEMAR head-related impulse responses (Gardner & Martin 1994)
                /// with the default model settings: the default head model of the command line. Beside it,
                /// each channel's own best ITD at each azimuth (`channelITDsSeconds`).
                public static let kemar = ITDCalibration(
                    azimuthsDegrees: [
            \(list(calibration.azimuthsDegrees) { String(format: "%.1f", $0) })
                    ],
                    itdsSeconds: [
            \(list(calibration.itdsSeconds) { String(format: "%.4e", $0) })
                    ],
                    source: \(String(reflecting: calibration.source)),
                    channelITDsSeconds: \(channelTable(calibration.channelITDsSeconds)),
                    calibrationChannelWeights: \(calibration.calibrationChannelWeights.map { "[\n" + list($0) { String(format: "%.4e", $0) } + ",\n]" } ?? "nil"))
            }

            """
    }
}
