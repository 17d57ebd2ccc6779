import AudioIO
import Foundation

/// One labelled sound of a manifest.
public struct ManifestEntry: Sendable, Equatable {
    /// 1-based line of the manifest the entry starts on.
    public var line: Int
    /// The file as written in the manifest.
    public var file: String
    /// The file's path, resolved against the manifest's folder when relative.
    public var path: String
    /// True direction, in degrees (0 ahead, negative left, positive right; may lie behind, beyond
    /// +/-90, since scoring uses the lateral angle).
    public var azimuthDegrees: Double
    /// The `condition` column, or "" when the manifest has none.
    public var condition: String
    /// Every column of the row, by its header name (lower-cased, trimmed), values trimmed: what
    /// `compare --by` groups on.
    public var columns: [String: String] = [:]
    /// Set when the row's `receiver` is `mics`: the pair's spacing from `mic_spacing_m`, in metres.
    /// Such a row's time difference is mapped to azimuth through the free-field pair, not a head.
    public var micSpacingMetres: Double? = nil

    public init(
        line: Int, file: String, path: String, azimuthDegrees: Double, condition: String,
        columns: [String: String] = [:], micSpacingMetres: Double? = nil
    ) {
        self.line = line
        self.file = file
        self.path = path
        self.azimuthDegrees = azimuthDegrees
        self.condition = condition
        self.columns = columns
        self.micSpacingMetres = micSpacingMetres
    }
}

/// A manifest row that could not be used, with its 1-based line number.
public struct ManifestProblem: Sendable, Equatable, CustomStringConvertible {
    public var manifestPath: String
    public var line: Int
    public var message: String
    public var description: String { "\(manifestPath):\(line): \(message)" }
}

public enum ManifestError: Error, Equatable, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case missingColumn(path: String, column: String)
    /// A header and no rows: scoring nothing would print a perfect 0.0.
    case noRows(path: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): "\(path): cannot read the manifest (\(reason))"
        case .missingColumn(let path, let column): "\(path): the manifest's header has no '\(column)' column"
        case .noRows(let path): "\(path): the manifest has a header but no rows (nothing to score)"
        }
    }
}

/// A labelled set of sounds: a CSV file whose header names at least `file` and `azimuth_deg`
/// (`condition` is optional; `receiver` and `mic_spacing_m` say when a row was recorded by a
/// microphone pair; other columns are kept for grouping only). Fields may be quoted as in RFC 4180.
public struct Manifest: Sendable {
    public var path: String
    /// The header's column names, lower-cased and trimmed, in order.
    public var columnNames: [String] = []
    public var entries: [ManifestEntry]
    /// Rows that were skipped, each to be counted as a failure.
    public var problems: [ManifestProblem]

    /// Reads a manifest; `path` is the CSV itself or a folder holding `manifest.csv`.
    /// With `checkFiles`, a listed file that is missing or not a regular file becomes a problem.
    public static func load(path: String, checkFiles: Bool = true) throws -> Manifest {
        var isFolder: ObjCBool = false
        var file = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            file = (path as NSString).appendingPathComponent("manifest.csv")
        }
        let text: String
        do {
            text = try CSV.text(path: file)
        } catch let e as CSV.ReadError {
            throw ManifestError.cannotRead(path: file, reason: e.reason)
        }
        let folder = (file as NSString).deletingLastPathComponent
        let manifest = try parse(text, path: file, folder: folder, checkFiles: checkFiles)
        guard !manifest.entries.isEmpty || !manifest.problems.isEmpty else { throw ManifestError.noRows(path: file) }
        return manifest
    }

    /// Parses manifest text. Relative file names are resolved against `folder`; with
    /// `checkFiles`, a listed file that does not exist becomes a problem.
    public static func parse(_ text: String, path: String, folder: String, checkFiles: Bool = false) throws -> Manifest
    {
        let records = CSV.records(text)
        guard let header = records.first(where: { !$0.isBlank }) else {
            throw ManifestError.missingColumn(path: path, column: "file")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let fileColumn = names.firstIndex(of: "file") else {
            throw ManifestError.missingColumn(path: path, column: "file")
        }
        guard let azimuthColumn = names.firstIndex(of: "azimuth_deg") else {
            throw ManifestError.missingColumn(path: path, column: "azimuth_deg")
        }
        let conditionColumn = names.firstIndex(of: "condition")
        var manifest = Manifest(path: path, columnNames: names, entries: [], problems: [])
        for record in records where record.line > header.line && !record.isBlank {
            func problem(_ message: String) {
                manifest.problems.append(ManifestProblem(manifestPath: path, line: record.line, message: message))
            }
            if let message = record.error {
                problem(message)
                continue
            }
            let f = record.fields
            guard f.count == names.count else {
                problem("has \(f.count) fields, the header has \(names.count)")
                continue
            }
            let file = f[fileColumn].trimmingCharacters(in: .whitespaces)
            let azimuthText = f[azimuthColumn].trimmingCharacters(in: .whitespaces)
            guard !file.isEmpty else {
                problem("empty file name")
                continue
            }
            guard let azimuth = Double(azimuthText), azimuth.isFinite, abs(azimuth) <= 360 else {
                problem("azimuth_deg '\(azimuthText)' is not a number of degrees in -360...360")
                continue
            }
            let resolved = file.hasPrefix("/") ? file : (folder as NSString).appendingPathComponent(file)
            // A FIFO or a device listed here would block or never end the batch: refused with its reason.
            if checkFiles, let reason = regularFileProblem(path: resolved) {
                problem("\(resolved): \(reason)")
                continue
            }
            var columns: [String: String] = [:]
            for (name, value) in zip(names, f) where columns[name] == nil {
                columns[name] = value.trimmingCharacters(in: .whitespaces)
            }
            var spacing: Double?
            switch columns["receiver"] ?? "" {
            case "", "head": break
            case "mics":
                let text = columns["mic_spacing_m"] ?? ""
                guard let d = Double(text), d > 0.001, d < 10 else {
                    problem("receiver is mics but mic_spacing_m '\(text)' is not a spacing between 0.001 and 10 m")
                    continue
                }
                spacing = d
            case let other:
                problem("receiver '\(other)' is neither head nor mics")
                continue
            }
            manifest.entries.append(
                ManifestEntry(
                    line: record.line, file: file, path: resolved, azimuthDegrees: azimuth,
                    condition: conditionColumn.map { f[$0].trimmingCharacters(in: .whitespaces) } ?? "",
                    columns: columns, micSpacingMetres: spacing))
        }
        return manifest
    }
}
