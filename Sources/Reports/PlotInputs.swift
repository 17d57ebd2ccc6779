import Foundation

/// Reads the tables the comparison charts are drawn from: `soundloc localize --format csv` output
/// and a manifest (`file,azimuth_deg,...`), joined on the file's name without its folder.
public enum PlotInputs {
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case missingColumn(file: String, column: String)
        case noMatches(file: String)

        public var description: String {
            switch self {
            case .missingColumn(let file, let column): "\(file): no column '\(column)' in the header"
            case .noMatches(let file): "\(file): no row names a file listed in the manifest"
            }
        }
    }

    /// Splits one CSV line into fields (RFC 4180 quoting: a quoted field may hold commas, and "" is a
    /// quote).
    public static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var previousWasQuote = false
        for ch in line where ch != "\r" {
            if quoted {
                if ch == "\"" {
                    quoted = false
                    previousWasQuote = true
                } else {
                    field.append(ch)
                }
                continue
            }
            switch ch {
            case "\"":
                // A quote right after a closing quote is an escaped quote inside the field.
                if previousWasQuote { field.append("\"") }
                quoted = true
            case ",":
                out.append(field)
                field = ""
            default:
                field.append(ch)
            }
            previousWasQuote = false
        }
        out.append(field)
        return out
    }

    /// Rows of a CSV text as dictionaries keyed by the header's names.
    public static func table(_ text: String, name: String, required: [String]) throws -> [[String: String]] {
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let head = lines.first else { throw Problem.missingColumn(file: name, column: required.first ?? "file") }
        let header = fields(head).map { $0.trimmingCharacters(in: .whitespaces) }
        for r in required where !header.contains(r) { throw Problem.missingColumn(file: name, column: r) }
        return lines.dropFirst().map { line in
            Dictionary(
                zip(header, fields(line)).map { ($0, $1.trimmingCharacters(in: .whitespaces)) },
                uniquingKeysWith: { a, _ in a })
        }
    }

    /// True azimuth by file name (no folder), from a manifest's `file` and `azimuth_deg` columns.
    public static func truth(manifest text: String, name: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for row in try table(text, name: name, required: ["file", "azimuth_deg"]) {
            if let f = row["file"], let az = row["azimuth_deg"].flatMap(Double.init) {
                out[(f as NSString).lastPathComponent] = az
            }
        }
        return out
    }

    /// The estimate chart's points: each row of `localize --format csv` output whose file the
    /// manifest knows. An empty estimate (no direction) stays nil.
    public static func estimates(localizeCSV text: String, name: String, truth: [String: Double]) throws
        -> [EstimatePlot.Point]
    {
        let rows = try table(text, name: name, required: ["file", "temporal_azimuth_deg", "rate_azimuth_deg"])
        let points = rows.compactMap { row -> EstimatePlot.Point? in
            guard let f = row["file"], let t = truth[(f as NSString).lastPathComponent] else { return nil }
            return EstimatePlot.Point(
                trueAzimuthDegrees: t, temporalDegrees: row["temporal_azimuth_deg"].flatMap(Double.init),
                rateDegrees: row["rate_azimuth_deg"].flatMap(Double.init))
        }
        if points.isEmpty { throw Problem.noMatches(file: name) }
        return points
    }

    /// Mean absolute error, in degrees, of each code over the points that have an estimate; nil
    /// when none has.
    public static func meanAbsoluteErrors(_ points: [EstimatePlot.Point]) -> (temporal: Double?, rate: Double?) {
        func mae(_ pick: (EstimatePlot.Point) -> Double?) -> Double? {
            let e = points.compactMap { p in pick(p).map { abs($0 - p.trueAzimuthDegrees) } }
            return e.isEmpty ? nil : e.reduce(0, +) / Double(e.count)
        }
        return (mae { $0.temporalDegrees }, mae { $0.rateDegrees })
    }
}
