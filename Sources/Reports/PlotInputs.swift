import Evaluation
import Foundation

/// Reads the tables the comparison charts are drawn from: `soundloc localize --format csv` output
/// and a manifest, joined on the file's name without its folder. The manifest is read by
/// `Manifest`, both through `CSV`, and the errors are `ErrorSummary`'s, so `plot` scores a set of
/// files as `compare` does.
public enum PlotInputs {
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case missingColumn(file: String, column: String)
        case noMatches(file: String)
        /// A malformed row, or a field that is not what its column holds, on a 1-based line.
        case badRow(file: String, line: Int, message: String)

        public var description: String {
            switch self {
            case .missingColumn(let file, let column): "\(file): no column '\(column)' in the header"
            case .noMatches(let file): "\(file): no row names a file listed in the manifest"
            case .badRow(let file, let line, let message): "\(file):\(line): \(message)"
            }
        }
    }

    /// One data row of a CSV table, its fields keyed by the header's names (lower-cased, trimmed).
    public struct Row: Sendable {
        var line: Int
        var fields: [String: String]
    }

    /// The rows of a CSV text under its header, which must name every column of `required`.
    /// Blank records are skipped; a malformed one, or one with more or fewer fields than the
    /// header, is a `Problem.badRow`.
    public static func table(_ text: String, name: String, required: [String]) throws -> [Row] {
        let records = CSV.records(text).filter { !$0.isBlank }
        guard let head = records.first else {
            throw Problem.missingColumn(file: name, column: required.first ?? "file")
        }
        if let e = head.error { throw Problem.badRow(file: name, line: head.line, message: e) }
        let header = head.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for r in required where !header.contains(r) { throw Problem.missingColumn(file: name, column: r) }
        return try records.dropFirst().map { record in
            if let e = record.error { throw Problem.badRow(file: name, line: record.line, message: e) }
            guard record.fields.count == header.count else {
                throw Problem.badRow(
                    file: name, line: record.line,
                    message: "has \(record.fields.count) fields, the header has \(header.count)")
            }
            let values = zip(header, record.fields.map { $0.trimmingCharacters(in: .whitespaces) })
            return Row(line: record.line, fields: Dictionary(values, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// True azimuth by file name (no folder), from a manifest read as `compare` reads it; a row
    /// `compare` would skip (a bad azimuth, a malformed line) stops the plot with its line.
    public static func truth(_ manifest: Manifest) throws -> [String: Double] {
        if let p = manifest.problems.first {
            throw Problem.badRow(file: p.manifestPath, line: p.line, message: p.message)
        }
        var out: [String: Double] = [:]
        for e in manifest.entries { out[(e.file as NSString).lastPathComponent] = e.azimuthDegrees }
        return out
    }

    /// The estimate chart's points: each row of `localize --format csv` output whose file the
    /// manifest knows. An empty estimate (no direction) stays nil and is charged as `compare`
    /// charges it; a row whose file could not be read (status `error: ...`) is left out, as
    /// `compare` leaves such files out of its errors.
    public static func estimates(localizeCSV text: String, name: String, truth: [String: Double]) throws
        -> [EstimatePlot.Point]
    {
        try estimateTable(localizeCSV: text, name: name, truth: truth).points
    }

    /// `estimates`, and whether GCC-PHAT ran on them (`localize --reference gcc-phat`). Its cost
    /// column is filled on every row it ran on, also where it found no answer, so with the
    /// reference on an empty GCC-PHAT azimuth is a missing answer, charged as `compare` charges it.
    /// Output without the GCC-PHAT columns (older versions) is read as without the reference.
    public static func estimateTable(localizeCSV text: String, name: String, truth: [String: Double]) throws
        -> (points: [EstimatePlot.Point], referenceRan: Bool)
    {
        let columns = ["file", "temporal_azimuth_deg", "rate_azimuth_deg"]
        let rows = try table(text, name: name, required: columns + ["status"])
        var points: [EstimatePlot.Point] = []
        var referenceRan = false
        for row in rows {
            guard let f = row.fields["file"], let t = truth[(f as NSString).lastPathComponent],
                !LocalizationReport.isFailureStatus(row.fields["status"] ?? "")
            else { continue }
            func degrees(_ column: String) throws -> Double? {
                let text = row.fields[column] ?? ""
                if text.isEmpty { return nil }
                guard let d = Double(text), d.isFinite else {
                    throw Problem.badRow(
                        file: name, line: row.line, message: "\(column) '\(text)' is not a number of degrees")
                }
                return d
            }
            if !(row.fields["gccphat_macs"] ?? "").isEmpty { referenceRan = true }
            points.append(
                EstimatePlot.Point(
                    trueAzimuthDegrees: t, temporalDegrees: try degrees(columns[1]),
                    rateDegrees: try degrees(columns[2]), referenceDegrees: try degrees("gccphat_azimuth_deg")))
        }
        if points.isEmpty { throw Problem.noMatches(file: name) }
        return (points, referenceRan)
    }

    /// Each code's errors over the points, on the lateral angle, a missing answer charged as in
    /// `compare` (`ErrorSummary`).
    /// `reference` is GCC-PHAT's, meaningful only where it ran (`estimateTable`'s `referenceRan`).
    public static func errors(_ points: [EstimatePlot.Point]) -> (
        temporal: ErrorSummary, rate: ErrorSummary, reference: ErrorSummary
    ) {
        (
            ErrorSummary(points.map { ($0.trueAzimuthDegrees, $0.temporalDegrees) }),
            ErrorSummary(points.map { ($0.trueAzimuthDegrees, $0.rateDegrees) }),
            ErrorSummary(points.map { ($0.trueAzimuthDegrees, $0.referenceDegrees) })
        )
    }
}
