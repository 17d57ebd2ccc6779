import AudioIO
import Decoding
import Evaluation
import Foundation
import Pipeline

/// How a direction reads in words: "32.0 degrees right", "0.0 degrees (ahead)".
func describeAzimuth(_ degrees: Double) -> String {
    let rounded = (degrees * 10).rounded() / 10
    if rounded == 0 { return "0.0 degrees (ahead)" }
    return String(format: "%.1f degrees %@", abs(rounded), rounded < 0 ? "left" : "right")
}

/// Output formats shared by the commands.
enum OutputFormat: String, CaseIterable, Sendable {
    case text, csv, json
}

/// One file's line in a report: either a localisation or a failure message.
public enum LocalizationRow: Sendable {
    case located(FileLocalization)
    case failed(path: String, message: String)

    var path: String {
        switch self {
        case .located(let f): f.path
        case .failed(let p, _): p
        }
    }
}

/// Formats localisation results as text, CSV or JSON. The CSV and JSON share field names.
public enum LocalizationReport {
    /// CSV header; the first three columns are fixed by the design.
    static let csvColumns = [
        "file", "temporal_azimuth_deg", "rate_azimuth_deg", "temporal_itd_us", "temporal_confidence",
        "rate_itd_us", "duration_s", "sample_rate_hz", "an_spikes", "synaptic_events", "detector_spikes",
        "rate_macs", "temporal_energy_uj", "rate_energy_nj", "status",
        // GCC-PHAT (`--reference gcc-phat`), empty when not run; appended so earlier columns keep their places.
        "gccphat_azimuth_deg", "gccphat_itd_us", "gccphat_peak", "gccphat_macs", "gccphat_energy_nj",
        // The level path's synapses (LSO and MNTB), part of temporal_energy_uj.
        "lso_synaptic_events",
    ]

    /// Per-event costs behind the energy columns (see docs/comparison.md for their sources).
    static let energy = EnergyModel()

    /// The status column of a file that could not be read: what `isFailureStatus` recognises.
    static func failureStatus(_ message: String) -> String { "error: \(message)" }

    /// True for the status of a file that could not be read (as opposed to one that was read and
    /// got no direction).
    static func isFailureStatus(_ status: String) -> Bool { status.hasPrefix("error: ") }

    static func status(_ f: FileLocalization) -> String {
        if f.soundlessness != nil || f.result.isDigitalSilence { return "no sound detected" }
        guard f.result.temporal == nil else { return "ok" }
        return f.result.noDirectionReason.map { "no direction: \($0.rawValue)" } ?? "no direction"
    }

    static func fields(_ row: LocalizationRow) -> [String] {
        func num(_ x: Double?, _ digits: Int) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "" }
        switch row {
        case .located(let f):
            let r = f.result
            return [
                f.path, num(r.temporal?.azimuthDegrees, 2), num(r.rate?.azimuthDegrees, 2),
                num(r.temporal.map { $0.itdSeconds * 1e6 }, 1), num(r.temporal?.confidence, 3),
                num(r.rate.map { $0.itdSeconds * 1e6 }, 1), num(r.durationSeconds, 3), "\(Int(r.sampleRateHz))",
                "\(r.costs.auditoryNerveSpikes)", "\(r.costs.synapticEvents)", "\(r.costs.detectorSpikes)",
                "\(r.costs.rateTotalMultiplyAccumulates)",
                num(energy.temporalJoules(r.costs) * 1e6, 3),
                num(
                    energy.rateJoules(
                        auditoryNerveSpikes: r.costs.auditoryNerveSpikes,
                        multiplyAccumulates: r.costs.rateTotalMultiplyAccumulates) * 1e9, 3),
                status(f),
                num(r.reference?.azimuthDegrees, 2), num(r.reference.map { $0.itdSeconds * 1e6 }, 1),
                num(r.reference?.confidence, 3), r.referenceRan ? "\(r.costs.referenceMultiplyAccumulates)" : "",
                r.referenceRan
                    ? num(energy.referenceJoules(multiplyAccumulates: r.costs.referenceMultiplyAccumulates) * 1e9, 3)
                    : "",
                "\(r.costs.lsoSynapticEvents)",
            ]
        case .failed(let path, let message):
            let status = csvColumns.firstIndex(of: "status") ?? csvColumns.count - 1
            return [path] + Array(repeating: "", count: status - 1) + [failureStatus(message)]
                + Array(repeating: "", count: csvColumns.count - status - 1)
        }
    }

    public static func csvHeader() -> String { csvColumns.joined(separator: ",") }

    public static func csvLine(_ row: LocalizationRow) -> String { CSV.line(fields(row)) }

    /// One JSON object (a single line) per row, with the CSV's field names; numbers are numbers
    /// and missing values are null.
    public static func jsonObject(_ row: LocalizationRow) -> [String: Any] {
        var o: [String: Any] = [:]
        for (k, v) in zip(csvColumns, fields(row)) {
            if k == "file" || k == "status" { o[k] = v } else if let d = Double(v) { o[k] = d } else { o[k] = NSNull() }
        }
        return o
    }

    public static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The human-readable block for one file.
    public static func text(_ row: LocalizationRow) -> String {
        switch row {
        case .failed(let path, let message):
            return "\(path): error: \(message)"
        case .located(let f):
            let r = f.result
            var lines = [
                "\(displayName(path: f.path))  (\(String(format: "%.2f", r.durationSeconds)) s, \(Int(r.sampleRateHz)) Hz, \(f.info.formatDescription))"
            ]
            if let soundlessness = f.soundlessness ?? (r.isDigitalSilence ? .digitalSilence : nil) {
                lines.append("  no sound detected (\(soundlessness.rawValue))")
                return lines.joined(separator: "\n")
            }
            if let t = r.temporal {
                lines.append(
                    "  temporal code (spike timing): \(describeAzimuth(t.azimuthDegrees))  "
                        + String(format: "[ITD %+.1f us, confidence %.2f]", t.itdSeconds * 1e6, t.confidence))
            } else {
                let why = r.noDirectionReason ?? .notSignificant
                lines.append("  temporal code (spike timing): no direction (\(why.rawValue))")
            }
            if let q = r.rate {
                lines.append(
                    "  rate code (spike counts):     \(describeAzimuth(q.azimuthDegrees))  "
                        + String(format: "[%g ms windows, ", r.rateFeatures.windowSeconds * 1000)
                        + "\(r.rateAnswers.first?.readout ?? "lag") read-out]")
            } else {
                lines.append("  rate code (spike counts):     no direction")
            }
            if let g = r.reference {
                lines.append(
                    "  GCC-PHAT (no spikes):         \(describeAzimuth(g.azimuthDegrees))  "
                        + String(format: "[ITD %+.1f us, peak %.2f]", g.itdSeconds * 1e6, g.confidence))
            } else if r.referenceRan {
                lines.append("  GCC-PHAT (no spikes):         no direction (correlation peak not above noise)")
            }
            let c = r.costs
            lines.append(
                "  spent: \(c.auditoryNerveSpikes) nerve spikes, \(c.synapticEvents + c.lsoSynapticEvents) synaptic events, "
                    + "\(c.detectorSpikes) detector spikes; rate code \(c.rateTotalMultiplyAccumulates) multiply-adds")
            let temporalJ = energy.temporalJoules(c)
            let rateJ = energy.rateJoules(
                auditoryNerveSpikes: c.auditoryNerveSpikes, multiplyAccumulates: c.rateTotalMultiplyAccumulates)
            var energyLine = String(
                format: "  energy estimate: temporal %.1f uJ (%.1f pJ per synaptic event), "
                    + "rate %.1f nJ (%.1f pJ per multiply-add)",
                temporalJ * 1e6, energy.joulesPerSynapticEvent * 1e12, rateJ * 1e9,
                energy.joulesPerMultiplyAccumulate * 1e12)
            if r.referenceRan {
                let j = energy.referenceJoules(multiplyAccumulates: c.referenceMultiplyAccumulates)
                lines[lines.count - 1] += "; GCC-PHAT \(c.referenceMultiplyAccumulates) multiply-adds"
                energyLine += String(format: ", GCC-PHAT %.1f uJ", j * 1e6)
            }
            lines.append(energyLine)
            return lines.joined(separator: "\n")
        }
    }
}
